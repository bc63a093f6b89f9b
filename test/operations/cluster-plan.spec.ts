import { ConfigurationError } from '@salur/config';
import { apiConfigFrom } from '../../apps/api/src/api.config';
import {
  clusterProcesses,
  clusterSettingsFrom,
  DEFAULT_CLUSTER_DATABASE_URL,
  nodeArgumentsOf,
} from '../../tools/cluster/cluster-plan';
import { LinePrefixer, MAX_LINE_CHARS, prefixOf } from '../../tools/cluster/line-prefixer';

describe('the API leaving the projections to the projector (PROJECTIONS)', () => {
  it('projects in its own process unless told, and leaves it to the projector with separate', () => {
    expect(apiConfigFrom({}).projections).toBe('in-process');
    expect(apiConfigFrom({ PROJECTIONS: 'separate' }).projections).toBe('separate');
    expect(() => apiConfigFrom({ PROJECTIONS: 'elsewhere' })).toThrow(ConfigurationError);
    expect(() => apiConfigFrom({ PROJECTIONS: 'elsewhere' })).toThrow(/^PROJECTIONS: 'elsewhere' is not one of/);
  });
});

describe('the cluster plan', () => {
  it('runs the three apps on one PostgreSQL database, the API without workers or projections', () => {
    const settings = clusterSettingsFrom({ API_PORT: '4000' });
    expect(settings).toEqual({ databaseUrl: DEFAULT_CLUSTER_DATABASE_URL, apiPort: 4000, projectorPort: 3001 });
    const [api, worker, projector] = clusterProcesses(settings);
    expect([api.app, worker.app, projector.app]).toEqual(['api', 'worker', 'projector']);
    for (const app of [api, worker, projector]) {
      expect(app.env).toMatchObject({ EVENT_STORE: 'postgres', DATABASE_URL: DEFAULT_CLUSTER_DATABASE_URL });
    }
    expect(api.env).toMatchObject({ PORT: '4000', EMBEDDED_WORKERS: 'false', PROJECTIONS: 'separate' });
    expect(projector.env).toMatchObject({ PORT: '3001' });
    expect(worker.readyUrl).toBeUndefined();
    expect(projector.readyUrl).toBe('http://127.0.0.1:3001/health/ready');
  });

  it('refuses a port that is not one, naming the variable', () => {
    expect(() => clusterSettingsFrom({ PROJECTOR_PORT: '70000' })).toThrow(/^PROJECTOR_PORT: '70000'/);
  });

  it('runs an app from its build or from its source', () => {
    expect(nodeArgumentsOf('projector', 'built')).toEqual(['dist/apps/projector/apps/projector/src/main.js']);
    expect(nodeArgumentsOf('worker', 'source').at(-1)).toBe('apps/worker/src/main.ts');
  });
});

describe('LinePrefixer', () => {
  const prefixed = (chunks: string[]) => {
    const lines: string[] = [];
    const prefixer = new LinePrefixer('api | ', (line) => lines.push(line));
    for (const chunk of chunks) prefixer.push(chunk);
    return { lines, prefixer };
  };

  it('prefixes whole lines however the output was cut, holding the unfinished one', () => {
    const { lines, prefixer } = prefixed(['{"a":', '1}\n{"b"', ':2}\n{"c":3}']);
    expect(lines).toEqual(['api | {"a":1}', 'api | {"b":2}']);
    prefixer.flush();
    expect(lines.at(-1)).toBe('api | {"c":3}');
  });

  it('passes a runaway line on in pieces instead of holding it without bound', () => {
    const { lines } = prefixed(['x'.repeat(MAX_LINE_CHARS + 1)]);
    expect(lines).toHaveLength(1);
  });

  it('pads the names to one width', () => {
    expect(prefixOf('api', ['api', 'projector'])).toBe('api       | ');
  });
});
