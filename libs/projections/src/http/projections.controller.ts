import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@salur/http';
import type { ProjectionStatus } from '../engine/projection-engine';
import { ProjectionStatusService } from '../engine/projection-status.service';

@ApiTags('projections')
@ApiBearerAuth()
@Controller('projections')
export class ProjectionsController {
  constructor(private readonly projections: ProjectionStatusService) {}

  /** Each projection's position, its lag behind the log's head and its rate. */
  @Get('status')
  @Roles('admin', 'inspector', 'finance-officer', 'programme-officer')
  status(): Promise<ProjectionStatus[]> {
    return this.projections.status();
  }
}
