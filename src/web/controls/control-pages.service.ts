import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Actor } from '../../common/actor.js';
import type { MamoriConfig } from '../../config/configuration.js';
import { ControlCoverageService } from '../../controls/control-coverage.service.js';
import { ControlEvidenceService } from '../../controls/control-evidence.service.js';
import { ControlHistoryService, type ControlHistory } from '../../controls/control-history.service.js';
import { AUDIT_TRAIL } from '../../audit-trail/audit-trail.permissions.js';
import { CONTROLS } from '../../controls/controls.permissions.js';
import { may } from '../../common/permissions.js';
import { CONTROL_STATUSES, FRAMEWORKS, type Control } from '../../controls/control.entity.js';
import { ControlsService } from '../../controls/controls.service.js';
import { ControlQuery } from '../../controls/dto/control.dto.js';
import { DepartmentsService } from '../../staff/departments.service.js';
import { DepartmentQuery } from '../../staff/dto/department.dto.js';
import { addDays, DUE_SOON_DAYS, tokyoToday } from '../../common/calendar.js';
import type { FormErrors } from '../forms/form-error.js';
import { pagerFor } from '../pagination.js';
import { fullName } from '../viewer.service.js';
import type { ControlPageQuery } from './control-page.dto.js';

const PAGE_SIZE = 50;
const CHAPTERS = [1, 2, 3, 4, 5, 6, 7, 8, 9];

/** What the catalogue and control pages show, from the controls' services. */
@Injectable()
export class ControlPagesService {
  readonly maxEvidenceBytes: number;

  constructor(
    private readonly controls: ControlsService,
    private readonly evidence: ControlEvidenceService,
    private readonly history: ControlHistoryService,
    private readonly coverage: ControlCoverageService,
    private readonly departments: DepartmentsService,
    config: ConfigService<MamoriConfig, true>,
  ) {
    this.maxEvidenceBytes = config.get('evidence', { infer: true }).maxBytes;
  }

  async catalogue(actor: Actor, query: ControlPageQuery): Promise<object> {
    const filter = {
      chapter: query.chapter,
      status: query.status,
      essential: query.essential,
      framework: query.framework,
      department: query.department,
      q: query.q,
    };
    const controlQuery = Object.assign(new ControlQuery(), {
      page: query.page,
      pageSize: PAGE_SIZE,
      chapter: filter.chapter,
      status: filter.status,
      essential: filter.essential === undefined ? undefined : filter.essential === 'true',
      framework: filter.framework,
      ownerDepartmentId: filter.department,
      q: filter.q,
    });
    const [result, coverage, departments] = await Promise.all([
      this.controls.list(actor, controlQuery),
      this.coverage.coverage(actor),
      this.departmentList(actor),
    ]);
    const names = new Map(departments.map((d) => [d.id, d]));
    const selected = <T>(values: readonly T[], current: T | undefined) => values.map((value) => ({ value, selected: value === current }));
    return {
      title: 'controls.title',
      filter,
      chapters: selected(CHAPTERS, filter.chapter),
      statuses: selected(CONTROL_STATUSES, filter.status),
      essentials: selected(['true', 'false'] as const, filter.essential),
      frameworks: selected(FRAMEWORKS, filter.framework),
      departments: departments.map((d) => ({ ...d, selected: d.id === filter.department })),
      rows: result.items.map((c) => ({ ...row(c), department: c.ownerDepartmentId ? (names.get(c.ownerDepartmentId) ?? null) : null })),
      pager: pagerFor(result, '/controls', { ...filter, chapter: filter.chapter?.toString() }),
      coverage,
      canDownloadSoa: may(actor, CONTROLS.export_soa),
      canUpdate: may(actor, CONTROLS.update_status),
    };
  }

