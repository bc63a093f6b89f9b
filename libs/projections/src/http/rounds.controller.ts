import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ReadAfterQueryDto, Roles } from '@salur/http';
import type { Page } from '../directory/keyset-page';
import { ProjectionStatusService } from '../engine/projection-status.service';
import { readAfter } from '../read-after';
import { roundProgressProjection } from '../round-progress/round-progress.projection';
import { RoundProgressQueries, type RoundView } from '../round-progress/round-progress.queries';
import { RoundListQuery, RoundParams } from './read-models.dto';

@ApiTags('rounds')
@ApiBearerAuth()
@Controller('rounds')
export class RoundsController {
  constructor(
    private readonly rounds: RoundProgressQueries,
    private readonly readModels: ProjectionStatusService,
  ) {}

  @Get()
  @Roles('programme-officer', 'finance-officer', 'inspector', 'admin')
  async list(@Query() query: RoundListQuery): Promise<Page<RoundView>> {
    await readAfter(this.readModels, query.minPosition, [roundProgressProjection.name]);
    return this.rounds.list({ programmeId: query.programmeId }, { limit: query.limit, cursor: query.cursor });
  }

  /** Where the payments of one programme period stand, counted by stage. */
  @Get(':programmeId/:period')
  @Roles('programme-officer', 'finance-officer', 'inspector', 'admin')
  async get(@Param() { programmeId, period }: RoundParams, @Query() query: ReadAfterQueryDto): Promise<RoundView> {
    await readAfter(this.readModels, query.minPosition, [roundProgressProjection.name]);
    const round = await this.rounds.get(programmeId, period);
    if (round === undefined) {
      throw new NotFoundException({
        statusCode: 404,
        code: 'ROUND_NOT_FOUND',
        message: `No payments for ${programmeId} ${period}`,
      });
    }
    return round;
  }
}
