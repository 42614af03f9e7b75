import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { MamoriConfig } from '../config/configuration.js';
import { QUEUES } from './outbox-topics.js';

/** bull on Redis: the connection and every queue (processors are registered only where jobs run). */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<MamoriConfig, true>) => {
        const queue = config.get('queue', { infer: true });
        return { url: queue.redisUrl, prefix: queue.prefix, redis: { maxRetriesPerRequest: null, enableReadyCheck: false } };
      },
    }),
    ...Object.values(QUEUES).map((name) => BullModule.registerQueue({ name })),
  ],
  exports: [BullModule],
})
export class QueueModule {}
