import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Organization } from './organization.entity.js';

@Injectable()
export class OrganizationsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The deployment's first organisation: events that cannot be tied to a signed-in person (a failed
   * login for an unknown address) are recorded in its audit trail.
   */
  async home(manager: EntityManager = this.dataSource.manager): Promise<Organization | null> {
    return manager.getRepository(Organization).findOne({ where: {}, order: { createdAt: 'ASC' } });
  }

  async byCode(code: string, manager: EntityManager = this.dataSource.manager): Promise<Organization | null> {
    return manager.getRepository(Organization).findOneBy({ code });
  }

  /** Finds or creates the organisation with this code (bootstrap and seeds). */
  async ensure(code: string, name: string, manager: EntityManager = this.dataSource.manager): Promise<Organization> {
    const repo = manager.getRepository(Organization);
    await repo.createQueryBuilder().insert().values({ code, name }).orIgnore().execute();
    return repo.findOneByOrFail({ code });
  }
}
