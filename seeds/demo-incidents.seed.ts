/**
 * The demo town's incidents and near misses (demo-incidents.data.ts): FY2019 to now, in every
 * state, each with its timeline as it happened, the Commission's reports sent for the L2s with
 * personal data, and the post-incident reviews of the closed L2s; and one open L2 (suspected
 * ransomware) climbing its escalation, for the demo.
 *
 * History is written as it would have been recorded at the time, by the demo staff who reported it
 * and the demo CSIRT account who handled it: the incident, its timeline entries at their own
 * times, its external reports and review, the fiscal year's reference number (INC-2022-0003) taken
 * from the counter in the order of reporting. Each incident is recorded in the audit trail (reported,
 * and its move to where it stands now, `seeded` in the context), not each step. The open L2 is
 * reported and triaged through IncidentsService, so its climb starts on the town's L2 policy; when
 * the town has no escalation policies yet (policies/escalation.yaml not synced), it is left out.
 *
 * Idempotent: an incident is known by its title; only missing ones are written, and the open L2 is
 * filed with a fixed idempotency key, so a second run changes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { Actor } from '../src/common/actor.js';
import { systemActor } from '../src/common/actor.js';
import { addDays, tokyoToday } from '../src/common/calendar.js';
import { fiscalYearOf } from '../src/common/dates.js';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import type { IncidentStatus } from '../src/incidents/incident.entity.js';
import { IncidentsService } from '../src/incidents/incidents.service.js';
import { demoActor } from './demo-compliance.seed.js';
import { DEMO_INCIDENTS, DEMO_LIVE_INCIDENT, type DemoIncident } from './demo-incidents.data.js';

export interface DemoIncidentsResult {
  created: { incidents: number; nearMisses: number; timelineEntries: number; externalReports: number; reviews: number };
  /** the reference of the open L2 climbing its escalation, when this run filed it */
  underEscalation: string | null;
}

interface Person {
  id: string;
  email: string;
  department_id: string | null;
  roles: string[];
  code: string | null;
  employee_number: string;
}

const MINUTE = 60_000;

/** When the incident was reported (an Asia/Tokyo time of a past fiscal year, or days before `today`). */
function reportedAt(incident: DemoIncident, today: string): Date {
  const at = typeof incident.reported === 'string' ? incident.reported : `${addDays(today, -incident.reported.daysAgo)}T${incident.reported.at}`;
  return new Date(`${at}:00+09:00`);
}

/** The person a story names: a demo account by its address's local part, or a department's n-th active generated member. */
function personOf(people: Person[], name: string): Person {
  const account = people.find((p) => p.email.startsWith(`${name}@`));
  if (account) return account;
  const [code, index] = name.split('#');
  const members = people.filter((p) => p.code === code && /^[0-9]+$/.test(p.employee_number));
  const person = members[Number(index ?? 0)];
  if (!person) throw new Error(`demo incidents: nobody for ${name}`);
  return person;
}

/** What an actor acting as this person looks like (signed in with the second factor). */
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

