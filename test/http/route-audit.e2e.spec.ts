import { Controller, Delete, Get, Post } from '@nestjs/common';
import { Roles } from '@salur/http';
import { startApi } from './support/test-api';

@Controller('misdeclared')
class InspectorMayWriteController {
  @Get()
  @Roles('inspector')
  read(): string {
    return 'fine';
  }

  @Post('reversals')
  @Roles('finance-officer', 'inspector')
  reverse(): string {
    return 'an inspector must never get here';
  }

  @Delete('batches')
  @Roles('inspector')
  cancel(): string {
    return 'nor here';
  }
}

@Controller('read-only')
class InspectorReadsController {
  @Get()
  @Roles('inspector')
  read(): string {
    return 'fine';
  }
}

describe('the route access audit at start-up', () => {
  it("refuses to start when a writing route lists 'inspector', naming every such route", async () => {
    const start = startApi({ controllers: [InspectorMayWriteController] });

    await expect(start).rejects.toThrow(
      "Inspectors are read-only, but these routes list 'inspector': " +
        'POST InspectorMayWriteController.reverse, DELETE InspectorMayWriteController.cancel',
    );
  });

  it('starts when inspectors are only listed on reading routes', async () => {
    const api = await startApi({ controllers: [InspectorReadsController] });

    await api.close();
  });
});
