import { ERASED_VALUE } from '@salur/kernel';
import { mask, maskData, seesIdentityNumbers, type Viewer } from '@salur/personal-data';
import type { AuditEventView } from './audit-trail.queries';

/** An event of the audit trail as a reader receives it, personal numbers masked for them. */
export interface AuditTrailItem {
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly streamName: string;
  readonly revision: number;
  readonly recordedAt: string;
  readonly occurredAt: string | null;
  readonly actor: { readonly userId: string; readonly role: string | null } | null;
  readonly correlationId: string | null;
  readonly causationId: string | null;
  readonly programmeId: string | null;
  readonly period: string | null;
  readonly batchId: string | null;
  readonly paymentId: string | null;
  readonly beneficiaryId: string | null;
  readonly nik: string | null;
  readonly kk: string | null;
  readonly regionCode: string | null;
  readonly data: unknown;
}

export interface MaskedPage {
  readonly items: AuditTrailItem[];
  /** Beneficiaries whose NIK, KK or account number this page shows in clear. */
  readonly revealedBeneficiaryIds: string[];
  /** Whether anything was shown in clear (also numbers of no known beneficiary). */
  readonly revealed: boolean;
}

/** Opened rows (AuditTrailQueries) as the viewer may see them. */
export function maskAuditRows(rows: readonly AuditEventView[], viewer: Viewer): MaskedPage {
  const identity = seesIdentityNumbers(viewer);
  const revealedBeneficiaryIds = new Set<string>();
  let revealed = false;
  const items = rows.map((row): AuditTrailItem => {
    const data = maskData(row.data, viewer);
    const identityShown = identity && (shown(row.nik) || shown(row.kk));
    if (data.revealed || identityShown) {
      revealed = true;
      if (row.beneficiaryId !== null) revealedBeneficiaryIds.add(row.beneficiaryId);
    }
    const hide = (value: string | null) => (value === null || identity ? value : mask(value));
    return {
      position: row.position,
      eventId: row.eventId,
      type: row.type,
      streamName: row.streamName,
      revision: row.revision,
      recordedAt: row.recordedAt,
      occurredAt: row.occurredAt,
      actor: row.actorUserId === null ? null : { userId: row.actorUserId, role: row.actorRole },
      correlationId: row.correlationId,
      causationId: row.causationId,
      programmeId: row.programmeId,
      period: row.period,
      batchId: row.batchId,
      paymentId: row.paymentId,
      beneficiaryId: row.beneficiaryId,
      nik: hide(row.nik),
      kk: hide(row.kk),
      regionCode: row.regionCode,
      data: data.data,
    };
  });
  return { items, revealedBeneficiaryIds: [...revealedBeneficiaryIds], revealed };
}

/** A number that is there to see: an erased one shows nothing. */
function shown(value: string | null): boolean {
  return value !== null && value !== ERASED_VALUE;
}
