import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor.js';
import { assertMay } from '../common/permissions.js';
import { CONTROLS } from './controls.permissions.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { FRAMEWORKS, type Framework } from './control.entity.js';

export interface ChapterCoverage {
  chapter: number;
  controls: number;
  implemented: number;
  partial: number;
  notImplemented: number;
  notApplicable: number;
  /** implemented ÷ applicable controls (controls − notApplicable); null when none is applicable */
  implementedRate: number | null;
}

export interface FrameworkCoverage {
  framework: Framework;
  /** ISO Annex A controls, or CSF subcategories */
  items: number;
  /** items mapped by at least one active, applicable control */
  covered: number;
  /** items mapped by at least one active control that is implemented */
  implemented: number;
  /** covered ÷ items; null for a framework without items */
  coveredRate: number | null;
  implementedRate: number | null;
}

export interface ControlCoverage {
  byChapter: ChapterCoverage[];
  byFramework: FrameworkCoverage[];
}

/** A share 0–1 rounded to 4 decimals; null when there is nothing to divide by. */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

/**
 * How far the catalogue is implemented, by chapter, and how much of each external framework it
 * covers, over active (not retired) controls. Counted in SQL.
 */
@Injectable()
export class ControlCoverageService {
  constructor(private readonly uow: UnitOfWork) {}

  async coverage(actor: Actor): Promise<ControlCoverage> {
    assertMay(actor, CONTROLS.read);
    const chapters: { chapter: number; controls: number; implemented: number; partial: number; not_implemented: number; not_applicable: number }[] =
      await this.uow.manager.query(
        `SELECT chapter::int AS chapter,
                count(*)::int AS controls,
                (count(*) FILTER (WHERE status = 'implemented'))::int AS implemented,
                (count(*) FILTER (WHERE status = 'partial'))::int AS partial,
                (count(*) FILTER (WHERE status = 'not_implemented'))::int AS not_implemented,
                (count(*) FILTER (WHERE status = 'not_applicable'))::int AS not_applicable
           FROM controls
          WHERE organization_id = $1 AND retired_at IS NULL
          GROUP BY chapter
          ORDER BY chapter`,
        [actor.organizationId],
      );
    // an item is covered when an active, applicable control maps to it; implemented when such a
    // control is implemented
    const frameworks: { framework: Framework; items: number; covered: number; implemented: number }[] = await this.uow.manager.query(
      `WITH mapped AS (
         SELECT f.key AS framework, ref.code, bool_or(c.status = 'implemented') AS implemented
           FROM controls c
          CROSS JOIN LATERAL jsonb_each(c.mappings) AS f(key, value)
          CROSS JOIN LATERAL jsonb_array_elements_text(f.value) AS ref(code)
          WHERE c.organization_id = $1 AND c.retired_at IS NULL AND c.status <> 'not_applicable'
            AND jsonb_typeof(f.value) = 'array'
          GROUP BY f.key, ref.code
       )
       SELECT fi.framework,
              count(*)::int AS items,
              count(m.code)::int AS covered,
              (count(*) FILTER (WHERE m.implemented))::int AS implemented
         FROM framework_items fi
         LEFT JOIN mapped m ON m.framework = fi.framework AND m.code = fi.code
        WHERE fi.organization_id = $1
        GROUP BY fi.framework`,
      [actor.organizationId],
    );
    const byFramework = FRAMEWORKS.map((framework): FrameworkCoverage => {
      const row = frameworks.find((f) => f.framework === framework) ?? { items: 0, covered: 0, implemented: 0 };
      return {
        framework,
        items: row.items,
        covered: row.covered,
        implemented: row.implemented,
        coveredRate: rate(row.covered, row.items),
        implementedRate: rate(row.implemented, row.items),
      };
    });
    return {
      byChapter: chapters.map((c) => ({
        chapter: c.chapter,
        controls: c.controls,
        implemented: c.implemented,
        partial: c.partial,
        notImplemented: c.not_implemented,
        notApplicable: c.not_applicable,
        implementedRate: rate(c.implemented, c.controls - c.not_applicable),
      })),
      byFramework,
    };
  }
}
