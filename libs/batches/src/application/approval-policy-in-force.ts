import { loadStream } from '@salur/application';
import type { EventStore } from '@salur/event-store';
import type { ApprovalPolicy } from '@salur/kernel';
import { programmeDecider, programmeStreamName } from '@salur/programmes/domain';

/**
 * The approval policy a batch of this programme follows now: the one the programme declared last
 * (ApprovalPolicyDeclared), or the deployment's for a programme created before policies were
 * declared. A batch takes it when it is started (or changed) and keeps the number it needs.
 */
export async function approvalPolicyInForce(
  store: EventStore,
  programmeId: string,
  deploymentPolicy: ApprovalPolicy,
): Promise<ApprovalPolicy> {
  const { state } = await loadStream(store, programmeStreamName(programmeId), programmeDecider);
  return state.status === 'active' && state.approvalPolicy !== undefined ? state.approvalPolicy : deploymentPolicy;
}
