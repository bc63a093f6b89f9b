import { lineProgress } from '../../tools/demo/progress';

describe('the demo progress without a terminal', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('prints a line when a phase starts, every interval while it runs (even without updates), and when it ends', () => {
    const lines: string[] = [];
    const progress = lineProgress((text) => lines.push(text), Date.now, 5_000);
    jest.advanceTimersByTime(500);
    const phase = progress.phase('Enrolling', 10_000, 'beneficiaries');
    phase.update(1_250);
    jest.advanceTimersByTime(5_000);
    jest.advanceTimersByTime(5_000);
    expect(phase.finish()).toBe(10_000);
    jest.advanceTimersByTime(20_000);
    expect(lines).toEqual([
      '[   0.5 s] Enrolling: 0/10,000 beneficiaries\n',
      '[   5.5 s] Enrolling: 1,250/10,000 beneficiaries\n',
      '[  10.5 s] Enrolling: 1,250/10,000 beneficiaries\n',
      '[  10.5 s] Enrolling: 10,000/10,000 beneficiaries, done in 10.0 s\n',
    ]);
  });
});
