import { PassThrough } from 'node:stream';
import { IncomingMessage } from 'node:http';
import { eventMetadata, requestContextOf } from './command-context';
import { parseCorrelationId } from './correlation';
import { PlatformRequest, requestStateOf } from './request-state';

describe('parseCorrelationId', () => {
  it.each(['a', 'round-2026-11.batch_7:a-1', 'x'.repeat(100)])('keeps %s', (header) => {
    expect(parseCorrelationId(header)).toBe(header);
  });

  it('generates a UUID when the header is absent', () => {
    expect(parseCorrelationId(undefined)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it.each([
    ['empty', ''],
    ['101 characters', 'x'.repeat(101)],
    ['a space', 'a b'],
    ['a newline', 'a\nb'],
    ['non-ASCII', 'émission'],
    ['given twice', ['a', 'b']],
  ])('refuses one that is %s with INVALID_CORRELATION_ID', (_, header) => {
    expect(() => parseCorrelationId(header)).toThrow(
      expect.objectContaining({ code: 'INVALID_CORRELATION_ID', kind: 'invalid', field: 'X-Correlation-Id' }),
    );
  });
});

describe('requestContextOf and eventMetadata', () => {
  function authenticatedRequest(): PlatformRequest {
    const request = new IncomingMessage(new PassThrough() as never) as PlatformRequest;
    requestStateOf(request).actor = { userId: 'fo-1', role: 'finance-officer', grants: ['pii'] };
    return request;
  }

  it('builds a CommandContext whose actor carries no grants, with the time read once', () => {
    const request = authenticatedRequest();
    const state = requestStateOf(request);

    const context = requestContextOf(request, new Date('2026-11-02T08:00:00.000Z'));

    expect(context).toEqual({
      actor: { userId: 'fo-1', role: 'finance-officer' },
      grants: ['pii'],
      now: '2026-11-02T08:00:00.000Z',
      correlationId: state.correlationId,
      requestId: state.requestId,
    });
  });

  it("gives events the actor, the correlation, the request as causation and the command's time", () => {
    const request = authenticatedRequest();
    const context = requestContextOf(request, new Date('2026-11-02T08:00:00.000Z'));

    expect(eventMetadata(context)).toEqual({
      actor: { userId: 'fo-1', role: 'finance-officer' },
      correlationId: context.correlationId,
      causationId: context.requestId,
      occurredAt: '2026-11-02T08:00:00.000Z',
      schemaVersion: 1,
    });
    expect(eventMetadata(context, 2).schemaVersion).toBe(2);
  });

  it('refuses to build a command context for a request without an actor', () => {
    const request = new IncomingMessage(new PassThrough() as never) as PlatformRequest;

    expect(() => requestContextOf(request)).toThrow(/No authenticated actor/);
  });
});
