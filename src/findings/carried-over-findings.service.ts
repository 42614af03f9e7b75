import { Injectable } from '@nestjs/common';
import { Brackets, In } from 'typeorm';
import { accessScope } from '../auth/access-scope.js';
import type { Actor } from '../common/actor.js';
import { tokyoToday } from '../common/calendar.js';
import { fiscalYearOf } from '../common/dates.js';
import { pageOf, type Page } from '../common/pagination.js';
import { assertMay } from '../common/permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { CorrectiveAction } from './corrective-action.entity.js';
import { Finding } from './finding.entity.js';
import { FINDING_SCOPE, FINDINGS } from './findings.permissions.js';
import type { FindingWithActions } from './findings.service.js';

/** Which carried-over findings to list: the fiscal year carried into (default: the current one, Asia/Tokyo) and the page. */
export interface CarriedOverQuery {
  fiscalYear?: number;
  /** 1-based, default 1 */
  page?: number;
  /** default 50 */
  pageSize?: number;
}

/**
 * A page of carried-over findings, oldest first, each with its corrective actions that were still open
 * when the fiscal year began (not verified before then), and the fiscal year they are carried into.
 */
export type CarriedOverPage = Page<FindingWithActions> & { fiscalYear: number };

/** The first moment of a fiscal year: 1 April, 00:00 in Asia/Tokyo (UTC+9, no daylight saving). */
export function fiscalYearStart(fiscalYear: number): Date {
  return new Date(`${fiscalYear}-04-01T00:00:00+09:00`);
}

/**
 * Findings carried over (繰越し) into a fiscal year, computed rather than copied: a finding of an
 * earlier fiscal year that was not verified before the year began (`verified_at` empty, or on or after
 * 1 April 00:00 Tokyo). So a finding verified in May still shows as carried into the year it was
 * verified in, and one verified in March of the year before does not. The reader's scope is the
 * findings list's: the security office, the CISO, auditors and the CSIRT all; a manager their department's.
 */
@Injectable()
export class CarriedOverFindingsService {
  constructor(private readonly uow: UnitOfWork) {}

  async list(actor: Actor, query: CarriedOverQuery = {}): Promise<CarriedOverPage> {
    assertMay(actor, FINDINGS.read);
    const fiscalYear = query.fiscalYear ?? fiscalYearOf(tokyoToday());
    const paging = { page: query.page ?? 1, pageSize: query.pageSize ?? 50 };
    const start = fiscalYearStart(fiscalYear);
    const q = this.uow.manager
      .getRepository(Finding)
      .createQueryBuilder('f')
      .where('f.organizationId = :org', { org: actor.organizationId })
      .andWhere('f.fiscalYear < :fy', { fy: fiscalYear })
      .andWhere(new Brackets((open) => open.where('f.verifiedAt IS NULL').orWhere('f.verifiedAt >= :start', { start })));
    if (accessScope(actor, FINDING_SCOPE).kind !== 'all') {
      q.andWhere('f.ownerDepartmentId = :own', { own: actor.departmentId ?? '00000000-0000-0000-0000-000000000000' });
    }
    q.orderBy('f.fiscalYear', 'ASC')
      .addOrderBy('f.reference', 'ASC')
      .skip((paging.page - 1) * paging.pageSize)
      .take(paging.pageSize);
    const [findings, total] = await q.getManyAndCount();
    const actions =
      findings.length === 0
        ? []
        : await this.uow.manager
            .getRepository(CorrectiveAction)
            .createQueryBuilder('a')
            .where({ organizationId: actor.organizationId, findingId: In(findings.map((f) => f.id)) })
            .andWhere('a.createdAt < :start', { start })
            .andWhere(new Brackets((open) => open.where('a.verifiedAt IS NULL').orWhere('a.verifiedAt >= :start', { start })))
            .orderBy('a.dueDate', 'ASC')
            .addOrderBy('a.createdAt', 'ASC')
            .addOrderBy('a.id', 'ASC')
            .getMany();
    const items = findings.map((finding) => ({ finding, actions: actions.filter((a) => a.findingId === finding.id) }));
    return { ...pageOf(items, total, paging), fiscalYear };
  }
}
