import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './config/configuration.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { FEATURE_ENTITIES } from './features.js';

/** Used by TypeORM's CLI (`npm run migration:generate`), as the owner, over the entities the features declare. */
const { database } = loadConfig();
export default new DataSource(dataSourceOptions(database.ownerUrl ?? database.url, FEATURE_ENTITIES));