export async function seedDemoIncidents(app: INestApplicationContext, organizationId: string, today: string = tokyoToday()): Promise<DemoIncidentsResult> {
  const uow = app.get(UnitOfWork);
  const people = (await uow.manager.query(
    `SELECT s.id, s.email, s.department_id, s.roles, d.code, s.employee_number
       FROM staff s LEFT JOIN departments d ON d.id = s.department_id
      WHERE s.organization_id = $1 AND s.status = 'active' ORDER BY s.employee_number`,
    [organizationId],
  )) as Person[];
  const csirt = personOf(people, 'csirt');
  const existing = new Set(
    (
      (await uow.manager.query(`SELECT title FROM incidents WHERE organization_id = $1 AND title = ANY($2::text[])`, [
        organizationId,
        [...DEMO_INCIDENTS.map((i) => i.title), DEMO_LIVE_INCIDENT.title],
      ])) as { title: string }[]
    ).map((row) => row.title),
  );
  const now = Date.now();
  const wanted = DEMO_INCIDENTS.filter((incident) => !existing.has(incident.title))
    .map((incident) => ({ incident, at: reportedAt(incident, today) }))
    // a story of this year that would end after now is not told yet
    .filter(({ incident, at }) => at.getTime() + Math.max(0, ...incident.steps.map((s) => s.after)) * MINUTE < now)
    .sort((a, b) => a.at.getTime() - b.at.getTime());

  const created = { incidents: 0, nearMisses: 0, timelineEntries: 0, externalReports: 0, reviews: 0 };
  if (wanted.length > 0) {
    await uow.run(systemActor(organizationId, 'seed'), async (tx) => {
      // each fiscal year's numbers, taken in the order of reporting (the counter rows stay locked until the commit)
      const years = [...new Set(wanted.map(({ at }) => fiscalYearOf(at)))];
      const taken = (await tx.manager.query(
        `INSERT INTO reference_counters (organization_id, series, fiscal_year, last)
         SELECT $1, 'INC', y.fy, y.n FROM unnest($2::int[], $3::int[]) AS y(fy, n)
         ON CONFLICT (organization_id, series, fiscal_year) DO UPDATE SET last = reference_counters.last + EXCLUDED.last
         RETURNING fiscal_year, last`,
        [organizationId, years, years.map((fy) => wanted.filter(({ at }) => fiscalYearOf(at) === fy).length)],
      )) as { fiscal_year: number; last: number }[];
      const next = new Map(
        years.map((fy) => [fy, taken.find((row) => row.fiscal_year === fy)!.last - wanted.filter(({ at }) => fiscalYearOf(at) === fy).length]),
      );

      const incidents = [];
      const timeline = [];
      const externalReports = [];
      const reviews = [];
      for (const { incident, at } of wanted) {
        const fiscalYear = fiscalYearOf(at);
        const number = next.get(fiscalYear)! + 1;
        next.set(fiscalYear, number);
        const reference = `INC-${fiscalYear}-${String(number).padStart(4, '0')}`;
        const reporter = personOf(people, incident.reporter);
        const time = (after: number) => new Date(at.getTime() + after * MINUTE).toISOString();
        const transitions = incident.steps.filter((s) => s.kind === 'transition');
        const firstTo = (status: IncidentStatus) => transitions.find((s) => s.kind === 'transition' && s.to === status);
        const acknowledgement = incident.steps.find((s) => s.kind === 'acknowledgement');
        const triage = firstTo('triaged');
        const closing = transitions.find((s) => s.kind === 'transition' && (s.to === 'closed' || s.to === 'rejected'));
        const triaged = triage !== undefined;
        const id = randomUUID();
        const last = Math.max(0, ...incident.steps.map((s) => s.after), incident.review?.after ?? 0);
        incidents.push({
          id,
          reference,
          fiscal_year: fiscalYear,
          title: incident.title,
          description: incident.description,
          occurred_at: time(-incident.occurredBefore),
          reported_at: time(0),
          reporter_id: reporter.id,
          reporter_department_id: reporter.department_id,
          system: incident.system ?? null,
          network_zone: incident.networkZone ?? null,
          near_miss: incident.nearMiss ?? false,
          personal_data_suspected: incident.personalDataSuspected ?? false,
          affected_people: incident.affectedPeople ?? null,
          status: incident.status,
          severity: triaged ? incident.severity : null,
          category: triaged ? incident.category : null,
          affected_systems: incident.affectedSystems ?? [],
          personal_data: triaged ? (incident.personalData ?? null) : null,
          assignee_id: triaged && incident.status !== 'rejected' ? csirt.id : null,
          rejection_reason: incident.status === 'rejected' ? 'not_an_incident' : null,
          acknowledged_at: acknowledgement ? time(acknowledgement.after) : null,
          acknowledged_by_id: acknowledgement ? csirt.id : null,
          triaged_at: triage ? time(triage.after) : null,
          contained_at: firstTo('contained') ? time(firstTo('contained')!.after) : null,
          closed_at: closing ? time(closing.after) : null,
          version: 1 + transitions.length + (acknowledgement ? 1 : 0),
          updated_at: time(last),
        });
        timeline.push({
          incident_id: id,
          at: time(0),
          kind: 'reported',
          actor_id: reporter.id,
          actor_label: reporter.email,
          from_status: null,
          to_status: 'reported',
          text: null,
          data: { reference, source: 'staff', nearMiss: incident.nearMiss ?? false },
        });
        let status: IncidentStatus = 'reported';
        for (const step of incident.steps) {
          const entry = { incident_id: id, at: time(step.after), actor_id: csirt.id, actor_label: csirt.email, from_status: null, to_status: null };
          if (step.kind === 'transition') {
            const facts =
              step.to === 'triaged'
                ? {
                    severity: { from: null, to: incident.severity },
                    category: { from: null, to: incident.category },
                    assigneeId: { from: null, to: csirt.id },
                    ...(incident.personalData ? { personalData: incident.personalData } : {}),
                    ...(incident.affectedSystems ? { affectedSystems: incident.affectedSystems } : {}),
                  }
                : {};
            timeline.push({ ...entry, kind: 'transition', from_status: status, to_status: step.to, text: step.text, data: facts });
            if (step.to === 'triaged') timeline.push({ ...entry, kind: 'severity_changed', text: null, data: { from: null, to: incident.severity } });
            status = step.to;
          } else if (step.kind === 'acknowledgement') {
            timeline.push({ ...entry, kind: 'acknowledgement', text: step.text ?? null, data: { climbs: [] } });
          } else {
            timeline.push({ ...entry, kind: step.kind, text: step.text, data: step.kind === 'contact' ? { contact: step.contact } : {} });
          }
        }
        if (status !== incident.status) throw new Error(`demo incident ${incident.title}: its steps end ${status}, not ${incident.status}`);
        for (const report of incident.externalReports ?? []) {
          const sentAt = time(report.sentAfter);
          externalReports.push({
            incident_id: id,
            recipient: report.recipient,
            kind: report.kind,
            triggers: report.triggers,
            due_at: new Date(at.getTime() + report.dueDays * 24 * 60 * MINUTE).toISOString(),
            sent_at: sentAt,
            sent_to: report.sentTo,
            sent_via: report.sentVia,
            sent_by_id: csirt.id,
            created_at: time(triage?.after ?? 0),
          });
          timeline.push({
            incident_id: id,
            at: sentAt,
            kind: 'external_report',
            actor_id: csirt.id,
            actor_label: csirt.email,
            from_status: null,
            to_status: null,
            text: `${report.sentTo}へ${report.kind === 'preliminary' ? '速報' : report.kind === 'final' ? '確報' : '報告'}を提出`,
            data: { recipient: report.recipient, kind: report.kind, sentVia: report.sentVia },
          });
        }
        if (incident.review) {
          reviews.push({ incident_id: id, ...incident.review, reviewed_by_id: csirt.id, reviewed_at: time(incident.review.after) });
          timeline.push({
            incident_id: id,
            at: time(incident.review.after),
            kind: 'review',
            actor_id: csirt.id,
            actor_label: csirt.email,
            from_status: null,
            to_status: null,
            text: incident.review.lessons,
            data: {},
          });
        }
        if (incident.nearMiss) created.nearMisses++;
        else created.incidents++;
      }

      await tx.manager.query(
        `INSERT INTO incidents (id, organization_id, reference, fiscal_year, source, title, description, occurred_at, detected_at, reported_at,
                                reporter_id, reporter_department_id, department_id, system, network_zone, near_miss, personal_data_suspected,
                                affected_people, status, severity, category, affected_systems, personal_data, assignee_id, rejection_reason,
                                acknowledged_at, acknowledged_by_id, triaged_at, contained_at, closed_at, version, created_at, updated_at)
         SELECT i.id, $1, i.reference, i.fiscal_year, 'staff', i.title, i.description, i.occurred_at, i.reported_at, i.reported_at,
                i.reporter_id, i.reporter_department_id, i.reporter_department_id, i.system, i.network_zone, i.near_miss, i.personal_data_suspected,
                i.affected_people, i.status, i.severity, i.category, i.affected_systems, i.personal_data, i.assignee_id, i.rejection_reason,
                i.acknowledged_at, i.acknowledged_by_id, i.triaged_at, i.contained_at, i.closed_at, i.version, i.reported_at, i.updated_at
           FROM json_to_recordset($2::json) AS i(id uuid, reference text, fiscal_year int, title text, description text, occurred_at timestamptz,
                reported_at timestamptz, reporter_id uuid, reporter_department_id uuid, system text, network_zone text, near_miss boolean,
                personal_data_suspected boolean, affected_people int, status text, severity text, category text, affected_systems jsonb,
                personal_data jsonb, assignee_id uuid, rejection_reason text, acknowledged_at timestamptz, acknowledged_by_id uuid,
                triaged_at timestamptz, contained_at timestamptz, closed_at timestamptz, version int, updated_at timestamptz)`,
        [organizationId, JSON.stringify(incidents)],
      );
      // the timeline is append-only: its entries are written once, at their own times
      await tx.manager.query(
        `INSERT INTO incident_timeline (organization_id, incident_id, at, kind, actor_id, actor_label, from_status, to_status, text, data, created_at, updated_at)
         SELECT $1, e.incident_id, e.at, e.kind, e.actor_id, e.actor_label, e.from_status, e.to_status, e.text, e.data, e.at, e.at
           FROM json_to_recordset($2::json) AS e(incident_id uuid, at timestamptz, kind text, actor_id uuid, actor_label text, from_status text,
                to_status text, text text, data jsonb)`,
        [organizationId, JSON.stringify(timeline)],
      );
      if (externalReports.length)
        await tx.manager.query(
          `INSERT INTO external_reports (organization_id, incident_id, recipient, kind, triggers, due_at, sent_at, sent_to, sent_via, sent_by_id, created_at, updated_at)
           SELECT $1, r.incident_id, r.recipient, r.kind, r.triggers, r.due_at, r.sent_at, r.sent_to, r.sent_via, r.sent_by_id, r.created_at, r.sent_at
             FROM json_to_recordset($2::json) AS r(incident_id uuid, recipient text, kind text, triggers jsonb, due_at timestamptz, sent_at timestamptz,
                  sent_to text, sent_via text, sent_by_id uuid, created_at timestamptz)`,
          [organizationId, JSON.stringify(externalReports)],
        );
      if (reviews.length)
        await tx.manager.query(
          `INSERT INTO post_incident_reviews (organization_id, incident_id, cause, what_worked, what_did_not, lessons, reviewed_by_id, reviewed_at, created_at, updated_at)
           SELECT $1, r.incident_id, r.cause, r."whatWorked", r."whatDidNot", r.lessons, r.reviewed_by_id, r.reviewed_at, r.reviewed_at, r.reviewed_at
             FROM json_to_recordset($2::json) AS r(incident_id uuid, cause text, "whatWorked" text, "whatDidNot" text, lessons text, reviewed_by_id uuid,
                  reviewed_at timestamptz)`,
          [organizationId, JSON.stringify(reviews)],
        );
      // the audit trail: each incident reported, and its move to where it stands now
      tx.auditMany(
        incidents.flatMap((row) => {
          const { description: _description, ...after } = row;
          const context = { seeded: true, reportedBy: people.find((p) => p.id === row.reporter_id)!.email };
          return [
            { action: 'incident.report', entityType: 'incident', entityId: row.id, after: camelKeys({ ...after, status: 'reported' }), context },
            ...(row.status === 'reported'
              ? []
              : [
                  {
                    action: 'incident.transition',
                    entityType: 'incident',
                    entityId: row.id,
                    before: { status: 'reported', severity: null, category: null },
                    after: { status: row.status, severity: row.severity, category: row.category },
                    context,
                  },
                ]),
          ];
        }),
      );
      created.timelineEntries = timeline.length;
      created.externalReports = externalReports.length;
      created.reviews = reviews.length;
    });
  }

  return { created, underEscalation: existing.has(DEMO_LIVE_INCIDENT.title) ? null : await reportLiveIncident(app, organizationId, people) };
}

