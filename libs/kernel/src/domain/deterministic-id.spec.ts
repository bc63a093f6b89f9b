import { deterministicId, ID_NAMESPACES } from './deterministic-id';

describe('deterministicId (UUID version 5)', () => {
  it('matches the RFC 9562 / Python uuid5 value for www.example.com in the DNS namespace', () => {
    expect(deterministicId('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('gives one id per name and different ids for different names', () => {
    const first = deterministicId(ID_NAMESPACES.payment, 'BANTU-UMAK-2026/2026-11/b1');
    expect(deterministicId(ID_NAMESPACES.payment, 'BANTU-UMAK-2026/2026-11/b1')).toBe(first);
    expect(deterministicId(ID_NAMESPACES.payment, 'BANTU-UMAK-2026/2026-12/b1')).not.toBe(first);
  });
});
