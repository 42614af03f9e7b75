import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { PROBLEMS, type ProblemTable } from '../errors/problem-registry.js';

/** A repeatable job of the `schedules` queue; its handler is a method marked `@ScheduledJob(name)`. */
export interface ScheduleDefinition {
  /** the job's name, unique across features, e.g. `review-due` */
  name: string;
  /** fixed repeat id: registering again at every start-up is harmless */
  jobId: string;
  /** cron expression, read in `tz` */
  cron: string;
  tz: string;
}

/**
 * A command of `npm run cli -- <name>` that a feature brings; it runs in an application context
 * without HTTP and without job processing, and returns the exit code.
 */
export interface CliCommand {
  name: string;
  /** e.g. `policies:sync [--dry-run] [--root DIR]` */
  usage: string;
  description: string;
  run(app: INestApplicationContext, args: string[]): Promise<number>;
}

/**
 * What a feature module brings, declared where it lives (like a Vendure plugin): the plumbing reads
 * it and never lists features. Other parts add fields by augmenting this interface (the outbox its
 * topics, notifications their intents, the web layer its navigation).
 */
export interface FeatureDefinition {
  /** short name, e.g. `policies`; prefixes its schedules and owns its problem codes */
  name: string;
  /** the TypeORM entities it owns (the DataSource and the migration check read them) */
  entities?: readonly (abstract new (...args: never[]) => object)[];
  /** its problem codes (registered when the module is loaded; a duplicate code fails start-up) */
  problems?: ProblemTable;
  /** its repeatable jobs */
  schedules?: readonly ScheduleDefinition[];
  /** its commands of the CLI */
  commands?: readonly CliCommand[];
}

const FEATURE_KEY = Symbol('mamori:feature');

/**
 * Marks a Nest module as a feature and declares what it brings. Its problem codes are registered at
 * once, so an exception can name them wherever the module is loaded.
 */
export function Feature(definition: FeatureDefinition): ClassDecorator {
  if (definition.problems) PROBLEMS.register(definition.name, definition.problems);
  return (target) => Reflect.defineMetadata(FEATURE_KEY, definition, target);
}

/** The definition a module declared with `@Feature`, if any. */
export function featureOf(module: unknown): FeatureDefinition | undefined {
  return typeof module === 'function' ? (Reflect.getMetadata(FEATURE_KEY, module) as FeatureDefinition | undefined) : undefined;
}

/** Every entity the given feature modules declare, in order, each once. */
export function entitiesOf(modules: readonly unknown[]): (abstract new (...args: never[]) => object)[] {
  return [...new Set(modules.flatMap((module) => featureOf(module)?.entities ?? []))];
}
