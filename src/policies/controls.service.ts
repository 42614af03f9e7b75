import { Injectable } from '@nestjs/common';
import { Brackets } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { pageOf, skipTake, type Page } from '../common/pagination.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { Control } from './control.entity.js';
import type { ControlQuery } from './dto/control.dto.js';
import { PolicyVersion } from './policy-version.entity.js';
import { Policy } from './policy.entity.js';

export interface PolicySummary {
  id: string;
  key: string;
  kind: string;
  title: string;
  titleEn: string | null;
  ownerRole: string;
  reviewIntervalMonths: number;
  classification: string;
  latestVersion: { id: string; version: number; status: string; createdAt: Date } | null;
  approvedVersion: number | null;
}

@Injectable()
export class ControlsService {
  constructor(private readonly uow: UnitOfWork) {}

  async list(actor: Actor, query: ControlQuery): Promise<Page<Control>> {
    const qb = this.uow.manager
      .getRepository(Control)
      .createQueryBuilder('c')
      .where('c.organizationId = :org', { org: actor.organizationId })
      .orderBy('c.chapter', 'ASC')
      .addOrderBy('c.code', 'ASC')
      .skip(skipTake(query).skip)
      .take(query.pageSize);
    if (!query.includeRetired) qb.andWhere('c.retiredAt IS NULL');
    if (query.chapter !== undefined) qb.andWhere('c.chapter = :chapter', { chapter: query.chapter });
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.ownerRole) qb.andWhere('c.ownerRole = :ownerRole', { ownerRole: query.ownerRole });
    if (query.essential !== undefined) qb.andWhere('c.essential = :essential', { essential: query.essential });
    if (query.framework) {
      // framework is one of FRAMEWORKS (validated), so it is safe as a jsonb key literal
      if (query.mappedTo) qb.andWhere(`c.mappings -> '${query.framework}' ? :mappedTo`, { mappedTo: query.mappedTo });
      else qb.andWhere(`jsonb_array_length(COALESCE(c.mappings -> '${query.framework}', '[]'::jsonb)) > 0`);
    }
    if (query.q) {
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('c.code ILIKE :q', { q: `%${query.q}%` })
            .orWhere('c.title ILIKE :q')
            .orWhere('c.titleEn ILIKE :q'),
        ),
      );
    }
    const [items, total] = await qb.getManyAndCount();
    return pageOf(items, total, query);
  }

  async get(actor: Actor, id: string): Promise<Control> {
    const found = await this.uow.manager.getRepository(Control).findOneBy({ id, organizationId: actor.organizationId });
    if (!found) throw new AppException('CONTROL_NOT_FOUND');
    return found;
  }

  /** Every policy with its latest version (number and status) and its approved version number. */
  async listPolicies(actor: Actor): Promise<{ items: PolicySummary[]; total: number }> {
    const policies = await this.uow.manager.getRepository(Policy).find({ where: { organizationId: actor.organizationId }, order: { key: 'ASC' } });
    const versions = await this.uow.manager.getRepository(PolicyVersion).find({
      where: { organizationId: actor.organizationId },
      select: { id: true, policyId: true, version: true, status: true, createdAt: true },
      order: { version: 'DESC' },
    });
    const items = policies.map((p): PolicySummary => {
      const mine = versions.filter((v) => v.policyId === p.id);
      const latest = mine[0];
      const approved = mine.find((v) => v.status === 'approved');
      return {
        id: p.id,
        key: p.key,
        kind: p.kind,
        title: p.title,
        titleEn: p.titleEn,
        ownerRole: p.ownerRole,
        reviewIntervalMonths: p.reviewIntervalMonths,
        classification: p.classification,
        latestVersion: latest ? { id: latest.id, version: latest.version, status: latest.status, createdAt: latest.createdAt } : null,
        approvedVersion: approved?.version ?? null,
      };
    });
    return { items, total: items.length };
  }
}
