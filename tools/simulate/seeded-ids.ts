// The module object itself (not a copy, as `import * as` would give): the one the service calls through.
import nodeCrypto from 'node:crypto';
import type { SeededRandom } from './seeded-random';

/**
 * Makes `randomUUID` draw from the simulation's seeded source for as long as a run lasts, and
 * returns what puts it back. The service takes its ids (event ids, batch ids, correlation ids)
 * from `randomUUID` of 'node:crypto', read at each call: replacing it on the module is the one
 * change that makes a seed replay the same ids, with no id source threaded through production code.
 */
export function useSeededUuids(random: SeededRandom): () => void {
  const crypto = nodeCrypto as { randomUUID: typeof nodeCrypto.randomUUID };
  const original = crypto.randomUUID;
  crypto.randomUUID = () => random.uuid() as ReturnType<typeof nodeCrypto.randomUUID>;
  return () => {
    crypto.randomUUID = original;
  };
}
