import { Injectable } from '@nestjs/common';
import type { Transaction } from '../database/unit-of-work.js';
import './training.events.js';

/** One completion to record. */
export interface CompletionToRecord {
  enrolmentId: string;
  via: 'self' | 'attendance';
  /** when it was done (attendance: the session's time); default now */
  at?: Date;
  statementVersion?: number | null;
  score?: number | null;
  clientAddress?: string | null;
}

/**
 * The one way an enrolment becomes complete, for the person themselves and for recorded attendance
 * alike: one UPDATE for the lot that skips what is complete already (completing twice is harmless:
 * one record, one audit row, one confirmation mail), exempt or withdrawn; late when done after the
 * due day in Asia/Tokyo. Completed enrolments keep the department they were done in.
 */
@Injectable()
export class EnrolmentCompletion {
  /** Records the completions; returns the ids of the enrolments completed now (not those done before). */
  async record(tx: Transaction, courseId: string, completions: readonly CompletionToRecord[]): Promise<string[]> {
    if (completions.length === 0) return [];
    const rows = completions.map((c) => ({
      id: c.enrolmentId,
      at: (c.at ?? new Date()).toISOString(),
      via: c.via,
      statement_version: c.statementVersion ?? null,
      score: c.score ?? null,
      client_address: c.clientAddress?.slice(0, 64) ?? null,
    }));
    const done = (await tx.manager.query(
      `UPDATE enrolments e
          SET completed_at = r.at, completed_via = r.via, completed_by_id = $3,
              completed_late = (r.at AT TIME ZONE 'Asia/Tokyo')::date > e.due_on,
              statement_version = r.statement_version, score = coalesce(r.score, e.score),
              client_address = r.client_address::inet, updated_at = now()
         FROM json_to_recordset($2::json) AS r(id uuid, at timestamptz, via varchar, statement_version int, score int, client_address text)
        WHERE e.id = r.id AND e.organization_id = $1 AND e.course_id = $4
          AND e.completed_at IS NULL AND e.exempt_at IS NULL AND e.withdrawn_at IS NULL
        RETURNING e.id, e.staff_id, e.department_id, e.completed_at, e.completed_late, e.statement_version, e.score, e.completed_via`,
      [tx.actor.organizationId, JSON.stringify(rows), tx.actor.staffId, courseId],
    )) as [
      {
        id: string;
        staff_id: string;
        department_id: string | null;
        completed_at: Date;
        completed_late: boolean;
        statement_version: number | null;
        score: number | null;
        completed_via: string;
      }[],
      number,
    ];
    const completed = done[0];
    if (completed.length === 0) return [];
    tx.auditMany(
      completed.map((row) => ({
        action: 'enrolment.complete',
        entityType: 'enrolment',
        entityId: row.id,
        after: {
          staffId: row.staff_id,
          departmentId: row.department_id,
          completedAt: row.completed_at,
          late: row.completed_late,
          via: row.completed_via,
          statementVersion: row.statement_version,
          score: row.score,
        },
        context: { courseId },
      })),
    );
    await tx.outbox(
      completed.map((row) => ({ topic: 'training.completed' as const, dedupeKey: `training-completed:${row.id}`, payload: { enrolmentId: row.id } })),
    );
    const ids = completed.map((row) => row.id);
    await tx.publish({ type: 'training.enrolments_completed', courseId, enrolmentIds: ids });
    return ids;
  }
}
