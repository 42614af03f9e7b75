import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/configuration.js';
import { dataSourceOptions } from './data-source-options.js';

/** Used by TypeORM's CLI (`npm run migration:generate`, `migration:run`). */
export default new DataSource(dataSourceOptions(loadConfig().database.url));
