import type { CommandContext } from '@salur/kernel';
import type { LedgerContext } from './ledger-context';

/** An HTTP request's context as the ledger needs it: the request is what causes the events. */
export function ledgerContextOfRequest(
  request: CommandContext & { readonly correlationId: string; readonly requestId: string },
): LedgerContext {
  return {
    actor: request.actor,
    now: request.now,
    correlationId: request.correlationId,
    causationId: request.requestId,
  };
}
