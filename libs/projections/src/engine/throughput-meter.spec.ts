import { RATE_WINDOW_MS, ThroughputMeter } from './throughput-meter';

describe('events per second', () => {
  it('divides by the meter’s age while it is younger than the window', () => {
    const meter = new ThroughputMeter(0);
    meter.record(500, 100);
    meter.record(500, 200);
    expect(meter.eventsPerSecond(500)).toBe(2_000);
  });

  it('forgets batches older than the window', () => {
    const meter = new ThroughputMeter(0);
    meter.record(1_000, 1_000);
    meter.record(100, RATE_WINDOW_MS + 5_000);
    expect(meter.eventsPerSecond(RATE_WINDOW_MS + 5_000)).toBe(10);
    expect(meter.eventsPerSecond(3 * RATE_WINDOW_MS)).toBe(0);
  });
});
