import { Injectable } from '@nestjs/common';
import type { GlobalPosition } from '@salur/event-store';
import { ProjectionEngine, ProjectionStatus, WaitForOptions } from './projection-engine';

/** What the API needs of the engine: how far each projection is, and a way to wait for one. */
@Injectable()
export class ProjectionStatusService {
  constructor(private readonly engine: ProjectionEngine) {}

  status(): Promise<ProjectionStatus[]> {
    return this.engine.status();
  }

  /**
   * Resolves once the projections applied every event up to `position` (the position a command
   * was answered with); rejects with ProjectionWaitTimeoutError after at most 5 s.
   */
  waitFor(position: GlobalPosition, options?: WaitForOptions): Promise<void> {
    return this.engine.waitFor(position, options);
  }
}
