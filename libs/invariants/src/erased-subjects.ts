import type { Violation } from './domain/violation';

/** What the rule needs of the personal-data key store (libs/personal-data's PersonalDataKeyStore). */
export interface KeyHolder {
  holdsKey(subject: string): Promise<boolean>;
}

/** Violations listed; past that, a count (a restored key backup would otherwise list everyone). */
const MAX_LISTED = 20;

/**
 * "Erased subjects hold no key": every beneficiary whose stream records BeneficiaryErased must
 * have no data key left in the key store, or their sealed data could still be opened. Fed the log
 * event by event with the other rules (the event names its beneficiary in clear), it keeps only
 * the erased beneficiaries' ids, then asks the key store about each. An erased beneficiary is
 * counted and reported as such; the erasure is never a violation of another rule.
 */
export class ErasedSubjects {
  private readonly erased = new Map<string, { position: number; streamName: string }>();

  observe(event: {
    readonly type: string;
    readonly position: number;
    readonly streamName: string;
    readonly data: { readonly [key: string]: unknown };
  }): void {
    if (event.type !== 'BeneficiaryErased' || typeof event.data.beneficiaryId !== 'string') return;
    this.erased.set(event.data.beneficiaryId, { position: event.position, streamName: event.streamName });
  }

  get count(): number {
    return this.erased.size;
  }

  async check(keys: KeyHolder): Promise<Violation[]> {
    const violations: Violation[] = [];
    let unlisted = 0;
    for (const [beneficiaryId, { position, streamName }] of this.erased) {
      // The subject is the stream: the beneficiary's data is sealed under `beneficiary-<id>`.
      if (!(await keys.holdsKey(streamName))) continue;
      if (violations.length >= MAX_LISTED) {
        unlisted++;
        continue;
      }
      violations.push({
        invariant: 'erased-subjects-hold-no-key',
        position,
        streamName,
        message: `beneficiary ${beneficiaryId} was erased, but the key store still holds their data key`,
      });
    }
    if (unlisted > 0) {
      violations.push({
        invariant: 'erased-subjects-hold-no-key',
        message: `${unlisted} more erased beneficiaries hold a key`,
      });
    }
    return violations;
  }
}
