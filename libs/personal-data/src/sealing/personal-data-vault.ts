import type { PersonalDataFields, PersonalDataKind, PersonalDataOfEvent } from '@salur/kernel';
import { ERASED_VALUE } from '@salur/kernel';
import type { JsonObject, NewEvent, RecordedEvent } from '@salur/event-store';
import { replaceAt, segmentsOf } from './field-paths';
import type { PersonalDataKeyStore } from './key-store';
import { collectSubjects, type FieldOnRead, mapSealed, openField, openOnRead } from './opened-data';
import { seal, SearchKeys, SubjectKeys } from './seal-crypto';
import { DomainError } from '@salur/kernel';

/** Subjects whose keys stay in memory; 32 bytes each, so 50,000 is ~5 MB with the map's overhead. */
const CACHED_SUBJECTS = 50_000;
/**
 * How long a key is trusted from memory. Another process (the worker) that erases a subject is
 * seen here within this time; until then this process could still open the subject's data.
 */
const CACHED_KEY_TTL_MS = 30_000;

/** Kinds looked up across subjects: their read models keep a keyed search key. */
const SEARCHABLE_KINDS: ReadonlySet<PersonalDataKind> = new Set(['nik', 'kk']);

/** Writing new personal data of an erased subject is refused: its key is gone for good. */
export class SubjectErasedError extends DomainError {
  constructor(readonly subject: string) {
    super(
      'rule',
      'SUBJECT_ERASED',
      `The personal data of ${subject} was erased; nothing new can be recorded about them`,
    );
  }
}

/** Who a stream's personal data belongs to, when the stream's first event says so. */
export type FirstEventOf = (streamName: string) => Promise<JsonObject | undefined>;

/** A subject's keys as the vault holds them: derived once per load, or the fact of erasure. */
type VaultKey = SubjectKeys | 'erased';

interface CachedKey {
  readonly key: VaultKey;
  readonly until: number;
}

/**
 * Seals the declared personal-data fields of new events with their subject's key, and opens
 * sealed fields of recorded ones. The only holder of clear keys; nothing here logs a value.
 */
export class PersonalDataVault {
  private readonly cache = new Map<string, CachedKey>();
  private readonly paths = new Map<string, ReturnType<typeof segmentsOf>>();
  private readonly searchKeys: SearchKeys;

  constructor(
    private readonly keys: PersonalDataKeyStore,
    masterKey: Buffer,
    private readonly fields: PersonalDataFields,
    private readonly clock: () => number = Date.now,
  ) {
    this.searchKeys = new SearchKeys(masterKey);
  }

  declares(type: string): boolean {
    return this.fields[type] !== undefined;
  }

  /** The events with their personal data sealed; events without any are returned as they are. */
  async sealEvents(streamName: string, events: readonly NewEvent[], firstEventOf: FirstEventOf): Promise<NewEvent[]> {
    return (await this.sealAppends([{ streamName, events }], firstEventOf))[0];
  }

  /** sealEvents for the appends of several streams, with one key look-up for them all. */
  async sealAppends(
    appends: readonly { readonly streamName: string; readonly events: readonly NewEvent[] }[],
    firstEventOf: FirstEventOf,
  ): Promise<NewEvent[][]> {
    const subjects = new Map<NewEvent, string>();
    for (const { streamName, events } of appends) {
      for (const event of events) {
        const spec = this.fields[event.type];
        if (spec !== undefined)
          subjects.set(event, await this.subjectOf(spec, streamName, event, events, firstEventOf));
      }
    }
    if (subjects.size === 0) return appends.map(({ events }) => [...events]);
    const keys = await this.keysOf([...subjects.values()], true);
    return appends.map(({ events }) =>
      events.map((event) => {
        const subject = subjects.get(event);
        if (subject === undefined) return event;
        const key = keys.get(subject);
        if (key === undefined || key === 'erased') throw new SubjectErasedError(subject);
        return { ...event, data: this.sealData(this.fields[event.type], event.data, subject, key) };
      }),
    );
  }

  private sealData(spec: PersonalDataOfEvent, data: JsonObject, subject: string, key: SubjectKeys): JsonObject {
    let sealed: unknown = data;
    for (const field of spec.fields) {
      sealed = replaceAt(sealed, this.segments(field.path), (leaf) =>
        typeof leaf === 'string' ? seal(key, subject, field.kind, leaf) : undefined,
      );
    }
    return sealed as JsonObject;
  }

  private async subjectOf(
    spec: PersonalDataOfEvent,
    streamName: string,
    event: NewEvent,
    append: readonly NewEvent[],
    firstEventOf: FirstEventOf,
  ): Promise<string> {
    const rule = spec.subject;
    if ('stream' in rule) return streamName;
    if ('field' in rule) return `${rule.prefix}${requireString(event.data[rule.field], event.type, rule.field)}`;
    const first = (await firstEventOf(streamName)) ?? append[0]?.data;
    return `${rule.prefix}${requireString(first?.[rule.streamFirstEvent], event.type, rule.streamFirstEvent)}`;
  }

