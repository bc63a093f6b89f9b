import type { JsonObject, RecordedEvent } from '../event-store.port';

/** The events table's row, shared by the SQL adapters. */
export interface EventRow {
  readonly position: number | string;
  readonly stream_name: string;
  readonly revision: number | string;
  readonly event_id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly recorded_at: string | Date;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    streamName: row.stream_name,
    // PostgreSQL returns BIGINT as a string; both stay well below 2^53 (see the port).
    revision: Number(row.revision),
    position: Number(row.position),
    recordedAt: row.recorded_at instanceof Date ? row.recorded_at.toISOString() : row.recorded_at,
    data: JSON.parse(row.data) as JsonObject,
    metadata: JSON.parse(row.metadata) as JsonObject,
  };
}
