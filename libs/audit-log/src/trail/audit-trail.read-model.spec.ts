import type { DomainEvent } from '@salur/kernel';
import { projectInMemory } from '@salur/projections';
import { facts, recordedEvents } from '@salur/projections/testing';
import { parseStored } from '@salur/personal-data';
import type { AuditEventView } from './audit-trail.queries';
import { maskAuditRows } from './audit-trail.view';
import { auditTrailProjection } from './audit-trail.projection';
import type { AuditEventRow, AuditSubjectRow } from './audit-trail.tables';

const enrolled = (beneficiaryId: string, nik: string, regionCode: string): DomainEvent => ({
  type: 'BeneficiaryEnrolled',
  data: {
    beneficiaryId,
    programmeId: 'p-1',
    nik,
    kk: '1606010101100001',
    name: 'SITI',
    regionCode,
    bankAccount: { bankCode: '002', accountNumber: '001901000000001', accountHolderName: 'SITI' },
    enrolledBy: 'eo',
    at: '2026-11-01T00:00:00.000Z',
  },
});

const viewed = (beneficiaryIds: string[]): DomainEvent => ({
  type: 'PersonalDataViewed',
  data: {
    viewerId: 'insp',
    viewerRole: 'inspector',
    beneficiaryIds,
    endpoint: 'GET /audit/trail',
    at: '2026-11-02T00:00:00.000Z',
  },
});

const log = recordedEvents([
  enrolled('b-1', '1606014509850001', '16.06.01.2001'),
  enrolled('b-2', '9171014509850002', '91.71.02.1003'),
  facts.scheduled('pay-1', 'b-1'),
  facts.batched('pay-1', 'batch-1'),
  facts.batchCreated('batch-1', 1),
  facts.batchApproved('batch-1', 1),
  facts.sent('pay-1', 'batch-1'),
  facts.reversed('pay-1'),
  facts.exception('pay-1'),
  viewed(['b-1', 'b-2']),
  viewed(['b-2']),
]).map((event) => ({
  ...event,
  metadata: { actor: { userId: 'u-1', role: 'finance-officer' }, correlationId: 'c-1' },
}));

const tables = projectInMemory(auditTrailProjection, log);
const events = [...(tables.get('auditTrailEvents')?.values() ?? [])].map((stored) => stored.row as AuditEventRow);
const byType = (type: string) => events.filter((event) => event.type === type);
/** These events were never sealed (no vault here): opening a row is parsing its stored texts. */
const opened = (rows: AuditEventRow[]): AuditEventView[] =>
  rows.map(({ sealedNik, sealedKk, data, ...row }) => ({
    ...row,
    nik: parseStored(sealedNik) as string | null,
    kk: parseStored(sealedKk) as string | null,
    data: JSON.parse(data) as unknown,
  }));

describe('the audit trail index', () => {
  it('has one row per event, keyed by its zero-padded position, with its metadata', () => {
    expect(events.map((event) => event.id)).toEqual(log.map((event) => String(event.position).padStart(16, '0')));
    expect(events[0]).toMatchObject({
      position: 1,
      actorUserId: 'u-1',
      actorRole: 'finance-officer',
      correlationId: 'c-1',
      occurredAt: null,
    });
  });

  it('resolves the beneficiary, NIK, KK, region, round and batch of events that name only a payment or a batch', () => {
    const subject = {
      programmeId: 'p-1',
      beneficiaryId: 'b-1',
      sealedNik: JSON.stringify('1606014509850001'),
      sealedKk: JSON.stringify('1606010101100001'),
      regionCode: '16.06.01.2001',
    };
    expect(byType('PaymentReversed')[0]).toMatchObject({
      ...subject,
      paymentId: 'pay-1',
      batchId: 'batch-1',
      period: '2026-11',
    });
    expect(byType('BankResultException')[0]).toMatchObject({ ...subject, paymentId: 'pay-1', batchId: 'batch-1' });
    expect(byType('BatchApproved')[0]).toMatchObject({
      programmeId: 'p-1',
      period: '2026-11',
      batchId: 'batch-1',
      beneficiaryId: null,
    });
  });

  it('lists each beneficiary of a read of several, and names the one of a read of one', () => {
    const subjects = [...(tables.get('auditTrailSubjects')?.values() ?? [])].map(
      (stored) => stored.row as AuditSubjectRow,
    );
    const [many, one] = byType('PersonalDataViewed');
    expect(many.beneficiaryId).toBeNull();
    expect(one).toMatchObject({
      beneficiaryId: 'b-2',
      sealedNik: JSON.stringify('9171014509850002'),
      regionCode: '91.71.02.1003',
    });
    expect(subjects.map((subject) => [subject.eventRowId, subject.beneficiaryId])).toEqual([
      [many.id, 'b-1'],
      [many.id, 'b-2'],
      [one.id, 'b-2'],
    ]);
    expect(tables.get('auditTrailBeneficiaries')?.get('b-2')?.row).toMatchObject({
      province: '91',
      regency: '91.71',
      district: '91.71.02',
    });
  });

  it('masks NIK, KK and account numbers, in columns and at any depth of the data, unless the viewer sees them', () => {
    const enrolment = opened(byType('BeneficiaryEnrolled').slice(0, 1));
    const masked = maskAuditRows(enrolment, { role: 'inspector', grants: [] });
    expect(masked).toMatchObject({ revealed: false, revealedBeneficiaryIds: [] });
    expect(masked.items[0]).toMatchObject({
      nik: '1606********0001',
      data: { nik: '1606********0001', kk: '1606********0001', bankAccount: { accountNumber: '0019*******0001' } },
    });
    const clear = maskAuditRows(enrolment, { role: 'inspector', grants: ['pii'] });
    expect(clear).toMatchObject({ revealed: true, revealedBeneficiaryIds: ['b-1'] });
    expect(clear.items[0]).toMatchObject({
      nik: '1606014509850001',
      data: { bankAccount: { accountNumber: '001901000000001' } },
    });
    // The bank job sees account numbers, never identity numbers.
    const bank = maskAuditRows(enrolment, { role: 'bank-integration', grants: [] });
    expect(bank.items[0]).toMatchObject({
      nik: '1606********0001',
      data: { bankAccount: { accountNumber: '001901000000001' } },
    });
  });
});
