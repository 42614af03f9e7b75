import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './config/configuration.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { FEATURE_ENTITIES } from './features.js';

/** Used by TypeORM's CLI (`npm run migration:generate`), over the entities the features declare. */
export default new DataSource(dataSourceOptions(loadConfig().database.url, FEATURE_ENTITIES));
