/**
 * The demo town's audits and self-inspections, FY2019–FY2022 (stories in demo-audits.data.ts), made
 * through the services a person would use, so the references (AUD-2019-0001, FND-2019-0001), the
 * findings and the audit trail are what the app itself writes:
 *
 * - the demo security officer plans each audit (AuditsService.plan) and starts it (`start`: the
 *   checklist, control × department, in one statement);
 * - each non-conformity is answered through AuditsService.answer, which raises its finding: by the
 *   lead auditor in an internal audit, by the department's manager in a self-inspection, with the
 *   day it was answered (`answer`'s optional `answeredAt`), so the finding's reference, fiscal year
 *   and due date are of that year;
 * - every other item (conformant, observations, not applicable with the reason) is answered in one
 *   UPDATE per audit, with one `checklist_item.answer` row per item in the audit trail (actor
 *   `system:seed`, `seeded` in the context), to keep `seed:demo` fast;
 * - each department's manager signs off their self-inspection (課長確認): one INSERT per audit with an
 *   `audit.sign_off` row per department in the audit trail (AuditsService.signOff would be twenty
 *   transactions an audit); the lead moves the audit to reporting with the auditors' summary
 *   (`report`), the demo CISO accepts it (`accept`);
 * - each finding's corrective actions are planned by the department's manager (FindingsService.planAction),
 *   reported done by them (`reportDone`) and verified, or reopened, by the auditor of the audit
 *   (the demo auditor; the security officer for a self-inspection) (`verify`), except the few
 *   carried over into the current fiscal year.
 *
 * The services stamp `now()`; the times of the story (planned, started, answered, signed off,
 * reported, accepted; a finding raised; an action planned, done, verified) are then set on the rows
 * by direct UPDATEs, in the seed's last transaction. The audit trail keeps the times it was written.
 *
 * Idempotent: an audit is known by its fiscal year and title; a year's audit that exists is left
 * alone, so a second run changes nothing.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { Actor } from '../src/common/actor.js';
import { systemActor } from '../src/common/actor.js';
import { addDays, tokyoToday } from '../src/common/calendar.js';
import { fiscalYearOf } from '../src/common/dates.js';
import { AuditsService } from '../src/audits/audits.service.js';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import { FindingsService } from '../src/findings/findings.service.js';
import {
  ALPHA_MODEL_REASON,
  DEMO_AUDITS,
  NO_MY_NUMBER_CONTROLS,
  NO_MY_NUMBER_DEPARTMENTS,
  NO_MY_NUMBER_REASON,
  NO_SERVER_ROOM_REASON,
  SERVER_ROOM_DEPARTMENTS,
  TOWN_WIDE_CONTROLS,
  TOWN_WIDE_DEPARTMENTS,
  TOWN_WIDE_REASON,
  type DemoAction,
  type DemoAudit,
} from './demo-audits.data.js';

export interface DemoAuditsResult {
  created: { audits: number; checklistItems: number; findings: number; correctiveActions: number; signOffs: number };
  /** the findings of past fiscal years not verified yet (carried over into the current year), after this run */
  carriedOver: number;
}

interface Person {
  id: string;
  email: string;
  department_id: string | null;
  roles: string[];
}

const DAY = 24 * 60 * 60 * 1000;

/** A Tokyo office-hours time on a day: `at` hours past 9:00 (a fraction gives minutes). */
function tokyoTime(day: string, at = 1): Date {
  return new Date(new Date(`${day}T09:00:00+09:00`).getTime() + at * 60 * 60 * 1000);
}

function actorFor(person: Person, organizationId: string): Actor {
  return {
    staffId: person.id,
    organizationId,
    roles: person.roles as Actor['roles'],
    departmentId: person.department_id,
    clientAddress: null,
    sessionId: null,
    mfa: true,
    label: `${person.email} (seed)`,
  };
}

