/**
 * The demo town's drills of the emergency response plan (stories in demo-drills.data.ts), made
 * through the services a person would use, so the record, its timings and the findings are what the
 * app itself writes:
 *
 * - the demo security officer schedules each drill (DrillsService.schedule: past days are accepted);
 * - a drill held is entered from its paper checklist by its facilitator (DrillRunsService.recordFromPaper:
 *   the start and finish, who was there, each step's time, the injects and problems, the lessons);
 * - its findings are raised from it (DrillRunsService.raiseFinding, with the day of the review, so
 *   their references and fiscal year are of that year) with their corrective actions, which their
 *   assignees report done (FindingsService.reportDone) and the security officer verifies (`verify`);
 * - the current fiscal year's drill is only scheduled (left out when its day is less than a week away
 *   or past).
 *
 * The services stamp now(); the times of the story (scheduled, entered from paper, raised, done,
 * verified) are then set on the rows by direct UPDATEs, as the audits' seed does. The audit trail
 * keeps the times it was written.
 *
 * Idempotent: a drill is known by its fiscal year and title; one that exists is left alone, so a
 * second run changes nothing.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { Actor } from '../src/common/actor.js';
import { systemActor } from '../src/common/actor.js';
import { addDays, tokyoInstant, tokyoToday } from '../src/common/calendar.js';
import { eraYear, fiscalYearOf } from '../src/common/dates.js';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import { FindingsService } from '../src/findings/findings.service.js';
import { DrillRunsService } from '../src/response-plan/drill-runs.service.js';
import { INVITED_STAFF_SQL, invitedStaffParameters } from '../src/response-plan/drill-people.js';
import { DrillsService } from '../src/response-plan/drills.service.js';
import { currentYearDrill, DEMO_DRILLS, type DemoDrill, type DemoPerson } from './demo-drills.data.js';

export interface DemoDrillsResult {
  created: { drills: number; stepRecords: number; events: number; findings: number; correctiveActions: number };
  /** the town's drills after this run: held (completed) and still scheduled */
  held: number;
  scheduled: number;
}

interface Person {
  id: string;
  email: string;
  department_id: string | null;
  roles: string[];
}

/** A Tokyo time (`HH:mm`) on a day, as the ISO 8601 date-time the DTOs take (Tokyo time without an offset). */
const at = (day: string, time: string): string => `${day}T${time}`;

