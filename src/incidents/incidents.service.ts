import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor.js';
import { toJsonData } from '../common/canonical-json.js';
import { fiscalYearOf } from '../common/dates.js';
import { AppException } from '../common/errors/app.exception.js';
import { pageOf, skipTake, type Page } from '../common/pagination.js';
import { assertMay, may } from '../common/permissions.js';
import { timeOrderedUuid } from '../common/uuid.js';
import { SqlConditions } from '../database/sql-conditions.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import type { ReportIncidentDto, ResidentReportDto } from './dto/report-incident.dto.js';
import type { IncidentQuery } from './dto/incident-query.dto.js';
import type { AssessmentDto, TimelineNoteDto, TransitionDto } from './dto/transition.dto.js';
import { EscalationService } from './escalation.service.js';
import { IncidentSubmission } from './incident-submission.entity.js';
import { IncidentTimelineEntry } from './incident-timeline-entry.entity.js';
import { appendTimeline } from './incident-timeline.js';
import { allowedTransitions, isOpen, mayTransition } from './incident-transitions.js';
import { Incident, SEVERITIES, type IncidentStatus, type Severity } from './incident.entity.js';
import { INCIDENT_SCOPE, INCIDENTS } from './incidents.permissions.js';
import './incidents.events.js';

/** The outcome of a report: the incident, and whether this request made it (false: an earlier submission with the same key did). */
export interface ReportOutcome {
  incident: Incident;
  created: boolean;
}

/** The timeline entries a reporter or their manager reads (without their text or facts). */
const OUTSIDERS_SEE: readonly string[] = ['reported', 'transition', 'acknowledgement'];

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** An Idempotency-Key (or a form's one-time token) is 1 to 200 visible ASCII characters. */
export function assertIdempotencyKey(key: string | undefined): void {
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new AppException('IDEMPOTENCY_KEY_INVALID', undefined, [{ field: 'Idempotency-Key', messages: ['must be 1 to 200 visible ASCII characters'] }]);
  }
}

/** The severities ordered: a higher index is more severe. */
function rank(severity: Severity | null): number {
  return severity === null ? -1 : SEVERITIES.indexOf(severity);
}

/** A request body's fingerprint for the idempotency check (key order does not matter). */
function fingerprint(body: object): string {
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]) => [k, sorted(v)]),
          )
        : value;
  return createHash('sha256')
    .update(JSON.stringify(sorted(body)))
    .digest('hex');
}