  /** The controls due for checking within 30 days or overdue, most overdue first. */
  async dueForCheck(actor: Actor, page: number): Promise<object> {
    const today = tokyoToday();
    const [result, departments] = await Promise.all([
      this.controls.dueForCheck(actor, addDays(today, DUE_SOON_DAYS), { page, pageSize: PAGE_SIZE }),
      this.departmentList(actor),
    ]);
    const names = new Map(departments.map((d) => [d.id, d]));
    return {
      title: 'controlsDue.title',
      today,
      soonDays: DUE_SOON_DAYS,
      rows: result.items.map((c) => ({
        ...row(c),
        department: c.ownerDepartmentId ? (names.get(c.ownerDepartmentId) ?? null) : null,
        overdue: c.nextCheckDue !== null && c.nextCheckDue < today,
      })),
      pager: pagerFor(result, '/controls/due', {}),
      canUpdate: may(actor, CONTROLS.update_status),
    };
  }

  /** A control's page; after a refused form, with what was sent in that form. */
  async control(actor: Actor, id: string, refused: FormErrors | null = null): Promise<object> {
    const [control, evidence, history] = await Promise.all([
      this.controls.get(actor, id),
      may(actor, CONTROLS.read_evidence) ? this.evidence.list(actor, id) : Promise.resolve(null),
      may(actor, CONTROLS.read_history) ? this.history.history(actor, id) : Promise.resolve(null),
    ]);
    const department = control.ownerDepartmentId ? await this.departments.get(actor, control.ownerDepartmentId).catch(() => null) : null;
    const submitted = refused?.form === 'status' ? refused.submitted : {};
    const status = typeof submitted.status === 'string' ? submitted.status : control.status;
    return {
      title: 'control.title',
      titleDetail: { ja: `${control.code} ${control.title}`, en: `${control.code} ${control.titleEn ?? control.title}` },
      control: { ...row(control), department },
      showEvidence: evidence !== null,
      evidence: (evidence?.items ?? []).map((e) => ({
        ...e,
        uploader: e.uploadedBy ? fullName(e.uploadedBy) : null,
        href: `/controls/${control.id}/evidence/${e.id}`,
      })),
      history: history && historyView(history, may(actor, AUDIT_TRAIL.read)),
      canEditStatus: may(actor, CONTROLS.update_status) && !control.retiredAt,
      canUpload: may(actor, CONTROLS.add_evidence) && !control.retiredAt,
      statuses: CONTROL_STATUSES.map((value) => ({ value, selected: value === status })),
      statusForm: {
        reason: typeof submitted.reason === 'string' ? submitted.reason : (control.statusReason ?? ''),
        nextCheckDue: typeof submitted.nextCheckDue === 'string' ? submitted.nextCheckDue : '',
      },
      evidenceForm: { note: refused?.form === 'evidence' && typeof refused.submitted.note === 'string' ? refused.submitted.note : '' },
      maxEvidenceSize: this.maxEvidenceBytes,
    };
  }

  private async departmentList(actor: Actor) {
    const page = await this.departments.list(actor, Object.assign(new DepartmentQuery(), { page: 1, pageSize: 200 }));
    return page.items.map((d) => ({ id: d.id, name: d.name, nameEn: d.nameEn }));
  }
}

/** The history section: each entry's who (a name, or the system's label) and its changes; whether the list is cut. */
function historyView(history: ControlHistory, canReadTrail: boolean) {
  return {
    entries: history.entries.map((entry) => ({
      ...entry,
      who: entry.actor.name ?? (entry.actor.id ? entry.actor.label : null),
      system: entry.actor.id === null ? entry.actor.label : null,
    })),
    total: history.total,
    limit: history.limit,
    limited: history.total > history.entries.length,
    auditTrailHref: canReadTrail ? '/audit-trail' : null,
  };
}

function row(c: Control) {
  return {
    id: c.id,
    code: c.code,
    chapter: c.chapter,
    title: c.title,
    titleEn: c.titleEn,
    description: c.description,
    descriptionEn: c.descriptionEn,
    ownerRole: c.ownerRole,
    frequency: c.frequency,
    essential: c.essential,
    mappings: { iso27001: c.mappings.iso27001 ?? [], nistCsf: c.mappings.nistCsf ?? [] },
    status: c.status,
    statusReason: c.statusReason,
    statusChangedAt: c.statusChangedAt,
    lastCheckedAt: c.lastCheckedAt,
    nextCheckDue: c.nextCheckDue,
    retired: c.retiredAt !== null,
    href: `/controls/${c.id}`,
  };
}