export async function seedDemoDrills(app: INestApplicationContext, organizationId: string, today: string = tokyoToday()): Promise<DemoDrillsResult> {
  const uow = app.get(UnitOfWork);
  const drills = app.get(DrillsService);
  const runs = app.get(DrillRunsService);
  const findings = app.get(FindingsService);
  const created = { drills: 0, stepRecords: 0, events: 0, findings: 0, correctiveActions: 0 };

  const currentYear = fiscalYearOf(today);
  const upcoming = currentYearDrill(currentYear, eraYear(currentYear));
  const all = [...DEMO_DRILLS, ...(addDays(today, 7) <= upcoming.startsAt.slice(0, 10) ? [upcoming] : [])];
  const existing = new Set(
    (
      (await uow.manager.query(`SELECT fiscal_year, title FROM drills WHERE organization_id = $1 AND title = ANY($2::text[])`, [
        organizationId,
        all.map((d) => d.title),
      ])) as { fiscal_year: number; title: string }[]
    ).map((row) => `${row.fiscal_year} ${row.title}`),
  );
  const wanted = all.filter((demo) => !existing.has(`${fiscalYearOf(tokyoInstant(demo.startsAt))} ${demo.title}`));

  if (wanted.length > 0) {
    const people = (await uow.manager.query(
      `SELECT s.id, s.email, s.department_id, s.roles::text[] AS roles
         FROM staff s WHERE s.organization_id = $1 AND s.status = 'active' ORDER BY s.employee_number`,
      [organizationId],
    )) as Person[];
    const departments = new Map(
      ((await uow.manager.query(`SELECT id, code FROM departments WHERE organization_id = $1`, [organizationId])) as { id: string; code: string }[]).map(
        (d) => [d.code, d.id],
      ),
    );
    const departmentOf = (code: string): string => {
      const id = departments.get(code);
      if (!id) throw new Error(`demo drills: no department ${code}`);
      return id;
    };
    // each department's head: the demo manager in 総務課, the first manager elsewhere (as demo-audits.seed.ts)
    const heads = new Map<string, Person>();
    for (const person of people)
      if (person.roles.includes('manager') && person.department_id && !heads.has(person.department_id)) heads.set(person.department_id, person);
    const person = (who: DemoPerson): Person => {
      const found = who.startsWith('manager:') ? heads.get(departmentOf(who.slice('manager:'.length))) : people.find((p) => p.email.startsWith(`${who}@`));
      if (!found) throw new Error(`demo drills: nobody for ${who}`);
      return found;
    };
    const actor = (who: DemoPerson): Actor => ({
      staffId: person(who).id,
      organizationId,
      roles: person(who).roles as Actor['roles'],
      departmentId: person(who).department_id,
      clientAddress: null,
      sessionId: null,
      mfa: true,
      label: `${person(who).email} (seed)`,
    });
    const scenarios = new Map(
      (
        (await uow.manager.query(`SELECT id, key FROM response_scenarios WHERE organization_id = $1 AND retired_at IS NULL`, [organizationId])) as {
          id: string;
          key: string;
        }[]
      ).map((s) => [s.key, s.id]),
    );
    const controls = new Map(
      ((await uow.manager.query(`SELECT id, code FROM controls WHERE organization_id = $1`, [organizationId])) as { id: string; code: string }[]).map((c) => [
        c.code,
        c.id,
      ]),
    );
    const officer = 'security';
    /** the times of the story, set after the services have stamped now() */
    const times = {
      drills: [] as { id: string; scheduled: Date; recorded: Date | null }[],
      findings: [] as { id: string; raised: Date; verified: Date }[],
      actions: [] as { id: string; planned: Date; done: Date; verified: Date }[],
    };

    const seedOne = async (demo: DemoDrill): Promise<void> => {
      const scenarioId = scenarios.get(demo.scenario);
      if (!scenarioId) throw new Error(`demo drills: no scenario ${demo.scenario} (sync policies/response-plan first)`);
      const drill = await drills.schedule(actor(officer), {
        scenarioId,
        kind: demo.kind,
        title: demo.title,
        startsAt: demo.startsAt,
        endsAt: demo.endsAt,
        location: demo.location,
        facilitatorId: person(demo.facilitator).id,
        invitees: { roles: demo.invitees.roles, staffIds: demo.invitees.people.map((who) => person(who).id) },
      });
      created.drills++;
      const scheduled = tokyoInstant(at(demo.scheduledOn, '10:00'));
      const record = demo.record;
      if (!record) {
        times.drills.push({ id: drill.id, scheduled, recorded: null });
        return;
      }

      // everyone invited who is not named absent was there
      const day = record.startedAt.slice(0, 10);
      const absent = new Set(record.absent.map((who) => person(who).id));
      const invited = (await uow.manager.query(INVITED_STAFF_SQL, invitedStaffParameters(organizationId, drill.invitees))) as { id: string }[];
      await runs.recordFromPaper(actor(demo.facilitator), drill.id, {
        startedAt: record.startedAt,
        finishedAt: record.finishedAt,
        presentStaffIds: invited.map((row) => row.id).filter((id) => !absent.has(id)),
        steps: record.steps.map((step) => ({ position: step.position, doneAt: at(day, step.at), ...(step.note ? { note: step.note } : {}) })),
        events: record.events.map((event) => ({ kind: event.kind, text: event.text, occurredAt: at(day, event.at) })),
        lessons: record.lessons,
      });
      created.stepRecords += record.steps.length;
      created.events += record.events.length;
      times.drills.push({ id: drill.id, scheduled, recorded: tokyoInstant(at(record.recordedOn, '10:30')) });

      // the findings of the review, with their actions: done by their assignees, verified by the security officer
      for (const [i, demoFinding] of (record.findings ?? []).entries()) {
        const raised = tokyoInstant(at(record.raisedOn!, `15:${String(10 + i).padStart(2, '0')}`));
        const { finding, actions } = await runs.raiseFinding(
          actor(officer),
          drill.id,
          {
            title: demoFinding.title,
            description: demoFinding.description,
            severity: demoFinding.severity,
            ownerDepartmentId: departmentOf(demoFinding.owner),
            dueDate: demoFinding.dueDate,
            controlIds: demoFinding.controls.flatMap((code) => (controls.has(code) ? [controls.get(code)!] : [])),
            actions: demoFinding.actions.map((action) => ({
              description: action.description,
              assigneeId: person(action.assignee).id,
              dueDate: action.dueDate,
            })),
          },
          record.raisedOn,
        );
        created.findings++;
        let verifiedAt = raised;
        for (const [j, demoAction] of demoFinding.actions.entries()) {
          const row = actions[j]!;
          await findings.reportDone(actor(demoAction.assignee), row.id, { status: 'done', note: demoAction.doneNote });
          await findings.verify(actor(officer), row.id, { verified: true, note: demoAction.verifyNote });
          const verified = tokyoInstant(at(demoAction.verifiedOn, '11:00'));
          times.actions.push({ id: row.id, planned: raised, done: tokyoInstant(at(demoAction.doneOn, '16:00')), verified });
          if (verified > verifiedAt) verifiedAt = verified;
          created.correctiveActions++;
        }
        times.findings.push({ id: finding.id, raised, verified: verifiedAt });
      }
    };
    for (const demo of wanted) await seedOne(demo);

    // the times of the story (the services stamped now())
    await uow.run(systemActor(organizationId, 'seed'), async (tx) => {
      const json = (rows: unknown[]) => JSON.stringify(rows);
      await tx.manager.query(
        `UPDATE drills d SET created_at = t.scheduled, updated_at = coalesce(t.recorded, t.scheduled)
           FROM json_to_recordset($1::json) AS t(id uuid, scheduled timestamptz, recorded timestamptz)
          WHERE d.id = t.id`,
        [json(times.drills)],
      );
      const recorded = json(times.drills.filter((d) => d.recorded));
      for (const table of ['drill_attendance', 'drill_step_records', 'drill_events'])
        await tx.manager.query(
          `UPDATE ${table} r SET created_at = t.recorded, updated_at = t.recorded${table === 'drill_attendance' ? ', marked_at = t.recorded' : ''}
             FROM json_to_recordset($1::json) AS t(id uuid, recorded timestamptz)
            WHERE r.drill_id = t.id`,
          [recorded],
        );
      await tx.manager.query(
        `UPDATE findings f SET created_at = t.raised, verified_at = t.verified, updated_at = t.verified
           FROM json_to_recordset($1::json) AS t(id uuid, raised timestamptz, verified timestamptz)
          WHERE f.id = t.id`,
        [json(times.findings)],
      );
      await tx.manager.query(
        `UPDATE corrective_actions c SET created_at = t.planned, done_at = t.done, verified_at = t.verified, updated_at = t.verified
           FROM json_to_recordset($1::json) AS t(id uuid, planned timestamptz, done timestamptz, verified timestamptz)
          WHERE c.id = t.id`,
        [json(times.actions)],
      );
    });
  }

  const [counts] = (await uow.manager.query(
    `SELECT count(*) FILTER (WHERE status = 'completed')::int AS held, count(*) FILTER (WHERE status = 'scheduled')::int AS scheduled
       FROM drills WHERE organization_id = $1`,
    [organizationId],
  )) as { held: number; scheduled: number }[];
  return { created, held: counts!.held, scheduled: counts!.scheduled };
}
