import { conflict, forbidden, ruleBroken, sameUserId } from '@salur/kernel';
import { parsePersonalDataRetention, retentionEndsAt, retentionOf } from '@salur/programmes/domain';
import type {
  ApproveBeneficiaryErasure,
  ErasureCircumstances,
  RequestBeneficiaryErasure,
} from './beneficiary.commands';
import type { BeneficiaryEvent } from './beneficiary.events';
import { existing, factOf, type KnownBeneficiary } from './beneficiary.guards';
import { parseReason } from './beneficiary.rules';
import type { BeneficiaryState, ExitedBeneficiary } from './beneficiary.state';

/** Open payments named in a refusal: enough to find them, bounded so the message stays short. */
const LISTED_OPEN_PAYMENTS = 3;

/*
 * Erasure under four eyes (UU 27/2022: deletion once no legal retention applies). Both halves
 * check that it may happen now: the beneficiary exited, the programme's retention counted from
 * the exit has run out, and none of their payments still waits for a final state (its events
 * would need their key). The request is restated freely by its author; the approval comes from
 * another admin and is the last fact written about the person.
 */

export function requestErasure(
  { data, context }: RequestBeneficiaryErasure,
  state: BeneficiaryState,
): BeneficiaryEvent[] {
  const reason = parseReason(data.reason);
  const beneficiary = erasable(existing(state, data.beneficiaryId));
  const earlier = beneficiary.erasureRequest;
  if (earlier !== undefined) {
    if (sameUserId(earlier.requestedBy, context.actor.userId) && earlier.reason === reason) return [];
    throw conflict(
      'ERASURE_ALREADY_REQUESTED',
      `Erasure of beneficiary ${beneficiary.beneficiaryId} was already requested by ${earlier.requestedBy}`,
    );
  }
  requireErasableNow(beneficiary, data, context.now);
  const fact = factOf(beneficiary, context.now);
  return [{ type: 'BeneficiaryErasureRequested', data: { ...fact, reason, requestedBy: context.actor.userId } }];
}

export function approveErasure(
  { data, context }: ApproveBeneficiaryErasure,
  state: BeneficiaryState,
): BeneficiaryEvent[] {
  const beneficiary = erasable(existing(state, data.beneficiaryId));
  const request = beneficiary.erasureRequest;
  if (request === undefined) {
    throw ruleBroken('ERASURE_NOT_REQUESTED', `No erasure of beneficiary ${beneficiary.beneficiaryId} was requested`);
  }
  if (sameUserId(request.requestedBy, context.actor.userId)) {
    throw forbidden('FOUR_EYES_REQUIRED', 'The admin who requested the erasure cannot approve it');
  }
  const { retention, retentionEndedAt } = requireErasableNow(beneficiary, data, context.now);
  return [
    {
      type: 'BeneficiaryErased',
      data: {
        ...factOf(beneficiary, context.now),
        requestedBy: request.requestedBy,
        approvedBy: context.actor.userId,
        retention,
        retentionEndedAt,
      },
    },
  ];
}

function erasable(beneficiary: KnownBeneficiary): ExitedBeneficiary {
  if (beneficiary.status !== 'exited') {
    throw ruleBroken(
      'BENEFICIARY_NOT_EXITED',
      `Beneficiary ${beneficiary.beneficiaryId} is ${beneficiary.status}: only an exited beneficiary's data is erased`,
    );
  }
  return beneficiary;
}

/** The retention has run out and no payment is open; the retention and its end, for the record. */
function requireErasableNow(
  beneficiary: ExitedBeneficiary,
  circumstances: Readonly<ErasureCircumstances>,
  now: string,
): { retention: string; retentionEndedAt: string } {
  const retention = parsePersonalDataRetention(circumstances.retention, 'retention');
  const retentionEndedAt = retentionEndsAt(beneficiary.exitedAt, retentionOf(retention));
  if (Date.parse(now) < Date.parse(retentionEndedAt)) {
    throw ruleBroken(
      'RETENTION_RUNNING',
      `The programme keeps personal data ${retention} after the exit: until ${retentionEndedAt}`,
    );
  }
  const open = circumstances.openPaymentIds;
  if (open.length > 0) {
    throw ruleBroken(
      'PAYMENTS_NOT_FINAL',
      `${open.length} payment(s) of the beneficiary have no final state yet (${open.slice(0, LISTED_OPEN_PAYMENTS).join(', ')})`,
    );
  }
  return { retention, retentionEndedAt };
}
