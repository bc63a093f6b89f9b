import { readModel } from '../engine/projection';
import { batchEventOf } from './directory-events';
import { BatchRow, DIRECTORY_TABLES } from './directory.tables';

/** One row per batch: its content figures, its approvals and where it stands. */
export const batchesReadModel = readModel<BatchRow>({
  table: DIRECTORY_TABLES.batches,

  rowIdsOf(recorded) {
    const event = batchEventOf(recorded);
    return event === undefined ? [] : [event.data.batchId];
  },

  evolve(row, recorded) {
    const event = batchEventOf(recorded);
    if (event === undefined) return row;
    if (event.type === 'BatchCreated') {
      const {
        batchId,
        programmeId,
        period,
        makerId,
        count,
        controlSum,
        contentHash,
        requiredApprovals,
        expiresAt,
        at,
      } = event.data;
      return {
        id: batchId,
        programmeId,
        period,
        makerId,
        status: 'pending',
        count,
        controlSum,
        contentHash,
        requiredApprovals,
        approverIds: '[]',
        expiresAt,
        createdAt: at,
        updatedAt: at,
      };
    }
    if (row === undefined) return row;
    const updatedAt = event.data.at;
    switch (event.type) {
      case 'BatchChanged': {
        // Approvals name the content hash: changed content must be approved again from scratch.
        const { count, controlSum, contentHash, requiredApprovals } = event.data;
        return { ...row, count, controlSum, contentHash, requiredApprovals, approverIds: '[]', updatedAt };
      }
      case 'BatchApprovalRecorded': {
        const approvers = approverIdsOf(row);
        if (approvers.includes(event.data.approverId)) return { ...row, updatedAt };
        return { ...row, approverIds: JSON.stringify([...approvers, event.data.approverId]), updatedAt };
      }
      case 'BatchApproved': {
        const { approverIds, count, controlSum } = event.data;
        return { ...row, status: 'approved', approverIds: JSON.stringify(approverIds), count, controlSum, updatedAt };
      }
      case 'BatchRejected':
        return { ...row, status: 'rejected', updatedAt };
      case 'BatchCancelled':
        return { ...row, status: 'cancelled', updatedAt };
      case 'BatchExpired':
        return { ...row, status: 'expired', updatedAt };
    }
  },
});

export function approverIdsOf(row: Pick<BatchRow, 'approverIds'>): string[] {
  return JSON.parse(row.approverIds) as string[];
}