/** The reason an item does not apply in this department, if it does not (the town-wide rules of demo-audits.data.ts). */
function notApplicable(controlCode: string, departmentCode: string): string | null {
  if (controlCode === '3-06') return ALPHA_MODEL_REASON;
  if (TOWN_WIDE_CONTROLS.includes(controlCode) && !TOWN_WIDE_DEPARTMENTS.includes(departmentCode)) return TOWN_WIDE_REASON;
  if (NO_MY_NUMBER_CONTROLS.includes(controlCode) && NO_MY_NUMBER_DEPARTMENTS.includes(departmentCode)) return NO_MY_NUMBER_REASON;
  if (controlCode === '4-01' && !SERVER_ROOM_DEPARTMENTS.includes(departmentCode)) return NO_SERVER_ROOM_REASON;
  return null;
}

export async function seedDemoAudits(app: INestApplicationContext, organizationId: string, today: string = tokyoToday()): Promise<DemoAuditsResult> {
  const uow = app.get(UnitOfWork);
  const audits = app.get(AuditsService);
  const findings = app.get(FindingsService);
  const created = { audits: 0, checklistItems: 0, findings: 0, correctiveActions: 0, signOffs: 0 };

  const existing = new Set(
    (
      (await uow.manager.query(`SELECT fiscal_year, title FROM audits WHERE organization_id = $1 AND title = ANY($2::text[])`, [
        organizationId,
        DEMO_AUDITS.map((a) => a.title),
      ])) as { fiscal_year: number; title: string }[]
    ).map((row) => `${row.fiscal_year} ${row.title}`),
  );
  const wanted = DEMO_AUDITS.filter((audit) => !existing.has(`${audit.fiscalYear} ${audit.title}`));
  if (wanted.length > 0) {
    const people = (await uow.manager.query(
      `SELECT s.id, s.email, s.department_id, s.roles::text[] AS roles
         FROM staff s WHERE s.organization_id = $1 AND s.status = 'active' ORDER BY s.employee_number`,
      [organizationId],
    )) as Person[];
    const account = (local: string): Person => {
      const person = people.find((p) => p.email.startsWith(`${local}@`));
      if (!person) throw new Error(`demo audits: no demo account ${local}`);
      return person;
    };
    const auditor = account('auditor');
    const officer = account('security');
    const ciso = account('ciso');
    const departments = (await uow.manager.query(`SELECT id, code FROM departments WHERE organization_id = $1 AND closed_on IS NULL ORDER BY code`, [
      organizationId,
    ])) as { id: string; code: string }[];
    const departmentId = new Map(departments.map((d) => [d.code, d.id]));
    const departmentOf = (code: string): string => {
      const id = departmentId.get(code);
      if (!id) throw new Error(`demo audits: no department ${code}`);
      return id;
    };
    // each department's head: the demo manager in 総務課, the first manager elsewhere
    const managerOf = new Map<string, Person>();
    for (const person of people)
      if (person.roles.includes('manager') && person.department_id && !managerOf.has(person.department_id)) managerOf.set(person.department_id, person);
    const managerIn = (departmentCode: string): Person => {
      const manager = managerOf.get(departmentOf(departmentCode));
      if (!manager) throw new Error(`demo audits: no manager in ${departmentCode}`);
      return manager;
    };
    const actor = (person: Person) => actorFor(person, organizationId);
    /** the times of the story, set after the services have stamped now() */
    const times = {
      audits: [] as { id: string; created: Date; started: Date; reported: Date; accepted: Date }[],
      findings: [] as { id: string; raised: Date; verified: Date | null }[],
      actions: [] as { id: string; planned: Date; done: Date | null; verified: Date | null }[],
    };

    const seedOne = async (demo: DemoAudit): Promise<void> => {
      const selfInspection = demo.kind === 'self_inspection';
      const scopeDepartments = selfInspection ? departments.map((d) => d.code) : demo.departments!;
      const lead = selfInspection ? officer : auditor;
      const audit = await audits.plan(actor(officer), {
        fiscalYear: demo.fiscalYear,
        kind: demo.kind,
        title: demo.title,
        scope: selfInspection
          ? { essentialOnly: true, departmentIds: scopeDepartments.map(departmentOf) }
          : { chapters: demo.chapters!, departmentIds: scopeDepartments.map(departmentOf) },
        leadAuditorId: lead.id,
        auditorIds: selfInspection ? [] : [officer.id],
        plannedStart: demo.plannedStart,
        plannedEnd: demo.plannedEnd,
      });
      const { items } = await audits.start(actor(officer), audit.id);
      created.audits++;
      created.checklistItems += items;
      times.audits.push({
        id: audit.id,
        // the year's audit plan is made in April
        created: tokyoTime(`${demo.fiscalYear}-04-${selfInspection ? '20' : '21'}`, 2),
        started: tokyoTime(demo.plannedStart, 0.5),
        reported: tokyoTime(demo.reported, 6),
        accepted: tokyoTime(demo.accepted, 5),
      });

      // the non-conformities, one by one through the service: each raises its finding on the day it was answered
      const span = Math.max(1, (Date.parse(demo.answeredTo) - Date.parse(demo.answeredFrom)) / DAY);
      const itemIds = new Map(
        (
          (await uow.manager.query(`SELECT id, control_code, department_code FROM audit_checklist_items WHERE audit_id = $1`, [audit.id])) as {
            id: string;
            control_code: string;
            department_code: string;
          }[]
        ).map((row) => [`${row.control_code} ${row.department_code}`, row.id]),
      );
      const itemOf = (control: string, department: string): string => {
        const id = itemIds.get(`${control} ${department}`);
        if (!id) throw new Error(`demo audits: ${demo.title} has no item ${control} in ${department}`);
        return id;
      };
      const raised: { nonconformity: DemoAudit['nonconformities'][number]; answeredAt: Date }[] = [];
      for (const [i, nonconformity] of demo.nonconformities.entries()) {
        const answeredAt = tokyoTime(addDays(demo.answeredFrom, Math.round(((i + 1) * span) / (demo.nonconformities.length + 1))), 1 + (i % 6));
        const by = selfInspection ? managerIn(nonconformity.department) : lead;
        await audits.answer(
          actor(by),
          audit.id,
          itemOf(nonconformity.control, nonconformity.department),
          { result: nonconformity.result, note: nonconformity.note },
          answeredAt,
        );
        raised.push({ nonconformity, answeredAt });
      }

      // the rest in one statement: observations and the items that do not apply with their notes, every other item conformant
      const remarks = new Map<string, { result: string; note: string }>();
      for (const code of scopeDepartments)
        for (const key of itemIds.keys()) {
          const [control, department] = key.split(' ') as [string, string];
          if (department !== code) continue;
          const reason = notApplicable(control, department);
          if (reason) remarks.set(key, { result: 'not_applicable', note: reason });
        }
      for (const remark of demo.notApplicable ?? []) remarks.set(`${remark.control} ${remark.department}`, { result: 'not_applicable', note: remark.note });
      for (const remark of demo.observations) {
        itemOf(remark.control, remark.department);
        remarks.set(`${remark.control} ${remark.department}`, { result: 'observation', note: remark.note });
      }
      const answerers = selfInspection
        ? scopeDepartments.map((code) => ({ department_code: code, staff_ids: [managerIn(code).id] }))
        : scopeDepartments.map((code) => ({ department_code: code, staff_ids: [lead.id, officer.id] }));
      await uow.run(systemActor(organizationId, 'seed'), async (tx) => {
        // an UPDATE … RETURNING comes back as [rows, count]
        const [answered] = (await tx.manager.query(
          `WITH remark AS (
             SELECT * FROM json_to_recordset($2::json) AS r(key text, result text, note text)
           ), answerer AS (
             SELECT * FROM json_to_recordset($3::json) AS a(department_code text, staff_ids uuid[])
           ), todo AS (
             SELECT i.id, coalesce(r.result, 'conformant') AS result, r.note, a.staff_ids,
                    (row_number() OVER (ORDER BY i.department_code, i.control_code))::int AS n
               FROM audit_checklist_items i
               JOIN answerer a ON a.department_code = i.department_code
               LEFT JOIN remark r ON r.key = i.control_code || ' ' || i.department_code
              WHERE i.audit_id = $1 AND i.result IS NULL
           )
           UPDATE audit_checklist_items i
              SET result = t.result, note = t.note,
                  answered_by_id = t.staff_ids[1 + t.n % array_length(t.staff_ids, 1)],
                  -- spread over the days of answering, in office hours (Tokyo)
                  answered_at = $4::timestamptz + ((t.n * 7) % $5::int) * interval '1 day' + (t.n % 7) * interval '1 hour' + (t.n % 60) * interval '1 minute',
                  updated_at = $4::timestamptz + ((t.n * 7) % $5::int) * interval '1 day' + (t.n % 7) * interval '1 hour' + (t.n % 60) * interval '1 minute'
             FROM todo t
            WHERE i.id = t.id
           RETURNING i.id, i.result, i.note, i.answered_by_id, i.answered_at`,
          [
            audit.id,
            JSON.stringify([...remarks].map(([key, r]) => ({ key, ...r }))),
            JSON.stringify(answerers),
            tokyoTime(demo.answeredFrom, 0).toISOString(),
            Math.floor(span) + 1,
          ],
        )) as [{ id: string; result: string; note: string | null; answered_by_id: string; answered_at: Date }[], number];
        tx.auditMany(
          answered.map((row) => ({
            action: 'checklist_item.answer',
            entityType: 'checklist_item',
            entityId: row.id,
            before: { result: null, note: null, answeredById: null, answeredAt: null },
            after: { result: row.result, note: row.note, answeredById: row.answered_by_id, answeredAt: row.answered_at },
            context: { auditId: audit.id, seeded: true },
          })),
        );
      });

      // 課長確認: each department's manager signs off their section a few days after the last answers, in one statement
      // (AuditsService.signOff one by one would be 20 transactions an audit), each recorded as `audit.sign_off`
      if (selfInspection)
        await uow.run(systemActor(organizationId, 'seed'), async (tx) => {
          const signOffs = scopeDepartments.map((code, i) => ({
            department_id: departmentOf(code),
            signed_by_id: managerIn(code).id,
            signed_at: tokyoTime(addDays(demo.answeredTo, 1 + (i % 3)), 1 + (i % 7)).toISOString(),
          }));
          const rows = (await tx.manager.query(
            `INSERT INTO audit_sign_offs (organization_id, audit_id, department_id, signed_by_id, signed_at, created_at, updated_at)
             SELECT $1, $2, s.department_id, s.signed_by_id, s.signed_at, s.signed_at, s.signed_at
               FROM json_to_recordset($3::json) AS s(department_id uuid, signed_by_id uuid, signed_at timestamptz)
             RETURNING id, department_id, signed_by_id, signed_at`,
            [organizationId, audit.id, JSON.stringify(signOffs)],
          )) as { id: string; department_id: string; signed_by_id: string; signed_at: Date }[];
          tx.auditMany(
            rows.map((row) => ({
              action: 'audit.sign_off',
              entityType: 'audit',
              entityId: row.id,
              after: { auditId: audit.id, departmentId: row.department_id, signedById: row.signed_by_id, signedAt: row.signed_at },
              context: { auditId: audit.id, departmentId: row.department_id, seeded: true },
            })),
          );
          created.signOffs += rows.length;
        });

      await audits.report(actor(lead), audit.id, { summary: demo.summary });
      await audits.accept(actor(ciso), audit.id, { accepted: true, note: demo.acceptanceNote });

      // the findings' corrective actions: planned by the department's manager after the report, done, then verified by the auditor
      const verifier = selfInspection ? officer : auditor;
      for (const { nonconformity, answeredAt } of raised) {
        const finding = await findings.findingOfChecklistItem(uow.manager, organizationId, itemOf(nonconformity.control, nonconformity.department));
        if (!finding) throw new Error(`demo audits: ${nonconformity.control} in ${nonconformity.department} raised no finding`);
        created.findings++;
        const manager = managerIn(nonconformity.department);
        const plannedOn = addDays(demo.reported, 7);
        const planned = [];
        for (const action of nonconformity.actions) {
          const dueDate = action.dueDays === 'end_of_this_year' ? `${fiscalYearOf(today) + 1}-03-31` : addDays(plannedOn, action.dueDays);
          const row = await findings.planAction(actor(manager), finding.id, { description: action.description, assigneeId: manager.id, dueDate });
          planned.push({ row, action, dueDate });
          created.correctiveActions++;
        }
        let verifiedAt: Date | null = null;
        for (const [j, { row, action, dueDate }] of planned.entries()) {
          const { done, verified } = await followAction(findings, actor(manager), actor(verifier), row.id, action, dueDate, today);
          times.actions.push({ id: row.id, planned: tokyoTime(plannedOn, 2 + j / 60), done, verified });
          if (verified && (!verifiedAt || verified > verifiedAt)) verifiedAt = verified;
        }
        const allVerified = nonconformity.actions.every((action) => action.fate === 'verified');
        times.findings.push({ id: finding.id, raised: answeredAt, verified: allVerified ? verifiedAt : null });
      }
    };
    // the fiscal years side by side (each year's audits in order, so its references are the same every time)
    const years = [...new Set(wanted.map((demo) => demo.fiscalYear))];
    await Promise.all(
      years.map(async (fiscalYear) => {
        for (const demo of wanted.filter((d) => d.fiscalYear === fiscalYear)) await seedOne(demo);
      }),
    );

    // the times of the story (the services stamped now())
    await uow.run(systemActor(organizationId, 'seed'), async (tx) => {
      const json = (rows: unknown[]) => JSON.stringify(rows);
      await tx.manager.query(
        `UPDATE audits a SET created_at = t.created, started_at = t.started, reported_at = t.reported, accepted_at = t.accepted, updated_at = t.accepted
           FROM json_to_recordset($1::json) AS t(id uuid, created timestamptz, started timestamptz, reported timestamptz, accepted timestamptz)
          WHERE a.id = t.id`,
        [json(times.audits)],
      );
      await tx.manager.query(`UPDATE audit_checklist_items i SET created_at = a.started_at FROM audits a WHERE a.id = i.audit_id AND a.id = ANY($1::uuid[])`, [
        times.audits.map((a) => a.id),
      ]);
      await tx.manager.query(`UPDATE audit_checklist_items i SET updated_at = i.answered_at WHERE i.audit_id = ANY($1::uuid[]) AND i.answered_at IS NOT NULL`, [
        times.audits.map((a) => a.id),
      ]);
      await tx.manager.query(
        `UPDATE findings f SET created_at = t.raised, verified_at = t.verified, updated_at = coalesce(t.verified, t.raised)
           FROM json_to_recordset($1::json) AS t(id uuid, raised timestamptz, verified timestamptz)
          WHERE f.id = t.id`,
        [json(times.findings)],
      );
      await tx.manager.query(
        `UPDATE corrective_actions c
            SET created_at = t.planned, done_at = t.done, verified_at = CASE WHEN c.status = 'verified' THEN t.verified END,
                updated_at = coalesce(t.verified, t.done, t.planned)
           FROM json_to_recordset($1::json) AS t(id uuid, planned timestamptz, done timestamptz, verified timestamptz)
          WHERE c.id = t.id`,
        [json(times.actions)],
      );
    });
  }

  const [carried] = (await uow.manager.query(
    `SELECT count(*)::int AS n FROM findings WHERE organization_id = $1 AND source = 'audit' AND fiscal_year < $2 AND status <> 'verified'`,
    [organizationId, fiscalYearOf(today)],
  )) as { n: number }[];
  return { created, carriedOver: carried!.n };
}

/**
 * Takes an action as far as its story goes: done by its assignee (before its due day, or `lateDays`
 * after), then verified or reopened by the auditor a week or two later. Returns when (for the rows).
 */
async function followAction(
  findings: FindingsService,
  assignee: Actor,
  verifier: Actor,
  actionId: string,
  action: DemoAction,
  dueDate: string,
  today: string,
): Promise<{ done: Date | null; verified: Date | null }> {
  if (action.fate === 'planned') return { done: null, verified: null };
  // a `done` action waits for its check now: it was reported done a few days ago
  const doneOn = action.fate === 'done' ? addDays(today, -4) : addDays(dueDate, action.lateDays ?? -5);
  await findings.reportDone(assignee, actionId, { status: 'done', ...(action.doneNote ? { note: action.doneNote } : {}) });
  const done = tokyoTime(doneOn, 6);
  if (action.fate === 'done') return { done, verified: null };
  const verifiedAt = tokyoTime(addDays(doneOn, 9), 3);
  await findings.verify(verifier, actionId, { verified: action.fate === 'verified', note: action.verifyNote ?? '確認した。' });
  return { done, verified: verifiedAt };
}
