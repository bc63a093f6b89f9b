import { searchedKindsOf, SearchRateLimiter } from './personal-data-search';

describe('the search rate limit', () => {
  it('allows 30 searches at once, then one per two seconds, per person', () => {
    let now = 0;
    const limiter = new SearchRateLimiter({ searches: 30, refillMs: 60_000, maxActors: 100 }, () => now);
    const answers = Array.from({ length: 31 }, () => limiter.take('insp-1'));
    expect(answers.slice(0, 30).every((answer) => answer === undefined)).toBe(true);
    expect(answers[30]).toBe(2);
    // Someone else's budget is their own.
    expect(limiter.take('insp-2')).toBeUndefined();
    now = 1_999;
    expect(limiter.take('insp-1')).toBe(1);
    // A refused search costs nothing: four seconds in, two searches have come back.
    now = 4_000;
    expect([limiter.take('insp-1'), limiter.take('insp-1'), limiter.take('insp-1')]).toEqual([undefined, undefined, 2]);
    // A full minute refills the bucket, never beyond its size.
    now = 600_000;
    expect(
      Array.from({ length: 31 }, () => limiter.take('insp-1')).filter((answer) => answer !== undefined),
    ).toHaveLength(1);
  });

  it('keeps at most maxActors buckets, forgetting the least recently seen', () => {
    const limiter = new SearchRateLimiter({ searches: 1, refillMs: 60_000, maxActors: 3 }, () => 0);
    for (const user of ['a', 'b', 'c']) limiter.take(user);
    expect(limiter.take('a')).toBe(60);
    limiter.take('d');
    expect(limiter.actors).toBe(3);
    // 'b' was the least recently seen: forgotten, so it starts afresh; 'a' was kept.
    expect(limiter.take('b')).toBeUndefined();
    expect(limiter.take('a')).toBe(60);
  });
});

describe('which requests search by personal data', () => {
  it.each([
    ['/beneficiaries?nik=1606014509850003', ['nik']],
    ['/audit/trail?kk=1&nik=2', ['kk', 'nik']],
    ['/beneficiaries?NIK=1606', ['nik']],
    ['/beneficiaries?nik[0]=1606&nik[1]=2', ['nik']],
    ['/beneficiaries?nik=', ['nik']],
    ['/beneficiaries?programmeId=PKH-2026&status=active', []],
    ['/beneficiaries', []],
  ])('%s searches by %j', (path, kinds) => {
    expect(searchedKindsOf(path)).toEqual(kinds);
  });
});
