import type { RecordedEvent } from '@salur/event-store';
import type { PersonalDataVault } from './sealing';

/*
 * How read models keep personal data: in the form the event store holds it (a sealed envelope),
 * never the clear value the sealing layer opened for the reader. A row then holds nothing a copy
 * of the database could read, and erasing a subject's key turns its rows to '[erased]' at once,
 * with no rebuild. Query services open the stored form on the way out (`openStoredTexts`).
 */

/** The kinds of personal data a read model finds records by: a keyed search key, never the value. */
export type SearchableKind = 'nik' | 'kk';

/**
 * The recorded event with the data as stored: sealed fields stay sealed. Events without personal
 * data (and events read straight from the adapter) are stored as they are read. Run it through the
 * capability's event guard like the event itself, so an upcaster reshapes the stored form too.
 */
export function storedEventOf(recorded: RecordedEvent): RecordedEvent {
  const stored = recorded.personalData?.storedData;
  return stored === undefined ? recorded : { ...recorded, data: stored };
}

/**
 * A stored personal-data field as a row keeps it: the envelope (or, in an event recorded before
 * sealing, the clear string) as JSON text; null when the event has no such field.
 */
export function storedText(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** The event's search key of a NIK or KK, or null (no such field, or the subject was erased). */
export function searchKeyOf(recorded: RecordedEvent, kind: SearchableKind): string | null {
  return recorded.personalData?.searchKeys[kind] ?? null;
}

/** A stored field's JSON text (see storedText) back to the stored value: an envelope or a string. */
export function parseStored(text: string | null): unknown {
  return text === null ? null : (JSON.parse(text) as unknown);
}

/**
 * The stored fields of a page of rows opened for a reader, with one key look-up for the page:
 * each becomes its clear string, '[erased]' once its subject's key is gone; null stays null.
 * `textsOf` picks a row's stored fields; the answer lists them in the same order, row by row.
 * The values are returned to the caller, never logged.
 */
export async function openStoredRows<Row>(
  vault: PersonalDataVault,
  rows: readonly Row[],
  textsOf: (row: Row) => readonly (string | null)[],
): Promise<(string | null)[][]> {
  const stored = rows.map((row) => textsOf(row).map(parseStored));
  const opened = await vault.openData(stored);
  return opened.map((texts) => texts.map(clearText));
}

/** An opened field: a string; anything else (a malformed row) is shown as JSON rather than lost. */
function clearText(value: unknown): string | null {
  if (value === null || typeof value === 'string') return value;
  return JSON.stringify(value);
}
