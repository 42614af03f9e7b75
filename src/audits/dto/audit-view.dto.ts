import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AUDIT_TRANSITIONS } from '../audit-transitions.js';
import { AUDIT_KINDS, AUDIT_STATUSES, type Audit, type AuditKind, type AuditStatus } from '../audit.entity.js';
import type { AuditSignOff } from '../audit-sign-off.entity.js';
import type { AuditProgress, AuditSummary, DepartmentProgress } from '../audits.service.js';
import type { ChecklistRow } from '../checklist-rows.js';
import { CHECKLIST_RESULTS, type ChecklistResult } from '../checklist-item.entity.js';

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export class AuditScopeView {
  @ApiPropertyOptional({ type: [Number] })
  chapters?: number[];

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  controlIds?: string[];

  @ApiPropertyOptional()
  essentialOnly?: boolean;

  @ApiProperty({ type: [String], format: 'uuid' })
  departmentIds!: string[];
}

export class AuditView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'AUD-2022-0001' })
  reference!: string;

  @ApiProperty({ example: 2022 })
  fiscalYear!: number;

  @ApiProperty({ enum: AUDIT_KINDS })
  kind!: AuditKind;

  @ApiProperty()
  title!: string;

  @ApiProperty({ type: AuditScopeView })
  scope!: AuditScopeView;

  @ApiProperty({ format: 'uuid' })
  leadAuditorId!: string;

  @ApiProperty({ type: [String], format: 'uuid' })
  auditorIds!: string[];

  @ApiProperty({ format: 'date' })
  plannedStart!: string;

  @ApiProperty({ format: 'date' })
  plannedEnd!: string;

  @ApiProperty({ enum: AUDIT_STATUSES })
  status!: AuditStatus;

  @ApiProperty({ enum: AUDIT_STATUSES, isArray: true, description: 'where it may go from here' })
  allowedTransitions!: AuditStatus[];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  reportedAt!: string | null;

  @ApiProperty({ description: 'the auditors’ notes on the whole audit' })
  summary!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  acceptedAt!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  acceptedById!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'the CISO’s note on accepting or returning the report' })
  acceptanceNote!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class AuditItemCounts {
  @ApiProperty({ minimum: 0 })
  total!: number;

  @ApiProperty({ minimum: 0 })
  answered!: number;
}

export class AuditSummaryView extends AuditView {
  @ApiProperty({ type: AuditItemCounts })
  items!: AuditItemCounts;

  @ApiProperty({ minimum: 0, description: 'findings the audit raised' })
  findings!: number;
}

export class ResultCounts {
  @ApiProperty({ minimum: 0 })
  conformant!: number;
  @ApiProperty({ minimum: 0 })
  observation!: number;
  @ApiProperty({ minimum: 0 })
  minor_nonconformity!: number;
  @ApiProperty({ minimum: 0 })
  major_nonconformity!: number;
  @ApiProperty({ minimum: 0 })
  not_applicable!: number;
}

export class DepartmentProgressView {
  @ApiProperty({ format: 'uuid' })
  departmentId!: string;

  @ApiProperty()
  departmentCode!: string;

  @ApiProperty()
  departmentName!: string;

  @ApiProperty({ minimum: 0 })
  total!: number;

  @ApiProperty({ minimum: 0 })
  answered!: number;

  @ApiProperty({ minimum: 0 })
  nonconformities!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'the manager’s sign-off (self-inspections)' })
  signedOffAt!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  signedOffById!: string | null;

  @ApiProperty({ type: String, nullable: true })
  signedOffByName!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'the manager’s comment on signing off' })
  signedOffNote!: string | null;
}

export class AuditProgressView {
  @ApiProperty({ minimum: 0 })
  total!: number;

  @ApiProperty({ minimum: 0 })
  answered!: number;

  @ApiProperty({ type: ResultCounts })
  byResult!: ResultCounts;

  @ApiProperty({ type: [DepartmentProgressView] })
  departments!: DepartmentProgressView[];
}

export class AuditDetailView extends AuditView {
  @ApiProperty({ type: AuditProgressView, description: 'a manager: their department only' })
  progress!: AuditProgressView;
}

export class AuditStartedView extends AuditView {
  @ApiProperty({ minimum: 1, description: 'checklist items made' })
  checklistItems!: number;
}

