import type { RecordedEvent } from '@salur/event-store';
import { type Lookup, readModel } from '@salur/projections';
import {
  PERSONAL_DATA_VIEWED,
  personalDataViewedOf,
  searchKeyOf,
  storedEventOf,
  storedText,
} from '@salur/personal-data';
import { batchEvent, beneficiaryEvent, paymentEvent } from './event-guards';
import {
  AUDIT_TRAIL_TABLES,
  AuditBatchRow,
  AuditBeneficiaryRow,
  AuditEventRow,
  auditRowIdOf,
  AuditPaymentRow,
  AuditSubjectRow,
} from './audit-trail.tables';

const { beneficiaries: BENEFICIARIES, payments: PAYMENTS, batches: BATCHES } = AUDIT_TRAIL_TABLES;

/** Who each beneficiary is: NIK and KK sealed and as search keys, never in clear (see the row). */
export const auditBeneficiariesReadModel = readModel<AuditBeneficiaryRow>({
  table: BENEFICIARIES,
  rowIdsOf(recorded) {
    const event = beneficiaryEvent(recorded);
    return event?.type === 'BeneficiaryEnrolled' || event?.type === 'BeneficiaryErased'
      ? [event.data.beneficiaryId]
      : [];
  },
  evolve(row, recorded, id) {
    const event = beneficiaryEvent(storedEventOf(recorded));
    // Erased: the sealed numbers read '[erased]' already; the search keys go, so they find nobody.
    if (event?.type === 'BeneficiaryErased') {
      return row === undefined ? row : { ...row, nikSearchKey: null, kkSearchKey: null };
    }
    if (row !== undefined || event?.type !== 'BeneficiaryEnrolled') return row;
    const { programmeId, nik, kk, regionCode } = event.data;
    return {
      id,
      programmeId,
      nikSearchKey: searchKeyOf(recorded, 'nik'),
      kkSearchKey: searchKeyOf(recorded, 'kk'),
      sealedNik: storedText(nik),
      sealedKk: storedText(kk),
      regionCode,
      ...regionLevelsOf(regionCode),
    };
  },
});

export const auditPaymentsReadModel = readModel<AuditPaymentRow>({
  table: PAYMENTS,
  rowIdsOf(recorded) {
    const event = paymentEvent(recorded);
    return event?.type === 'PaymentScheduled' || event?.type === 'PaymentBatched' ? [event.data.paymentId] : [];
  },
  evolve(row, recorded, id) {
    const event = paymentEvent(recorded);
    if (event?.type === 'PaymentScheduled') {
      const { programmeId, period, beneficiaryId } = event.data;
      return row ?? { id, programmeId, period, beneficiaryId, batchId: null };
    }
    if (event?.type !== 'PaymentBatched' || row === undefined || row.batchId === event.data.batchId) return row;
    return { ...row, batchId: event.data.batchId };
  },
});

export const auditBatchesReadModel = readModel<AuditBatchRow>({
  table: BATCHES,
  rowIdsOf(recorded) {
    const event = batchEvent(recorded);
    return event?.type === 'BatchCreated' ? [event.data.batchId] : [];
  },
  evolve(row, recorded, id) {
    const event = batchEvent(recorded);
    if (row !== undefined || event?.type !== 'BatchCreated') return row;
    return { id, programmeId: event.data.programmeId, period: event.data.period };
  },
});