/**
 * Incidents (情報セキュリティインシデント): reported by anyone in a minute, triaged by the CSIRT or the
 * security office, moved through the transition table with a reason each time, every step on the
 * append-only timeline; escalation starts with the report and climbs until acknowledged.
 */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly escalation: EscalationService,
  ) {}

  /**
   * Files a report. With an idempotency key (the `Idempotency-Key` header or the page's one-time
   * form token), a retried or double-clicked submission returns the incident the first one made; the
   * same key with another body is refused. The reference (INC-2022-0007) is gapless per fiscal year.
   */
  async report(actor: Actor, dto: ReportIncidentDto, idempotencyKey?: string): Promise<ReportOutcome> {
    assertMay(actor, INCIDENTS.report);
    const occurredAt = dto.occurredAt ? new Date(dto.occurredAt) : new Date();
    if (occurredAt.getTime() > Date.now() + 5 * 60_000) {
      throw new AppException('INCIDENT_OCCURRED_IN_FUTURE', undefined, [{ field: 'occurredAt', messages: ['occurredAt lies in the future'] }]);
    }
    const system = dto.system ?? (dto.systems?.length ? dto.systems.join('、').slice(0, 200) : null);
    return this.submit(actor, `staff:${actor.staffId}`, idempotencyKey, dto, async (tx) => {
      if (dto.departmentId) await this.assertDepartment(tx, dto.departmentId);
      return {
        source: 'staff' as const,
        title: dto.title,
        description: dto.description,
        occurredAt,
        reporterId: actor.staffId,
        reporterDepartmentId: actor.departmentId,
        departmentId: dto.departmentId ?? actor.departmentId,
        system,
        networkZone: dto.networkZone ?? null,
        nearMiss: dto.nearMiss ?? false,
        personalDataSuspected: dto.personalDataInvolved ?? false,
        myNumberSuspected: dto.myNumberInvolved ?? false,
        affectedPeople: dto.affectedPeople ?? null,
      };
    });
  }

  /** A resident's report from the public page (acting as the organisation's public desk). */
  async reportAsResident(actor: Actor, dto: ResidentReportDto, formToken?: string): Promise<ReportOutcome> {
    return this.submit(actor, 'resident', formToken, dto, async () => ({
      source: 'resident' as const,
      title: dto.title,
      description: dto.description,
      occurredAt: new Date(),
      reporterId: null,
      reporterDepartmentId: null,
      departmentId: null,
      system: null,
      networkZone: null,
      nearMiss: false,
      personalDataSuspected: false,
      myNumberSuspected: false,
      affectedPeople: null,
      residentContact: { ...(dto.name ? { name: dto.name } : {}), ...(dto.email ? { email: dto.email } : {}), ...(dto.phone ? { phone: dto.phone } : {}) },
    }));
  }

  private async submit(
    actor: Actor,
    submitter: string,
    idempotencyKey: string | undefined,
    body: object,
    fields: (tx: Transaction) => Promise<Partial<Incident>>,
  ): Promise<ReportOutcome> {
    assertIdempotencyKey(idempotencyKey);
    const requestHash = fingerprint(body);
    return this.uow.run(actor, async (tx) => {
      // the new incident's id, known before its row is written (the key's claim and the climb name it)
      const incidentId = timeOrderedUuid();
      if (idempotencyKey !== undefined) {
        // a concurrent submission with the same key waits here for the first to commit, then finds it
        const claimed = (await tx.manager.query(
          `INSERT INTO incident_submissions (organization_id, submitter, idempotency_key, request_hash, incident_id)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (organization_id, submitter, idempotency_key) DO NOTHING RETURNING id`,
          [actor.organizationId, submitter, idempotencyKey, requestHash, incidentId],
        )) as { id: string }[];
        if (claimed.length === 0) {
          const earlier = await tx.manager
            .getRepository(IncidentSubmission)
            .findOneOrFail({ where: { organizationId: actor.organizationId, submitter, idempotencyKey } });
          if (earlier.requestHash !== requestHash) {
            throw new AppException('IDEMPOTENCY_KEY_REUSED', undefined, [{ field: 'Idempotency-Key', messages: ['was used for another report'] }]);
          }
          return {
            incident: await tx.manager.getRepository(Incident).findOneByOrFail({ id: earlier.incidentId, organizationId: actor.organizationId }),
            created: false,
          };
        }
      }
      return { incident: await this.create(tx, incidentId, await fields(tx)), created: true };
    });
  }

  /**
   * Writes the report. Its number is taken last: the fiscal year's counter row stays locked from
   * then until the commit, and concurrent reports queue on it, so everything that needs only the
   * incident's id (the climb, the outbox rows) is written first, and the number, the incident and
   * its first timeline entry are one statement.
   */
  private async create(tx: Transaction, id: string, fields: Partial<Incident>): Promise<Incident> {
    const reportedAt = new Date();
    const fiscalYear = fiscalYearOf(reportedAt);
    const draft = { ...fields, id, fiscalYear, reportedAt, detectedAt: reportedAt, status: 'reported' as const };
    // a near miss is recorded only (L0): nobody is paged for it
    if (!draft.nearMiss) await this.escalation.start(tx, { ...draft, severity: null } as Incident, 'reported');
    await tx.outbox({ topic: 'incident.reported', payload: { incidentId: id }, dedupeKey: `incident-reported:${id}` });
    const incident = await this.insertNumbered(tx, draft);
    tx.audit({ action: 'incident.report', entityType: 'incident', entityId: id, after: toJsonData({ ...incident, description: undefined }) });
    await tx.publish({ type: 'incident.reported', incidentId: id, reference: incident.reference, fiscalYear, nearMiss: incident.nearMiss });
    return incident;
  }

  /**
   * The fiscal year's next number (INC-2022-0007; gapless: `reference_counters`, as
   * nextReference), the incident with it and its `reported` timeline entry, in one statement.
   */
  private async insertNumbered(tx: Transaction, fields: Partial<Incident> & { fiscalYear: number; reportedAt: Date }): Promise<Incident> {
    const metadata = tx.manager.connection.getMetadata(Incident);
    const driver = tx.manager.connection.driver;
    const columns: string[] = [];
    const values: unknown[] = [tx.actor.organizationId, fields.fiscalYear, tx.actor.staffId, tx.actor.label.slice(0, 254)];
    for (const [property, value] of Object.entries(fields)) {
      const column = metadata.findColumnWithPropertyName(property);
      if (!column || value === undefined || property === 'organizationId') continue;
      columns.push(`"${column.databaseName}"`);
      values.push(driver.preparePersistentValue(value, column));
    }
    const rows = (await tx.manager.query(
      `WITH number AS (
              INSERT INTO reference_counters (organization_id, series, fiscal_year, last) VALUES ($1, 'INC', $2, 1)
              ON CONFLICT (organization_id, series, fiscal_year) DO UPDATE SET last = reference_counters.last + 1
              RETURNING last),
            incident AS (
              INSERT INTO incidents (organization_id, reference, ${columns.join(', ')})
              VALUES ($1, (SELECT 'INC-' || $2::int || '-' || lpad(last::text, greatest(4, length(last::text)), '0') FROM number),
                      ${columns.map((_, i) => `$${i + 5}`).join(', ')})
              RETURNING *),
            entry AS (
              INSERT INTO incident_timeline (organization_id, incident_id, at, kind, actor_id, actor_label, to_status, data)
              SELECT i.organization_id, i.id, i.reported_at, 'reported', $3, $4, 'reported',
                     jsonb_build_object('reference', i.reference, 'source', i.source, 'nearMiss', i.near_miss)
                FROM incident i)
       SELECT * FROM incident`,
      values,
    )) as Record<string, unknown>[];
    return this.hydrate(rows[0]!);
  }

  /** One incident, if the actor may see it (others' ids are 404, never 403). */
  async get(actor: Actor, id: string): Promise<Incident> {
    assertMay(actor, INCIDENTS.read);
    const incident = await this.visible(this.uow.manager.getRepository(Incident).createQueryBuilder('i'), actor).andWhere('i.id = :id', { id }).getOne();
    if (!incident) throw new AppException('INCIDENT_NOT_FOUND');
    return incident;
  }

  /** Narrows a query of incidents (alias `i`) to what the actor may see. */
  visible<Q extends import('typeorm').SelectQueryBuilder<Incident>>(query: Q, actor: Actor): Q {
    query.where('i.organizationId = :org', { org: actor.organizationId });
    if (actor.system || actor.roles.some((role) => INCIDENT_SCOPE.all.includes(role))) return query;
    if (actor.roles.some((role) => INCIDENT_SCOPE.department.includes(role)) && actor.departmentId) {
      return query.andWhere('(i.reporterId = :me OR i.reporterDepartmentId = :dept OR i.departmentId = :dept)', {
        me: actor.staffId,
        dept: actor.departmentId,
      });
    }
    return query.andWhere('i.reporterId = :me', { me: actor.staffId });
  }

  /** The SQL conditions of what the actor may see, for hand-written reads (alias `i`). */
  visibleConditions(actor: Actor): SqlConditions {
    const where = new SqlConditions().add('i.organization_id = ?', actor.organizationId);
    if (actor.system || actor.roles.some((role) => INCIDENT_SCOPE.all.includes(role))) return where;
    if (actor.roles.some((role) => INCIDENT_SCOPE.department.includes(role)) && actor.departmentId) {
      return where.add('i.reporter_id = ? OR i.reporter_department_id = ? OR i.department_id = ?', actor.staffId, actor.departmentId, actor.departmentId);
    }
    return where.add('i.reporter_id = ?', actor.staffId);
  }

  /**
   * The incident list: filtered by state, severity, category, department, fiscal year, dates, near
   * miss and text; sorted by urgency (open first, most severe, then unacknowledged, latest report
   * first; `incident_urgency()` of migration IndexTheIncidentBoardByUrgency, which its index
   * ix_incidents_urgency holds) or by newest. The page's ids are read first (from the index alone
   * when the filters are on the board's columns: a deep page skips index entries, not rows), then
   * their rows; the total is a plain count.
   */
  async list(actor: Actor, query: IncidentQuery): Promise<Page<Incident>> {
    assertMay(actor, INCIDENTS.read);
    const where = this.visibleConditions(actor);
    if (query.mine) where.add('i.reporter_id = ?', actor.staffId);
    if (query.status?.length) where.add('i.status = ANY(?::varchar[])', query.status);
    if (query.open) where.add(`i.status NOT IN ('closed', 'rejected')`);
    // open, nobody acknowledged, near misses aside (the work queue's count)
    if (query.unacknowledged)
      where.add(
        `i.status NOT IN ('closed', 'rejected') AND i.acknowledged_at IS NULL AND NOT (CASE WHEN i.severity IS NOT NULL THEN i.severity = 'L0' ELSE i.near_miss END)`,
      );
    if (query.severity?.length) where.add('i.severity = ANY(?::varchar[])', query.severity);
    if (query.category?.length) where.add('i.category = ANY(?::varchar[])', query.category);
    if (query.departmentId) where.add('i.department_id = ? OR i.reporter_department_id = ?1', query.departmentId);
    if (query.fiscalYear) where.add('i.fiscal_year = ?', query.fiscalYear);
    if (query.nearMiss !== undefined) where.add('i.near_miss = ?', query.nearMiss);
    if (query.from) where.add('i.reported_at >= ?', new Date(`${query.from}T00:00:00+09:00`));
    if (query.to) where.add('i.reported_at < ?', new Date(new Date(`${query.to}T00:00:00+09:00`).getTime() + 86_400_000));
    if (query.q) where.add('i.reference ILIKE ?1 OR i.title ILIKE ?1', `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const order =
      query.sort === 'newest' ? 'i.reported_at DESC, i.id DESC' : 'incident_urgency(i.status, i.severity, i.acknowledged_at), i.reported_at DESC, i.id DESC';
    const { skip, take } = skipTake(query);
    // unnamed statements: planned for the filters given (a generic plan would not know how many match)
    const [rows, counted] = await Promise.all([
      this.uow.manager.query(
        `SELECT i.* FROM incidents i
          WHERE i.id IN (SELECT i.id FROM incidents i WHERE ${where.sql()} ORDER BY ${order} LIMIT $${where.next()} OFFSET $${where.next() + 1})
          ORDER BY ${order}`,
        [...where.values, take, skip],
      ) as Promise<Record<string, unknown>[]>,
      this.uow.manager.query(`SELECT count(*)::int AS total FROM incidents i WHERE ${where.sql()}`, where.values) as Promise<{ total: number }[]>,
    ]);
    return pageOf(
      rows.map((row) => this.hydrate(row)),
      counted[0]?.total ?? 0,
      query,
    );
  }

  /** An incident from its row as PostgreSQL gives it (`SELECT i.*`, `RETURNING *`). */
  private hydrate(row: Record<string, unknown>): Incident {
    const connection = this.uow.manager.connection;
    const incident = connection.manager.create(Incident);
    for (const column of connection.getMetadata(Incident).columns) {
      (incident as unknown as Record<string, unknown>)[column.propertyName] = connection.driver.prepareHydratedValue(row[column.databaseName], column);
    }
    return incident;
  }

  /**
   * Moves an incident along the transition table. Triage (`to: triaged`) needs a severity and a
   * category and may carry the rest of the assessment; a rejection a reason (a duplicate names its
   * original); closing an L2 or L3 needs its post-incident review. An illegal move is 409 naming the
   * allowed ones.
   */
  async transition(actor: Actor, id: string, dto: TransitionDto): Promise<Incident> {
    assertMay(actor, INCIDENTS.respond);
    return this.uow.run(actor, async (tx) => {
      const incident = await this.lock(tx, id);
      if (dto.version !== undefined && dto.version !== incident.version)
        throw new AppException('INCIDENT_VERSION_CONFLICT', undefined, undefined, { version: incident.version });
      const from = incident.status;
      if (!mayTransition(from, dto.to)) {
        const allowed = allowedTransitions(from);
        throw new AppException('INCIDENT_TRANSITION_NOT_ALLOWED', `From ${from} the incident may go to: ${allowed.join(', ')}`, undefined, {
          from,
          to: dto.to,
          allowedTransitions: allowed,
        });
      }
      const now = new Date();
      const changes: Partial<Incident> = { status: dto.to, version: incident.version + 1 };
      if (dto.to === 'triaged') {
        const severity = dto.severity ?? incident.severity;
        const category = dto.category ?? incident.category;
        const missing = [...(severity ? [] : ['severity']), ...(category ? [] : ['category'])];
        if (missing.length) {
          throw new AppException(
            'INCIDENT_TRIAGE_INCOMPLETE',
            undefined,
            missing.map((field) => ({ field, messages: [`${field} is required to triage`] })),
          );
        }
        if (!incident.triagedAt) changes.triagedAt = now;
      }
      if (dto.to === 'contained' && !incident.containedAt) changes.containedAt = now;
      if (dto.to === 'closed' || dto.to === 'rejected') changes.closedAt = now;
      if (dto.to === 'reopened') changes.closedAt = null;
      if (dto.to === 'rejected') {
        const reason = dto.rejectionReason ?? (dto.duplicateOfId ? 'duplicate' : 'not_an_incident');
        if (reason === 'duplicate') {
          if (!dto.duplicateOfId)
            throw new AppException('INCIDENT_DUPLICATE_OF_REQUIRED', undefined, [{ field: 'duplicateOfId', messages: ['name the original incident'] }]);
          const original = await tx.manager.getRepository(Incident).findOneBy({ id: dto.duplicateOfId, organizationId: actor.organizationId });
          if (!original || original.id === incident.id) {
            throw new AppException('INCIDENT_DUPLICATE_OF_INVALID', undefined, [
              { field: 'duplicateOfId', messages: ['must be another incident of this organisation'] },
            ]);
          }
          changes.duplicateOfId = original.id;
        }
        changes.rejectionReason = reason;
      }
      const assessed = await this.assessmentChanges(tx, incident, dto, changes);
      if (dto.to === 'closed' && (await this.wasSignificant(tx, incident, assessed))) {
        const review = (await tx.manager.query(`SELECT 1 FROM post_incident_reviews WHERE incident_id = $1`, [incident.id])) as unknown[];
        if (review.length === 0) throw new AppException('INCIDENT_REVIEW_REQUIRED', undefined, undefined, { severity: assessed.severity });
      }
      // tx.update changes the loaded entity in place: what it was is kept first
      const before = { ...incident } as Incident;
      const saved = await tx.update(incident, changes, {
        action: 'incident.transition',
        entityType: 'incident',
        context: { reason: dto.reason },
        omit: ['description'],
      });
      await appendTimeline(tx, incident.id, {
        kind: 'transition',
        fromStatus: from,
        toStatus: dto.to,
        text: dto.reason,
        at: now,
        data: this.assessmentFacts(before, saved),
      });
      await tx.publish({ type: 'incident.transitioned', incidentId: incident.id, from, to: dto.to, severity: saved.severity, category: saved.category });
      await this.afterAssessment(tx, before, saved, dto.to === 'triaged' ? 'triaged' : dto.to === 'reopened' ? 'reopened' : null);
      if (dto.to === 'closed' || dto.to === 'rejected') await this.escalation.stop(tx, incident.id, dto.to);
      return saved;
    });
  }

  /** Changes the assessment (severity, category, personal data, systems, assignee) without a change of state. */
  async assess(actor: Actor, id: string, dto: AssessmentDto): Promise<Incident> {
    assertMay(actor, INCIDENTS.respond);
    return this.uow.run(actor, async (tx) => {
      const incident = await this.lock(tx, id);
      if (!isOpen(incident.status)) throw new AppException('INCIDENT_CLOSED');
      if (dto.version !== undefined && dto.version !== incident.version)
        throw new AppException('INCIDENT_VERSION_CONFLICT', undefined, undefined, { version: incident.version });
      const changes: Partial<Incident> = {};
      const assessed = await this.assessmentChanges(tx, incident, dto, changes);
      const before = { ...incident };
      const saved = await tx.update(
        incident,
        { ...changes, version: incident.version + 1 },
        { action: 'incident.assess', entityType: 'incident', context: { reason: dto.reason }, omit: ['description'] },
      );
      await appendTimeline(tx, incident.id, { kind: 'triage', text: dto.reason, data: this.assessmentFacts(before as Incident, assessed) });
      await this.afterAssessment(tx, before as Incident, saved, null);
      return saved;
    });
  }

  /** Applies the assessment fields of a transition or assessment to `changes`; returns the incident as it will be. */
  private async assessmentChanges(tx: Transaction, incident: Incident, dto: AssessmentDto | TransitionDto, changes: Partial<Incident>): Promise<Incident> {
    if (dto.severity !== undefined) changes.severity = dto.severity;
    if (dto.category !== undefined) changes.category = dto.category;
    if (dto.affectedSystems !== undefined)
      changes.affectedSystems = dto.affectedSystems.map((s) => ({ name: s.name, zone: s.zone, classification: s.classification ?? null }));
    if (dto.personalData !== undefined) {
      changes.personalData = {
        involved: dto.personalData.involved,
        affectedPeople: dto.personalData.affectedPeople ?? null,
        sensitive: dto.personalData.sensitive ?? false,
        myNumber: dto.personalData.myNumber ?? false,
        financialHarm: dto.personalData.financialHarm ?? false,
        unlawfulPurpose: dto.personalData.unlawfulPurpose ?? false,
        ordinanceSensitive: dto.personalData.ordinanceSensitive ?? false,
      };
    }
    if (dto.assigneeId !== undefined) {
      if (dto.assigneeId !== null) {
        const found = (await tx.manager.query(`SELECT 1 FROM staff WHERE id = $1 AND organization_id = $2 AND status = 'active'`, [
          dto.assigneeId,
          tx.actor.organizationId,
        ])) as unknown[];
        if (found.length === 0)
          throw new AppException('INCIDENT_ASSIGNEE_UNKNOWN', undefined, [{ field: 'assigneeId', messages: ['must be an active member of staff'] }]);
      }
      changes.assigneeId = dto.assigneeId;
    }
    return { ...incident, ...changes } as Incident;
  }

  private assessmentFacts(before: Incident, after: Incident): Record<string, unknown> {
    const facts: Record<string, unknown> = {};
    for (const field of ['severity', 'category', 'assigneeId'] as const) {
      if (before[field] !== after[field]) facts[field] = { from: before[field], to: after[field] };
    }
    if (JSON.stringify(before.personalData) !== JSON.stringify(after.personalData)) facts.personalData = after.personalData;
    if (JSON.stringify(before.affectedSystems) !== JSON.stringify(after.affectedSystems)) facts.affectedSystems = after.affectedSystems;
    return facts;
  }

  /** Escalation and external reports follow the assessment: a raised severity (or triage) climbs anew, a lowered one stops. */
  private async afterAssessment(tx: Transaction, before: Incident, after: Incident, started: 'triaged' | 'reopened' | null): Promise<void> {
    const assessmentChanged = JSON.stringify(this.assessmentFacts(before, after)) !== '{}';
    if (assessmentChanged || started === 'triaged') await tx.publish({ type: 'incident.assessed', incidentId: after.id });
    if (before.severity !== after.severity && after.severity) {
      await appendTimeline(tx, after.id, { kind: 'severity_changed', data: { from: before.severity, to: after.severity } });
      await tx.publish({ type: 'incident.severity_changed', incidentId: after.id, from: before.severity, to: after.severity });
    }
    if (!isOpen(after.status)) return;
    const raised = rank(after.severity) > rank(before.severity);
    const lowered = rank(after.severity) < rank(before.severity);
    if (lowered) await this.escalation.stop(tx, after.id, 'severity_lowered');
    else if (raised && before.severity !== null) await this.escalation.start(tx, after, 'severity_raised');
    else if (started === 'triaged' && before.severity === null) await this.escalation.start(tx, after, 'triaged');
    else if (started === 'reopened') await this.escalation.start(tx, after, 'reopened');
  }

  /**
   * Acknowledges the incident's escalation: the running climb stops at once, in this transaction
   * (a timer that fires later finds it stopped; a mail not yet claimed is not sent).
   */
  async acknowledge(actor: Actor, id: string, note?: string): Promise<Incident> {
    assertMay(actor, INCIDENTS.acknowledge);
    await this.get(actor, id);
    return this.uow.run(actor, async (tx) => {
      const incident = await this.lock(tx, id);
      const running = (await tx.manager.query(`SELECT id FROM escalation_climbs WHERE incident_id = $1 AND stopped_at IS NULL FOR UPDATE`, [incident.id])) as {
        id: string;
      }[];
      if (running.length === 0 && incident.acknowledgedAt) throw new AppException('INCIDENT_NOTHING_TO_ACKNOWLEDGE');
      await this.escalation.stop(tx, incident.id, 'acknowledged');
      const saved = incident.acknowledgedAt
        ? incident
        : await tx.update(
            incident,
            { acknowledgedAt: new Date(), acknowledgedById: actor.staffId, version: incident.version + 1 },
            { action: 'incident.acknowledge', entityType: 'incident', omit: ['description'] },
          );
      await appendTimeline(tx, incident.id, { kind: 'acknowledgement', text: note ?? null, data: { climbs: running.map((c) => c.id) } });
      if (incident.acknowledgedAt)
        tx.audit({ action: 'incident.acknowledge', entityType: 'incident', entityId: incident.id, after: { climbs: running.map((c) => c.id) } });
      return saved;
    });
  }

  /**
   * The timeline, oldest first. Those who work incidents read all of it; the reporter and their
   * manager read how it went (the report, the states, acknowledgements), without the responders'
   * notes, contacts, reasons or the facts of triage and escalation.
   */
  async timeline(actor: Actor, id: string): Promise<IncidentTimelineEntry[]> {
    await this.get(actor, id);
    const entries = await this.uow.manager
      .getRepository(IncidentTimelineEntry)
      .find({ where: { organizationId: actor.organizationId, incidentId: id }, order: { at: 'ASC', createdAt: 'ASC' } });
    if (actor.system || may(actor, INCIDENTS.read_all)) return entries;
    return entries
      .filter((entry) => OUTSIDERS_SEE.includes(entry.kind))
      .map((entry) => Object.assign(entry, { text: null, data: {} as Record<string, unknown> }));
  }

  /** Writes a note, an action taken or a contact made on the timeline. */
  async addTimelineEntry(actor: Actor, id: string, dto: TimelineNoteDto, idempotencyKey?: string): Promise<IncidentTimelineEntry> {
    assertMay(actor, INCIDENTS.write_timeline);
    assertIdempotencyKey(idempotencyKey);
    await this.get(actor, id);
    return this.uow.run(actor, async (tx) => {
      const incident = await this.lock(tx, id);
      // a double-clicked form (or a retried request) with the same key writes once: the first entry answers
      if (idempotencyKey !== undefined) {
        const [earlier] = (await tx.manager.query(
          `SELECT id FROM incident_timeline WHERE incident_id = $1 AND kind IN ('note', 'action', 'contact') AND data->>'formToken' = $2 LIMIT 1`,
          [incident.id, idempotencyKey],
        )) as { id: string }[];
        if (earlier) return tx.manager.getRepository(IncidentTimelineEntry).findOneByOrFail({ id: earlier.id });
      }
      await appendTimeline(tx, incident.id, {
        kind: dto.kind,
        text: dto.text,
        data: { ...(dto.contact ? { contact: dto.contact } : {}), ...(idempotencyKey !== undefined ? { formToken: idempotencyKey } : {}) },
      });
      tx.audit({ action: 'incident.timeline_entry', entityType: 'incident', entityId: incident.id, after: { kind: dto.kind, contact: dto.contact ?? null } });
      const entry = await tx.manager
        .getRepository(IncidentTimelineEntry)
        .findOneOrFail({ where: { incidentId: incident.id }, order: { createdAt: 'DESC', at: 'DESC' } });
      return entry;
    });
  }

  /**
   * Whether an incident is or ever was L2 or above: such an incident closes only after its
   * post-incident review, even if its severity was lowered since (or by the closing request).
   */
  private async wasSignificant(tx: Transaction, before: Incident, after: Incident): Promise<boolean> {
    if (rank(before.severity) >= rank('L2') || rank(after.severity) >= rank('L2')) return true;
    const raised = (await tx.manager.query(
      `SELECT 1 FROM incident_timeline WHERE incident_id = $1 AND kind = 'severity_changed' AND data->>'to' IN ('L2', 'L3') LIMIT 1`,
      [before.id],
    )) as unknown[];
    return raised.length > 0;
  }

  /** The incident, locked for the change (404 when the actor may not see it). */
  async lock(tx: Transaction, id: string): Promise<Incident> {
    const incident = await tx.manager
      .getRepository(Incident)
      .findOne({ where: { id, organizationId: tx.actor.organizationId }, lock: { mode: 'pessimistic_write' } });
    if (!incident) throw new AppException('INCIDENT_NOT_FOUND');
    if (!tx.actor.system && !may(tx.actor, INCIDENTS.read_all) && !(await this.canSee(tx.actor, incident))) throw new AppException('INCIDENT_NOT_FOUND');
    return incident;
  }

  private async canSee(actor: Actor, incident: Incident): Promise<boolean> {
    if (incident.reporterId === actor.staffId) return true;
    if (actor.roles.some((role) => INCIDENT_SCOPE.department.includes(role)) && actor.departmentId) {
      return incident.reporterDepartmentId === actor.departmentId || incident.departmentId === actor.departmentId;
    }
    return false;
  }

  private async assertDepartment(tx: Transaction, departmentId: string): Promise<void> {
    const found = (await tx.manager.query(`SELECT 1 FROM departments WHERE id = $1 AND organization_id = $2`, [
      departmentId,
      tx.actor.organizationId,
    ])) as unknown[];
    if (found.length === 0) throw new AppException('INCIDENT_DEPARTMENT_UNKNOWN', undefined, [{ field: 'departmentId', messages: ['no such department'] }]);
  }
}

export type { IncidentStatus };
