import { InjectQueue } from '@nestjs/bull';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Queue } from 'bull';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../common/access.decorators.js';
import { QUEUES } from '../outbox/outbox-topics.js';

type Check = { status: 'up' } | { status: 'down'; error: string };

const TIMEOUT_MS = 2_000;

async function probe(work: () => Promise<unknown>): Promise<Check> {
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
  async health(@Res() response: Response): Promise<void> {
    const [database, redis] = await Promise.all([probe(() => this.dataSource.query('SELECT 1')), probe(() => this.queue.client.ping())]);
    const ok = database.status === 'up' && redis.status === 'up';
    response.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'error', checks: { database, redis } });
  }
}
