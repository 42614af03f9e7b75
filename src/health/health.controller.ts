import { InjectQueue } from '@nestjs/bull';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Queue } from 'bull';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../common/access.decorators.js';
import { QUEUES } from '../outbox/outbox-topics.js';
import { HealthView, type HealthCheckView } from './dto/health-view.dto.js';

const TIMEOUT_MS = 2_000;

async function probe(work: () => Promise<unknown>): Promise<HealthCheckView> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([work(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), TIMEOUT_MS)))]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.notifications) private readonly queue: Queue,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Database and Redis reachability: 200 when both are up, 503 otherwise' })
  @ApiOkResponse({ type: HealthView, description: 'both up' })
  @ApiServiceUnavailableResponse({ type: HealthView, description: 'one is down (the same body, with `status: "error"`)' })
  async health(@Res() response: Response): Promise<void> {
    const [database, redis] = await Promise.all([probe(() => this.dataSource.query('SELECT 1')), probe(() => this.queue.client.ping())]);
    const ok = database.status === 'up' && redis.status === 'up';
    const body: HealthView = { status: ok ? 'ok' : 'error', checks: { database, redis } };
    response.status(ok ? 200 : 503).json(body);
  }
}