/** Every event of the log, one row each, with its subject resolved (see subjectOf). */
export const auditEventsReadModel = readModel<AuditEventRow>({
  table: AUDIT_TRAIL_TABLES.events,
  lookups: [BENEFICIARIES, PAYMENTS, BATCHES],
  appendOnly: true,
  rowIdsOf(recorded, lookup) {
    // Reads the subject's rows here already: the engine learns what to load in its first pass.
    subjectOf(recorded, lookup);
    return [auditRowIdOf(recorded.position)];
  },
  evolve(row, recorded, id, lookup) {
    if (row !== undefined) return row;
    const metadata = recorded.metadata as {
      actor?: { userId?: unknown; role?: unknown };
      correlationId?: unknown;
      causationId?: unknown;
      occurredAt?: unknown;
    };
    return {
      id,
      position: recorded.position,
      eventId: recorded.id,
      type: recorded.type,
      streamName: recorded.streamName,
      revision: recorded.revision,
      recordedAt: recorded.recordedAt,
      occurredAt: text(metadata.occurredAt),
      actorUserId: text(metadata.actor?.userId),
      actorRole: text(metadata.actor?.role),
      correlationId: text(metadata.correlationId),
      causationId: text(metadata.causationId),
      ...subjectOf(recorded, lookup),
      // As stored: sealed personal fields stay sealed (the opened `recorded.data` never reaches a row).
      data: JSON.stringify(storedEventOf(recorded).data),
    };
  },
});

/** The beneficiaries of an event about several: who looked at whose data. */
export const auditSubjectsReadModel = readModel<AuditSubjectRow>({
  table: AUDIT_TRAIL_TABLES.subjects,
  appendOnly: true,
  rowIdsOf(recorded) {
    if (recorded.type !== PERSONAL_DATA_VIEWED) return [];
    const viewed = personalDataViewedOf(recorded);
    return viewed.beneficiaryIds.map((beneficiaryId) => `${auditRowIdOf(recorded.position)}/${beneficiaryId}`);
  },
  evolve(row, recorded, id) {
    if (row !== undefined) return row;
    const eventRowId = auditRowIdOf(recorded.position);
    return { id, eventRowId, beneficiaryId: id.slice(eventRowId.length + 1) };
  },
});

type Subject = Pick<
  AuditEventRow,
  'programmeId' | 'period' | 'batchId' | 'paymentId' | 'beneficiaryId' | 'sealedNik' | 'sealedKk' | 'regionCode'
>;

/**
 * What an event is about, from the ids its data names and the lookups: a payment event names the
 * payment only, whose row gives its round, beneficiary and batch, whose rows give the rest. Read by
 * field name, not by type, so events of capabilities added later (bank files, reconciliation
 * exceptions) are resolved the same way.
 */
function subjectOf(recorded: RecordedEvent, lookup: Lookup): Subject {
  const data = recorded.data;
  const paymentId = text(data.paymentId);
  const payment = paymentId === null ? undefined : lookup.row<AuditPaymentRow>(PAYMENTS, paymentId);
  const batchId = text(data.batchId) ?? payment?.batchId ?? null;
  const batch = batchId === null ? undefined : lookup.row<AuditBatchRow>(BATCHES, batchId);
  const viewedOne =
    recorded.type === PERSONAL_DATA_VIEWED ? onlyOne(personalDataViewedOf(recorded).beneficiaryIds) : null;
  const beneficiaryId = text(data.beneficiaryId) ?? payment?.beneficiaryId ?? viewedOne;
  const beneficiary =
    beneficiaryId === null ? undefined : lookup.row<AuditBeneficiaryRow>(BENEFICIARIES, beneficiaryId);
  return {
    programmeId:
      text(data.programmeId) ?? payment?.programmeId ?? batch?.programmeId ?? beneficiary?.programmeId ?? null,
    period: text(data.period) ?? payment?.period ?? batch?.period ?? null,
    batchId,
    paymentId,
    beneficiaryId,
    sealedNik: beneficiary?.sealedNik ?? null,
    sealedKk: beneficiary?.sealedKk ?? null,
    regionCode: beneficiary?.regionCode ?? null,
  };
}

/** `16.06.01.2001` → province `16`, regency `16.06`, district `16.06.01`. */
export function regionLevelsOf(regionCode: string): Pick<AuditBeneficiaryRow, 'province' | 'regency' | 'district'> {
  const parts = regionCode.split('.');
  return {
    province: parts.slice(0, 1).join('.'),
    regency: parts.slice(0, 2).join('.'),
    district: parts.slice(0, 3).join('.'),
  };
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function onlyOne(ids: readonly string[]): string | null {
  return ids.length === 1 ? ids[0] : null;
}
