import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import { assertMay, may } from '../common/permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { POLICIES } from './policies.permissions.js';

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
  /** when the next review is due (null until a version is approved or a review recorded) */
  nextReviewDue: string | null;
  lastReviewedAt: Date | null;
  /** a review asked for a revision that has not been approved yet */
  revisionRequested: boolean;
}

interface SummaryRow {
  id: string;
  key: string;
  kind: string;
  title: string;
  title_en: string | null;
  owner_role: string;
  review_interval_months: number;
  classification: string;
  next_review_due: string | null;
  last_reviewed_at: Date | null;
  revision_requested: boolean;
  latest_id: string | null;
  latest_version: number | null;
  latest_status: string | null;
  latest_created_at: Date | null;
  approved_version: number | null;
}

/** Policies as documents: each with its latest version and the version in force, in one query. */
@Injectable()
export class PoliciesService {
  constructor(private readonly uow: UnitOfWork) {}

  async list(actor: Actor): Promise<{ items: PolicySummary[]; total: number }> {
    const items = await this.summaries(actor, null);
    return { items, total: items.length };
  }

  /** One policy by its key (`basic-policy`); 404 when there is none. */
  async byKey(actor: Actor, key: string): Promise<PolicySummary> {
    const [found] = await this.summaries(actor, key);
    if (!found) throw new AppException('POLICY_NOT_FOUND');
    return found;
  }

  /**
   * How many policies are due for review by `until` (next review on or before it), and how many of
   * them are overdue (before `today`): the work queue's count. Read-only.
   */
  async countReviewsDue(actor: Actor, days: { today: string; until: string }): Promise<{ due: number; overdue: number }> {
    assertMay(actor, POLICIES.read_reviews);
    const [row] = (await this.uow.manager.query(
      `SELECT count(*)::int AS due, count(*) FILTER (WHERE next_review_due < $2::date)::int AS overdue
         FROM policies
        WHERE organization_id = $1 AND next_review_due <= $3::date`,
      [actor.organizationId, days.today, days.until],
    )) as { due: number; overdue: number }[];
    return { due: row?.due ?? 0, overdue: row?.overdue ?? 0 };
  }

  /**
   * The summaries; `latestVersion` is the latest version the actor may see: someone who may not read
   * drafts (POLICIES.read_drafts) sees the latest version that was once in force, never a draft's
   * number, id or date.
   */
  private async summaries(actor: Actor, key: string | null): Promise<PolicySummary[]> {
    assertMay(actor, POLICIES.read);
    const withDrafts = may(actor, POLICIES.read_drafts);
    const rows = (await this.uow.manager.query(
      `SELECT p.id, p.key, p.kind, p.title, p.title_en, p.owner_role, p.review_interval_months, p.classification,
              p.next_review_due::text AS next_review_due, p.last_reviewed_at, p.revision_requested,
              latest.id AS latest_id, latest.version AS latest_version, latest.status AS latest_status, latest.created_at AS latest_created_at,
              approved.version AS approved_version
         FROM policies p
         LEFT JOIN LATERAL (SELECT v.id, v.version, v.status, v.created_at FROM policy_versions v
                             WHERE v.policy_id = p.id AND ($3::boolean OR v.status <> 'draft')
                             ORDER BY v.version DESC LIMIT 1) latest ON true
         LEFT JOIN LATERAL (SELECT v.version FROM policy_versions v
                             WHERE v.policy_id = p.id AND v.status = 'approved' ORDER BY v.version DESC LIMIT 1) approved ON true
        WHERE p.organization_id = $1 AND ($2::text IS NULL OR p.key = $2::text)
        ORDER BY p.key`,
      [actor.organizationId, key, withDrafts],
    )) as SummaryRow[];
    return rows.map((row) => ({
      id: row.id,
      key: row.key,
      kind: row.kind,
      title: row.title,
      titleEn: row.title_en,
      ownerRole: row.owner_role,
      reviewIntervalMonths: row.review_interval_months,
      classification: row.classification,
      latestVersion:
        row.latest_id === null ? null : { id: row.latest_id, version: row.latest_version!, status: row.latest_status!, createdAt: row.latest_created_at! },
      approvedVersion: row.approved_version,
      nextReviewDue: row.next_review_due,
      lastReviewedAt: row.last_reviewed_at,
      revisionRequested: row.revision_requested,
    }));
  }
}
