import { createHash } from 'node:crypto';
import { CanonicalizationError } from './jcs';
import { hashedLeafOf, leafBytesOf, LoggableEvent } from './leaf';
import { hashChildren, hashLeaf } from './merkle';

/** SHA-256 by the streaming API, independent of the one-shot crypto.hash the log uses. */
const reference = (...parts: Uint8Array[]) => parts.reduce((h, part) => h.update(part), createHash('sha256')).digest();

const event: LoggableEvent = {
  id: '0b9f5a3e-7c1d-4e2a-9f6b-3d8c1a2b4e5f',
  streamName: 'payment-6f1c',
  revision: 3,
  type: 'PaymentCredited',
  recordedAt: '2026-11-05T08:00:00.000Z',
  data: { paymentId: '6f1c', creditedAmount: '600000.00', name: 'SITI AMİNAH €', nested: { b: [1, 'x'], a: null } },
  metadata: { schemaVersion: 1 },
};

describe('the leaf, serialized once and hashed as 0x00 ‖ bytes', () => {
  it('gives the RFC 8785 bytes and their leaf hash, as the separate functions do', () => {
    const leaf = hashedLeafOf(event);
    expect(leaf.bytes.equals(leafBytesOf(event))).toBe(true);
    expect(leaf.hash.equals(reference(Uint8Array.of(0), leaf.bytes))).toBe(true);
    expect(leaf.hash.equals(hashLeaf(leaf.bytes))).toBe(true);
    expect(leaf.bytes.toString('utf8')).toBe(
      '{"data":{"creditedAmount":"600000.00","name":"SITI AMİNAH €","nested":{"a":null,"b":[1,"x"]},"paymentId":"6f1c"},' +
        '"id":"0b9f5a3e-7c1d-4e2a-9f6b-3d8c1a2b4e5f","metadata":{"schemaVersion":1},"recordedAt":"2026-11-05T08:00:00.000Z",' +
        '"revision":3,"stream":"payment-6f1c","type":"PaymentCredited"}',
    );
  });

  it('hashes nodes as SHA-256(0x01 ‖ left ‖ right)', () => {
    const left = reference(Buffer.from('left'));
    const right = reference(Buffer.from('right'));
    expect(hashChildren(left, right).equals(reference(Uint8Array.of(1), left, right))).toBe(true);
  });

  it('refuses an event that has no faithful leaf, naming the field', () => {
    const float = { ...event, data: { ...event.data, creditedAmount: 600000.5 } };
    expect(() => hashedLeafOf(float)).toThrow(CanonicalizationError);
    expect(() => hashedLeafOf(float)).toThrow('$.data.creditedAmount: 600000.5 is not an integer');
    const lone = { ...event, metadata: { note: 'a\uD800b' } };
    expect(() => hashedLeafOf(lone)).toThrow('$.metadata.note: contains a lone surrogate');
  });
});
