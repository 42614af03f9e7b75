import { Module } from '@nestjs/common';
import { CoreModule, FEATURE_MODULES } from './app.module.js';

/** The CLI's application context: services without HTTP and without job processing. */
@Module({ imports: [CoreModule, ...FEATURE_MODULES] })
export class CliModule {}
