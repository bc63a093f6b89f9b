import type { BatchEvent } from './batch.events';
import type { BatchState } from './batch.state';

export function evolveBatch(state: BatchState, event: BatchEvent): BatchState {
  if (event.type === 'BatchCreationStarted') {
    const { at, count: _count, contentFormat: _format, ...facts } = event.data;
    return { ...facts, contentHash: '', status: 'forming', startedAt: at, approverIds: [], files: [] };
  }
  if (event.type === 'BatchCreated') {
    const { batchId, programmeId, period, makerId, payments, controlSum, contentHash, requiredApprovals, expiresAt } =
      event.data;
    return {
      ...(event.data.contentFormat ? { contentFormat: event.data.contentFormat } : {}),
      status: 'pending',
      batchId,
      programmeId,
      period,
      makerId,
      payments,
      controlSum,
      contentHash,
      requiredApprovals,
      expiresAt,
      approverIds: [],
      files: [],
    };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'BatchCreationAbandoned':
      return state.status === 'forming' ? { ...state, status: 'abandoned' } : state;
    case 'BatchChanged': {
      const removed = new Set(event.data.removedPaymentIds);
      return {
        ...state,
        payments: state.payments.filter((line) => !removed.has(line.paymentId)),
        controlSum: event.data.controlSum,
        contentHash: event.data.contentHash,
        requiredApprovals: event.data.requiredApprovals,
        approverIds: [],
      };
    }
    case 'BatchApprovalRecorded':
      return { ...state, approverIds: [...state.approverIds, event.data.approverId] };
    case 'BatchApproved':
      return { ...state, status: 'approved' };
    case 'BatchRejected':
      return { ...state, status: 'rejected' };
    case 'BatchCancelled':
      return { ...state, status: 'cancelled' };
    case 'BatchExpired':
      return { ...state, status: 'expired' };
    case 'BatchFileGenerated': {
      const { format, fileName, sha256 } = event.data;
      return {
        ...state,
        files: [...state.files.filter((file) => file.format !== format), { format, fileName, sha256 }],
      };
    }
    case 'BatchSubmitted':
      return { ...state, status: 'submitted' };
    case 'BatchSettled':
      return { ...state, status: 'settled' };
  }
}
