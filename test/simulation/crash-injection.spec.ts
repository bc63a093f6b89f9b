import { crashPoint } from '@salur/application';
import { CrashInjection, SimulatedCrash } from '../../tools/simulate/crash-injection';
import { SeededRandom } from '../../tools/simulate/seeded-random';

describe('crash injection', () => {
  it('crashes at a drawn boundary, named crash points included, and stays dead until restarted', () => {
    const crash = new CrashInjection(new SeededRandom(3));
    const uninstall = crash.install();
    try {
      crash.arm();
      let crossed = 0;
      const boundary = () => (crossed++ % 2 === 0 ? crash.boundary('append') : crashPoint('batch-create:started'));
      expect(() => {
        for (let step = 0; step < 100; step++) boundary();
      }).toThrow(SimulatedCrash);
      expect(crash.crashedAt).toBeDefined();
      // Dead: whatever caught the crash can write nothing more.
      expect(() => crash.boundary('append')).toThrow(SimulatedCrash);
      expect(() => crashPoint('batch-close:closed')).toThrow(SimulatedCrash);

      crash.restart();
      expect(() => crashPoint('batch-close:closed')).not.toThrow();
      expect(crash.count).toBe(1);
    } finally {
      uninstall();
    }
  });

  it('leaves crash points inert once the hook is removed', () => {
    const crash = new CrashInjection(new SeededRandom(3));
    crash.install()();
    crash.arm();
    for (let step = 0; step < 100; step++) crashPoint('batch-create:started');
    expect(crash.crashedAt).toBeUndefined();
  });
});