/**
 * The open L2 of the demo, through the services: a member of 福祉課 reports it, the demo CSIRT
 * account triages it as L2 malware (its climb starts on the L2 policy) and writes what it did; nobody
 * acknowledges. Left out while the town has no escalation policy.
 */
async function reportLiveIncident(app: INestApplicationContext, organizationId: string, people: Person[]): Promise<string | null> {
  const uow = app.get(UnitOfWork);
  const policies = (await uow.manager.query(`SELECT 1 FROM escalation_policies WHERE organization_id = $1 AND active LIMIT 1`, [organizationId])) as unknown[];
  if (policies.length === 0) return null;
  const incidents = app.get(IncidentsService);
  const live = DEMO_LIVE_INCIDENT;
  const reporter = personOf(people, live.reporter);
  const { incident, created } = await incidents.report(
    actorFor(reporter, organizationId),
    { title: live.title, description: live.description, system: live.system, networkZone: live.networkZone, personalDataInvolved: live.personalDataInvolved },
    live.idempotencyKey,
  );
  if (!created) return null;
  const csirt = await demoActor(app, organizationId, 'csirt');
  await incidents.transition(csirt, incident.id, { ...live.triage, assigneeId: csirt.staffId, affectedSystems: [...live.triage.affectedSystems] });
  await incidents.addTimelineEntry(csirt, incident.id, { kind: 'action', text: live.action });
  return incident.reference;
}

function camelKeys(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
}
