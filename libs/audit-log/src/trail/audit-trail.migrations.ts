import type { Kysely, Migration } from 'kysely';
import { replaceTableAndRefill } from '@salur/projections';

/** Indexes of the events table: each list filter, followed by the log's order for its pages. */
const EVENT_INDEXES: ReadonlyArray<readonly [name: string, column: string]> = [
  ['audit_trail_events_by_beneficiary', 'beneficiaryId'],
  ['audit_trail_events_by_batch', 'batchId'],
  ['audit_trail_events_by_payment', 'paymentId'],
  ['audit_trail_events_by_programme', 'programmeId'],
  ['audit_trail_events_by_period', 'period'],
  ['audit_trail_events_by_actor', 'actorUserId'],
  ['audit_trail_events_by_type', 'type'],
  ['audit_trail_events_by_recorded_at', 'recordedAt'],
];

const BENEFICIARY_INDEXES: ReadonlyArray<readonly [name: string, column: string]> = [
  ['audit_trail_beneficiaries_by_nik', 'nik'],
  ['audit_trail_beneficiaries_by_kk', 'kk'],
  ['audit_trail_beneficiaries_by_province', 'province'],
  ['audit_trail_beneficiaries_by_regency', 'regency'],
  ['audit_trail_beneficiaries_by_district', 'district'],
  ['audit_trail_beneficiaries_by_village', 'regionCode'],
];

/** Since 0002: NIK and KK are found by their search keys, never by the numbers. */
const SEALED_BENEFICIARY_INDEXES: ReadonlyArray<readonly [name: string, column: string]> = [
  ['audit_trail_beneficiaries_by_nik_search_key', 'nikSearchKey'],
  ['audit_trail_beneficiaries_by_kk_search_key', 'kkSearchKey'],
  ['audit_trail_beneficiaries_by_province', 'province'],
  ['audit_trail_beneficiaries_by_regency', 'regency'],
  ['audit_trail_beneficiaries_by_district', 'district'],
  ['audit_trail_beneficiaries_by_village', 'regionCode'],
];

