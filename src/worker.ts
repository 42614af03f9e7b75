import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from './app.module.js';
import { EnvironmentError } from './config/environment.js';
import { loadConfig } from './config/configuration.js';

/** `npm run worker`: the outbox relay and the bull processors, no HTTP. */
async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: [config.app.logLevel, 'error', 'warn'] });
  app.enableShutdownHooks();
  Logger.log('Mamori worker running', 'Worker');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof EnvironmentError ? error.message : error);
  process.exit(1);
});
