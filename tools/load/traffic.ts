import autocannon from 'autocannon';
import { Journal, answerOf } from './journal';
import { PlannedRequest, Scenario } from './scenarios';

/** Seconds autocannon waits for an answer; a timeout leaves a command's fate unknown and fails the run. */
const REQUEST_TIMEOUT_SECONDS = 30;

export interface EndpointFigures {
  readonly endpoint: string;
  readonly connections: number;
  readonly requests: number;
  readonly durationSeconds: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly statuses: Record<string, number>;
  /** Connection errors and timeouts: answers that never came. */
  readonly errors: number;
  readonly timeouts: number;
  /** Set when the scenario ran out of work before the end (every race batch approved). */
  readonly exhaustedAfterSeconds?: number;
}

interface ClientContext {
  planned?: PlannedRequest;
}

/** Runs every scenario at once, each as its own autocannon instance, for the same duration. */
export async function drive(
  url: string,
  scenarios: readonly Scenario[],
  durationSeconds: number,
  journal: Journal,
): Promise<EndpointFigures[]> {
  const started = Date.now();
  return Promise.all(
    scenarios.map(async (scenario) => {
      let exhaustedAt: number | undefined;
      let idle = 0;
      let instance: autocannon.Instance | undefined;
      const result = await new Promise<autocannon.Result>((resolve, reject) => {
        instance = autocannon(
          {
            url,
            connections: scenario.connections,
            duration: durationSeconds,
            timeout: REQUEST_TIMEOUT_SECONDS,
            requests: [
              {
                setupRequest: (request, context: ClientContext) => {
                  const planned = scenario.next();
                  if (!planned) {
                    // Nothing left: end this instance; the request below is never counted as a command.
                    if (exhaustedAt === undefined) {
                      exhaustedAt = Date.now();
                      setImmediate(() => instance?.stop());
                    }
                    context.planned = undefined;
                    idle++;
                    return { ...request, method: 'GET', path: '/health', headers: {}, body: undefined };
                  }
                  context.planned = planned;
                  if (planned.command) journal.sent(planned.command);
                  return {
                    ...request,
                    method: planned.method,
                    path: planned.path,
                    headers: planned.headers,
                    body: planned.body,
                  };
                },
                onResponse: (status, body, context: ClientContext, headers) => {
                  const planned = context.planned;
                  if (!planned?.command) return;
                  const answer = answerOf(scenario.endpoint, planned.command, status, body, headers ?? {});
                  journal.answered(answer);
                  scenario.settle?.(planned, answer);
                },
              },
            ],
          },
          (error, output) => (error ? reject(error) : resolve(output)),
        );
      });
      return figuresOf(scenario, result, idle, exhaustedAt === undefined ? undefined : (exhaustedAt - started) / 1_000);
    }),
  );
}

function figuresOf(
  scenario: Scenario,
  result: autocannon.Result,
  idle: number,
  exhaustedAfterSeconds?: number,
): EndpointFigures {
  const statuses: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) statuses[status] = Number(count ?? 0);
  // The GET /health sent while the instance stopped (at most one per connection) is not this endpoint's traffic.
  if (idle > 0 && statuses['200'] !== undefined) statuses['200'] = Math.max(0, statuses['200'] - idle);
  const requests = Object.values(statuses).reduce((sum, count) => sum + count, 0);
  return {
    endpoint: scenario.endpoint,
    connections: scenario.connections,
    requests,
    durationSeconds: result.duration,
    requestsPerSecond: requests / result.duration,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    ...(exhaustedAfterSeconds === undefined ? {} : { exhaustedAfterSeconds }),
  };
}
