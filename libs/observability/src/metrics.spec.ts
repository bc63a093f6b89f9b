import { Metrics } from './metrics';

describe('Metrics', () => {
  it('reads gauges afresh at each scrape, so a series that ended disappears', async () => {
    const metrics = new Metrics();
    let rounds = ['r1', 'r2'];
    metrics.readGauges('rounds', ['roundOutstanding'], async (gauges) => {
      for (const round of rounds) gauges.set('roundOutstanding', { round, programme: 'P', period: '2026-11' }, 3);
    });
    expect(await metrics.exposition()).toContain('salur_round_outstanding_payments{round="r2"');
    rounds = ['r1'];
    const second = await metrics.exposition();
    expect(second).toContain('salur_round_outstanding_payments{round="r1"');
    expect(second).not.toContain('round="r2"');
  });

  it('leaves out the series of a reader that fails, counts the failure, and keeps the others', async () => {
    const metrics = new Metrics();
    let failing = false;
    metrics.readGauges('budgets', ['budgetUsed'], async (gauges) => {
      if (failing) throw new Error('read models down');
      gauges.set('budgetUsed', { programme: 'PKH', fiscal_year: '2026' }, 0.5);
    });
    metrics.readGauges('rounds', ['roundsOpen'], async (gauges) => gauges.set('roundsOpen', {}, 2));
    expect(await metrics.exposition()).toContain(
      'salur_programme_budget_used_ratio{programme="PKH",fiscal_year="2026"} 0.5',
    );
    failing = true;
    const scraped = await metrics.exposition();
    expect(scraped).not.toContain('salur_programme_budget_used_ratio{');
    expect(scraped).toContain('salur_metrics_read_failures_total{group="budgets"} 1');
    expect(scraped).toContain('salur_metrics_read_failures_total{group="rounds"} 0');
    expect(scraped).toContain('salur_rounds_open 2');
  });

  it('refuses a reader writing a gauge it did not declare (its series would never be cleared)', async () => {
    const metrics = new Metrics();
    metrics.readGauges('rounds', ['roundsOpen'], async (gauges) => gauges.set('bankExceptionsOpen', {}, 1));
    const scraped = await metrics.exposition();
    expect(scraped).toContain('salur_metrics_read_failures_total{group="rounds"} 1');
    expect(scraped).not.toMatch(/^salur_bank_exceptions_open /m);
  });

  it('lets concurrent scrapes share one reading', async () => {
    const metrics = new Metrics();
    let reads = 0;
    metrics.readGauges('rounds', ['roundsOpen'], async (gauges) => {
      reads++;
      await new Promise((resolve) => setImmediate(resolve));
      gauges.set('roundsOpen', {}, reads);
    });
    const [a, b] = await Promise.all([metrics.exposition(), metrics.exposition()]);
    expect(reads).toBe(1);
    expect(a).toBe(b);
  });

  it('counts and times with the catalogue’s names and labels', async () => {
    const metrics = new Metrics();
    metrics.histogram('commandDuration').observe({ command: 'POST /rounds', outcome: 'ok' }, 0.2);
    metrics.counter('appendedEvents').inc({ adapter: 'sqlite' }, 5);
    const scraped = await metrics.exposition();
    expect(scraped).toContain('salur_command_duration_seconds_count{command="POST /rounds",outcome="ok"} 1');
    expect(scraped).toContain('salur_event_store_appended_events_total{adapter="sqlite"} 5');
  });
});
