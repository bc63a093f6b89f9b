import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EVENT_STORE, type EventStore, type JsonObject } from '@salur/event-store';
import { eventMetadata, type RequestContext } from '@salur/http';
import { isGrantedInspector } from './personal-data.policy';
import { PERSONAL_DATA_VIEWED, personalDataAccessStreamName, type PersonalDataViewed } from './personal-data-viewed';
import type { SearchableKind } from './stored-personal-data';

export interface RecordedViewOptions {
  /**
   * Whether anything was shown in clear; by default, whether any beneficiary is named. True with
   * no beneficiary covers numbers of nobody known (who looked, where, when).
   */
  readonly revealed?: boolean;
  /** The read was a search by these kinds: recorded even when it found nobody (see PersonalDataViewed). */
  readonly searchedBy?: readonly SearchableKind[];
  /**
   * Record the read whoever the viewer is, admins and officers included: for answers that hand out
   * more than a view (a disclosure gives commitment keys that outlive the request).
   */
  readonly whoever?: boolean;
}

/** Beneficiaries named by one PersonalDataViewed: a CSV page or a list page fits in one. */
export const MAX_BENEFICIARIES_PER_RECORD = 1_000;

/**
 * Records unmasked reads of personal data. Call it with the beneficiaries whose NIK, KK or
 * account number an answer shows in clear, before sending the answer: if the record cannot be
 * written, the read fails rather than going unrecorded. Only inspectors with the pii grant are
 * recorded (officers who enter the numbers, and the bank job that writes files, see them by role).
 */
@Injectable()
export class PersonalDataAccessLog {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Whether reads by this viewer are recorded. */
  records(context: Pick<RequestContext, 'actor' | 'grants'>): boolean {
    return isGrantedInspector({ role: context.actor.role, grants: context.grants });
  }

  /**
   * Appends PersonalDataViewed for these beneficiaries, one event per MAX_BENEFICIARIES_PER_RECORD,
   * if the viewer is recorded and anything was shown in clear, or the read was a search by NIK or
   * KK (a search that finds nobody still tells the searcher something).
   */
  async recordView(
    context: RequestContext,
    beneficiaryIds: Iterable<string>,
    endpoint: string,
    options: RecordedViewOptions = {},
  ): Promise<void> {
    if (!options.whoever && !this.records(context)) return;
    const distinct = [...new Set(beneficiaryIds)];
    const searchedBy = options.searchedBy ?? [];
    if (!(options.revealed ?? distinct.length > 0) && searchedBy.length === 0) return;
    const metadata = eventMetadata(context) as unknown as JsonObject;
    const events = [];
    for (let start = 0; start === 0 || start < distinct.length; start += MAX_BENEFICIARIES_PER_RECORD) {
      const viewed: PersonalDataViewed['data'] = {
        viewerId: context.actor.userId,
        viewerRole: context.actor.role,
        beneficiaryIds: distinct.slice(start, start + MAX_BENEFICIARIES_PER_RECORD),
        endpoint,
        at: context.now,
        ...(searchedBy.length > 0 ? { searchedBy: [...searchedBy] } : {}),
      };
      events.push({ id: randomUUID(), type: PERSONAL_DATA_VIEWED, data: viewed, metadata });
    }
    await this.store.append(personalDataAccessStreamName(context.actor.userId), events, { expectedRevision: 'any' });
  }
}
