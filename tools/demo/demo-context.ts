import type { EventStore } from '@salur/event-store';
import type { ApiConfig } from '../../apps/api/src/api.config';
import type { ApiClient } from '../load/api-client';
import type { Progress } from './progress';

/** What every step of the demo works with. */
export interface DemoContext {
  readonly client: ApiClient;
  readonly progress: Progress;
  readonly config: ApiConfig;
  /** The API's own store, read directly for what no route lists (the refused payments, the closing table). */
  readonly store: EventStore;
  readonly beneficiaries: number;
  /** Where the simulated bank writes its answers (pain.002, camt.054). */
  readonly bankAnswersDir: string;
  /** The pain.001 written for each batch, by batch id: the proof's verify command names one. */
  readonly bankFiles: Map<string, string>;
}