/** The audit trail's schema, version by version; a released migration is never edited. */
export const AUDIT_TRAIL_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-tables': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('auditTrailBeneficiaries')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('programmeId', 'text', (column) => column.notNull())
        .addColumn('nik', 'text', (column) => column.notNull())
        .addColumn('kk', 'text', (column) => column.notNull())
        .addColumn('regionCode', 'text', (column) => column.notNull())
        .addColumn('province', 'text', (column) => column.notNull())
        .addColumn('regency', 'text', (column) => column.notNull())
        .addColumn('district', 'text', (column) => column.notNull())
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();
      for (const [name, column] of BENEFICIARY_INDEXES) {
        await db.schema.createIndex(name).on('auditTrailBeneficiaries').column(column).execute();
      }

      await db.schema
        .createTable('auditTrailPayments')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('programmeId', 'text', (column) => column.notNull())
        .addColumn('period', 'text', (column) => column.notNull())
        .addColumn('beneficiaryId', 'text', (column) => column.notNull())
        .addColumn('batchId', 'text')
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();

      await db.schema
        .createTable('auditTrailBatches')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('programmeId', 'text', (column) => column.notNull())
        .addColumn('period', 'text', (column) => column.notNull())
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();

      await db.schema
        .createTable('auditTrailEvents')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('position', 'bigint', (column) => column.notNull())
        .addColumn('eventId', 'text', (column) => column.notNull())
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('streamName', 'text', (column) => column.notNull())
        .addColumn('revision', 'bigint', (column) => column.notNull())
        .addColumn('recordedAt', 'text', (column) => column.notNull())
        .addColumn('occurredAt', 'text')
        .addColumn('actorUserId', 'text')
        .addColumn('actorRole', 'text')
        .addColumn('correlationId', 'text')
        .addColumn('causationId', 'text')
        .addColumn('programmeId', 'text')
        .addColumn('period', 'text')
        .addColumn('batchId', 'text')
        .addColumn('paymentId', 'text')
        .addColumn('beneficiaryId', 'text')
        .addColumn('nik', 'text')
        .addColumn('kk', 'text')
        .addColumn('regionCode', 'text')
        .addColumn('data', 'text', (column) => column.notNull())
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();
      for (const [name, column] of EVENT_INDEXES) {
        await db.schema.createIndex(name).on('auditTrailEvents').columns([column, 'id']).execute();
      }

      await db.schema
        .createTable('auditTrailSubjects')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('eventRowId', 'text', (column) => column.notNull())
        .addColumn('beneficiaryId', 'text', (column) => column.notNull())
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('audit_trail_subjects_by_beneficiary')
        .on('auditTrailSubjects')
        .columns(['beneficiaryId', 'eventRowId'])
        .execute();
    },
  },
  /**
   * Personal data sealed (issue 18): the beneficiaries' NIK and KK and every event's data were
   * kept in clear. Both tables are dropped with them and created in the new shape; the projection
   * then refills them from the log (replaceTableAndRefill).
   */
  '0002-sealed-personal-data': {
    async up(db: Kysely<unknown>) {
      const beneficiaries = {
        projection: 'audit-trail',
        table: 'auditTrailBeneficiaries',
        indexes: BENEFICIARY_INDEXES.map(([name]) => name),
      };
      await replaceTableAndRefill(db, beneficiaries, async () => {
        await db.schema
          .createTable('auditTrailBeneficiaries')
          .addColumn('id', 'text', (column) => column.primaryKey())
          .addColumn('programmeId', 'text', (column) => column.notNull())
          .addColumn('nikSearchKey', 'text')
          .addColumn('kkSearchKey', 'text')
          .addColumn('sealedNik', 'text')
          .addColumn('sealedKk', 'text')
          .addColumn('regionCode', 'text', (column) => column.notNull())
          .addColumn('province', 'text', (column) => column.notNull())
          .addColumn('regency', 'text', (column) => column.notNull())
          .addColumn('district', 'text', (column) => column.notNull())
          .addColumn('lastPosition', 'bigint', (column) => column.notNull())
          .execute();
        for (const [name, column] of SEALED_BENEFICIARY_INDEXES) {
          await db.schema.createIndex(name).on('auditTrailBeneficiaries').column(column).execute();
        }
      });
      const events = {
        projection: 'audit-trail',
        table: 'auditTrailEvents',
        indexes: EVENT_INDEXES.map(([name]) => name),
      };
      await replaceTableAndRefill(db, events, async () => {
        await db.schema
          .createTable('auditTrailEvents')
          .addColumn('id', 'text', (column) => column.primaryKey())
          .addColumn('position', 'bigint', (column) => column.notNull())
          .addColumn('eventId', 'text', (column) => column.notNull())
          .addColumn('type', 'text', (column) => column.notNull())
          .addColumn('streamName', 'text', (column) => column.notNull())
          .addColumn('revision', 'bigint', (column) => column.notNull())
          .addColumn('recordedAt', 'text', (column) => column.notNull())
          .addColumn('occurredAt', 'text')
          .addColumn('actorUserId', 'text')
          .addColumn('actorRole', 'text')
          .addColumn('correlationId', 'text')
          .addColumn('causationId', 'text')
          .addColumn('programmeId', 'text')
          .addColumn('period', 'text')
          .addColumn('batchId', 'text')
          .addColumn('paymentId', 'text')
          .addColumn('beneficiaryId', 'text')
          .addColumn('sealedNik', 'text')
          .addColumn('sealedKk', 'text')
          .addColumn('regionCode', 'text')
          .addColumn('data', 'text', (column) => column.notNull())
          .addColumn('lastPosition', 'bigint', (column) => column.notNull())
          .execute();
        for (const [name, column] of EVENT_INDEXES) {
          await db.schema.createIndex(name).on('auditTrailEvents').columns([column, 'id']).execute();
        }
      });
    },
  },
};