  /**
   * The events with every sealed field opened, each when it is first read (see openOnRead); one
   * key look-up for them all. `personalData` keeps the stored form, and the search keys, also
   * computed when first asked for.
   */
  async openEvents(events: readonly RecordedEvent[]): Promise<RecordedEvent[]> {
    const subjectsOf = events.map((event) => {
      const subjects: string[] = [];
      if (this.declares(event.type)) collectSubjects(event.data, subjects);
      return subjects;
    });
    const subjects = subjectsOf.flat();
    if (subjects.length === 0) return [...events];
    const keys = await this.keysOf(subjects, false);
    return events.map((event, index) => (subjectsOf[index].length === 0 ? event : this.openEvent(event, keys)));
  }

  private openEvent(event: RecordedEvent, keys: ReadonlyMap<string, VaultKey>): RecordedEvent {
    const { data, fields } = openOnRead(event.data, (subject) => keys.get(subject));
    const searchKeysOf = () => this.searchKeysOf(fields);
    let searchKeys: Record<string, string> | undefined;
    const personalData = {
      storedData: event.data,
      get searchKeys(): Record<string, string> {
        return (searchKeys ??= searchKeysOf());
      },
    };
    return { ...event, data: data as JsonObject, personalData };
  }

  /** By kind, of the last searchable field of that kind (the two declared kinds occur once an event). */
  private searchKeysOf(fields: readonly FieldOnRead[]): Record<string, string> {
    const found: Record<string, string> = {};
    for (const { field, value } of fields) {
      if (!SEARCHABLE_KINDS.has(field.kind)) continue;
      const clear = value();
      if (clear !== ERASED_VALUE) found[field.kind] = this.searchKeys.of(field.kind, clear);
    }
    return found;
  }

  /** Any stored data (a read model's copy of an event's data) with its sealed fields opened. */
  async openData<T>(data: T): Promise<T> {
    const subjects: string[] = [];
    collectSubjects(data, subjects);
    if (subjects.length === 0) return data;
    const keys = await this.keysOf(subjects, false);
    return mapSealed(data, (field) => openField(keys.get(field.subject), field)) as T;
  }

  /** The search key a read model keeps for a NIK or KK, to find a record by a value given in full. */
  searchKey(kind: 'nik' | 'kk', value: string): string {
    return this.searchKeys.of(kind, value);
  }

  /** The key that lets someone check one kind of a subject's commitments (a disclosure), or 'erased'. */
  async commitmentKey(subject: string, kind: PersonalDataKind): Promise<Buffer | 'erased'> {
    const key = (await this.keysOf([subject], false)).get(subject);
    return key === undefined || key === 'erased' ? 'erased' : key.commitmentKey(kind);
  }

  /** Deletes the subject's key: every sealed field of theirs, anywhere, reads '[erased]' from now on. */
  async erase(subject: string, at: string): Promise<void> {
    await this.keys.erase(subject, at);
    this.cache.set(subject, { key: 'erased', until: Number.MAX_SAFE_INTEGER });
  }

  holdsKey(subject: string): Promise<boolean> {
    return this.keys.holdsKey(subject);
  }

  private async keysOf(subjects: readonly string[], create: boolean): Promise<Map<string, VaultKey>> {
    const now = this.clock();
    const found = new Map<string, VaultKey>();
    const missing: string[] = [];
    for (const subject of new Set(subjects)) {
      const cached = this.cache.get(subject);
      if (cached !== undefined && cached.until > now) found.set(subject, cached.key);
      else missing.push(subject);
    }
    if (missing.length === 0) return found;
    const loaded = await this.keys.keysOf(missing, { create });
    for (const [subject, dataKey] of loaded) {
      const key = dataKey === 'erased' ? 'erased' : new SubjectKeys(dataKey);
      found.set(subject, key);
      this.remember(subject, key, now);
    }
    return found;
  }

  private remember(subject: string, key: VaultKey, now: number): void {
    this.cache.delete(subject);
    if (this.cache.size >= CACHED_SUBJECTS) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(subject, { key, until: key === 'erased' ? Number.MAX_SAFE_INTEGER : now + CACHED_KEY_TTL_MS });
  }

  private segments(path: string): ReturnType<typeof segmentsOf> {
    let segments = this.paths.get(path);
    if (segments === undefined) {
      segments = segmentsOf(path);
      this.paths.set(path, segments);
    }
    return segments;
  }
}

function requireString(value: unknown, type: string, field: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new Error(`${type}: the subject of its personal data (${field}) is missing`);
  }
  return value;
}
