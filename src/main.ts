import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { EnvironmentError } from './config/environment.js';
import { loadConfig } from './config/configuration.js';
import { ensureDatabase } from './database/ensure-database.js';
import { migrate } from './database/migrate.js';
import { FEATURE_ENTITIES } from './features.js';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  if (config.app.env === 'development' && config.database.ownerUrl) {
    // a developer's `npm start`: set up and migrate as the owner, then run as the app's own role
    const ensured = await ensureDatabase(config.database.ownerUrl, config.database.url);
    if (ensured.createdDatabase) Logger.log(`created database ${new URL(config.database.url).pathname.slice(1)}`, 'Bootstrap');
    const applied = await migrate(config.database.ownerUrl, FEATURE_ENTITIES);
    if (applied.length) Logger.log(`applied migrations ${applied.join(', ')}`, 'Bootstrap');
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), { bodyParser: false, logger: [config.app.logLevel, 'error', 'warn'] });
  configureApp(app);
  app.enableShutdownHooks();
  await app.listen(config.app.port, config.app.host);
  Logger.log(
    `Mamori listening on http://${config.app.host.includes(':') ? `[${config.app.host}]` : config.app.host}:${config.app.port} (${config.app.env}${config.app.runWorkerInWeb ? ', jobs in-process' : ''})`,
    'Bootstrap',
  );
}

bootstrap().catch((error: unknown) => {
  if (error instanceof EnvironmentError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