export class ChecklistItemView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  auditId!: string;

  @ApiProperty({ format: 'uuid' })
  controlId!: string;

  @ApiProperty({ example: '5-02' })
  controlCode!: string;

  @ApiProperty({ minimum: 1, maximum: 9 })
  chapter!: number;

  @ApiProperty()
  controlTitle!: string;

  @ApiProperty({ type: String, nullable: true })
  controlTitleEn!: string | null;

  @ApiProperty({ description: 'what the auditor asks (the control’s title when the catalogue gives no question)' })
  question!: string;

  @ApiProperty({ type: String, nullable: true })
  questionEn!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'what shows the control is in place, one per line' })
  evidenceHints!: string | null;

  @ApiProperty({ type: String, nullable: true })
  evidenceHintsEn!: string | null;

  @ApiProperty()
  essential!: boolean;

  @ApiProperty({ format: 'uuid' })
  departmentId!: string;

  @ApiProperty()
  departmentCode!: string;

  @ApiProperty()
  departmentName!: string;

  @ApiProperty({ enum: CHECKLIST_RESULTS, nullable: true })
  result!: ChecklistResult | null;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  answeredById!: string | null;

  @ApiProperty({ type: String, nullable: true })
  answeredByName!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  answeredAt!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the finding its non-conformity raised' })
  findingId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'FND-2022-0003' })
  findingReference!: string | null;

  @ApiProperty({ minimum: 0 })
  evidenceCount!: number;
}

export class SignOffView {
  @ApiProperty({ format: 'uuid' })
  auditId!: string;

  @ApiProperty({ format: 'uuid' })
  departmentId!: string;

  @ApiProperty({ format: 'uuid' })
  signedById!: string;

  @ApiProperty({ format: 'date-time' })
  signedAt!: string;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;
}

export function auditView(audit: Audit): AuditView {
  return {
    id: audit.id,
    reference: audit.reference,
    fiscalYear: audit.fiscalYear,
    kind: audit.kind,
    title: audit.title,
    scope: audit.scope,
    leadAuditorId: audit.leadAuditorId,
    auditorIds: audit.auditorIds,
    plannedStart: audit.plannedStart,
    plannedEnd: audit.plannedEnd,
    status: audit.status,
    allowedTransitions: [...AUDIT_TRANSITIONS[audit.status]],
    startedAt: iso(audit.startedAt),
    reportedAt: iso(audit.reportedAt),
    summary: audit.summary,
    acceptedAt: iso(audit.acceptedAt),
    acceptedById: audit.acceptedById,
    acceptanceNote: audit.acceptanceNote,
    createdAt: audit.createdAt.toISOString(),
  };
}

export function auditSummaryView(summary: AuditSummary): AuditSummaryView {
  return { ...auditView(summary.audit), items: { total: summary.total, answered: summary.answered }, findings: summary.findings };
}

function departmentProgressView(d: DepartmentProgress): DepartmentProgressView {
  return { ...d, signedOffAt: iso(d.signedOffAt) };
}

export function auditProgressView(progress: AuditProgress): AuditProgressView {
  return { ...progress, byResult: { ...progress.byResult }, departments: progress.departments.map(departmentProgressView) };
}

export function checklistItemView(row: ChecklistRow): ChecklistItemView {
  const { item } = row;
  return {
    id: item.id,
    auditId: item.auditId,
    controlId: item.controlId,
    controlCode: item.controlCode,
    chapter: item.chapter,
    controlTitle: row.controlTitle,
    controlTitleEn: row.controlTitleEn,
    question: row.question,
    questionEn: row.questionEn,
    evidenceHints: row.evidenceHints,
    evidenceHintsEn: row.evidenceHintsEn,
    essential: row.essential,
    departmentId: item.departmentId,
    departmentCode: item.departmentCode,
    departmentName: row.departmentName,
    result: item.result,
    note: item.note,
    answeredById: item.answeredById,
    answeredByName: row.answeredByName,
    answeredAt: iso(item.answeredAt),
    findingId: row.findingId,
    findingReference: row.findingReference,
    evidenceCount: row.evidenceCount,
  };
}

export function signOffView(signOff: AuditSignOff): SignOffView {
  return {
    auditId: signOff.auditId,
    departmentId: signOff.departmentId,
    signedById: signOff.signedById,
    signedAt: signOff.signedAt.toISOString(),
    note: signOff.note,
  };
}
