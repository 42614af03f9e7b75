import { Module } from '@nestjs/common';
import { OutboxRelay } from '../outbox/outbox-relay.service.js';
import { JobRunner } from './job-runner.service.js';

/** What runs jobs: the outbox relay and the queue processors. Imported by the worker (and the web process in development). */
@Module({
  providers: [OutboxRelay, JobRunner],
  exports: [OutboxRelay, JobRunner],
})
export class JobsModule {}
