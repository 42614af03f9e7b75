import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { LOCALES, type Locale } from '../../common/locale.js';
import { CORRECTIVE_ACTION_STATUSES, type CorrectiveActionStatus } from '../../findings/corrective-action.entity.js';
import { FINDING_SEVERITIES, FINDING_STATUSES, type FindingSeverity, type FindingStatus } from '../../findings/finding.entity.js';
import { AUDIT_KINDS, type AuditKind } from '../audit.entity.js';
import {
  REPORT_NOTES_LIMIT,
  type AuditReport,
  type ChapterConformance,
  type ConformanceFigures,
  type DepartmentConformance,
  type PersonName,
  type ReportAction,
  type ReportFinding,
  type ReportItem,
  type TrendFigures,
  type TrendYear,
} from '../audit-report.service.js';
import { CHECKLIST_RESULTS, type ChecklistResult } from '../checklist-item.entity.js';
import { AuditView, auditView, ResultCounts } from './audit-view.dto.js';

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

const RATE = 'the conformance rate 0–1: (conformant + observation) ÷ (answered − not_applicable); null when no answered item is applicable';

export class ConformanceView {
  @ApiProperty({ minimum: 0, description: 'checklist items' })
  items!: number;

  @ApiProperty({ minimum: 0 })
  answered!: number;

  @ApiProperty({ type: ResultCounts })
  byResult!: ResultCounts;

  @ApiProperty({ minimum: 0, description: 'answered − not_applicable: the rate’s denominator' })
  applicable!: number;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1, description: RATE })
  rate!: number | null;
}

export class ChapterConformanceView extends ConformanceView {
  @ApiProperty({ minimum: 1, maximum: 9 })
  chapter!: number;
}

export class DepartmentConformanceView extends ConformanceView {
  @ApiProperty({ format: 'uuid' })
  departmentId!: string;

  @ApiProperty()
  departmentCode!: string;

  @ApiProperty()
  departmentName!: string;

  @ApiProperty({ type: String, nullable: true })
  departmentNameEn!: string | null;
}

export class PersonNameView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '監査 一郎' })
  name!: string;
}

export class ReportDepartmentView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  code!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  nameEn!: string | null;
}

export class ReportActionView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  assigneeId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  assigneeName!: string | null;

  @ApiProperty({ format: 'date' })
  dueDate!: string;

  @ApiProperty({ enum: CORRECTIVE_ACTION_STATUSES })
  status!: CorrectiveActionStatus;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  doneAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  verifiedAt!: string | null;
}

export class ReportFindingView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'FND-2022-0003' })
  reference!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ enum: FINDING_SEVERITIES })
  severity!: FindingSeverity;

  @ApiProperty({ enum: FINDING_STATUSES })
  status!: FindingStatus;

  @ApiProperty({ format: 'date' })
  dueDate!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  ownerDepartmentId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  ownerDepartmentName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  ownerDepartmentNameEn!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'the item whose non-conformity raised it; null when raised by hand against the audit',
  })
  checklistItemId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '5-02' })
  controlCode!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  verifiedAt!: string | null;

  @ApiProperty({ type: [ReportActionView] })
  actions!: ReportActionView[];
}

export class ReportNoteView {
  @ApiProperty({ format: 'uuid', description: 'the checklist item' })
  itemId!: string;

  @ApiProperty({ example: '5-02' })
  controlCode!: string;

  @ApiProperty({ minimum: 1, maximum: 9 })
  chapter!: number;

  @ApiProperty()
  controlTitle!: string;

  @ApiProperty({ type: String, nullable: true })
  controlTitleEn!: string | null;

  @ApiProperty({ format: 'uuid' })
  departmentId!: string;

  @ApiProperty()
  departmentName!: string;

  @ApiProperty({ type: String, nullable: true })
  departmentNameEn!: string | null;

  @ApiProperty({ enum: CHECKLIST_RESULTS })
  result!: ChecklistResult;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'the finding its non-conformity raised' })
  findingReference!: string | null;
}

export class AuditReportView {
  @ApiProperty({ type: AuditView })
  audit!: AuditView;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'the department the reader is held to (a manager not on the team sees their department’s items and findings only); null: the whole audit',
  })
  departmentId!: string | null;

  @ApiProperty({ type: [ReportDepartmentView], description: 'the departments of the scope (the reader’s, when held to one)' })
  departments!: ReportDepartmentView[];

  @ApiProperty({ type: PersonNameView })
  leadAuditor!: PersonNameView;

  @ApiProperty({ type: [PersonNameView], description: 'the rest of the team' })
  auditors!: PersonNameView[];

  @ApiProperty({ type: PersonNameView, nullable: true, description: 'the CISO who accepted the report' })
  acceptedBy!: PersonNameView | null;

  @ApiProperty({ type: ConformanceView, description: RATE })
  overall!: ConformanceView;

  @ApiProperty({ type: [ChapterConformanceView] })
  byChapter!: ChapterConformanceView[];

  @ApiProperty({ type: [DepartmentConformanceView] })
  byDepartment!: DepartmentConformanceView[];

  @ApiProperty({ type: [ReportFindingView], description: 'every finding the audit raised, by its checklist or by hand, with the corrective actions' })
  findings!: ReportFindingView[];

  @ApiProperty({
    type: [ReportNoteView],
    maxItems: REPORT_NOTES_LIMIT,
    description:
      `the auditors’ notes on the items observed or found non-conformant (the audit’s own notes: audit.summary): the first ${REPORT_NOTES_LIMIT} ` +
      'in control-code then department-code order; notesTotal says how many there are, and the workbook (report.xlsx) lists every item',
  })
  notes!: ReportNoteView[];

  @ApiProperty({
    minimum: 0,
    description: `how many items are observed or found non-conformant in all; more than notes holds when it is over ${REPORT_NOTES_LIMIT}`,
  })
  notesTotal!: number;
}

/** `?lang=en` for an English workbook (default: the reader's language setting, else Japanese). */
export class AuditReportExportQuery {
  @ApiPropertyOptional({ enum: LOCALES })
  @IsOptional()
  @IsIn(LOCALES)
  lang?: Locale;
}

export class AuditTrendQuery {
  @ApiPropertyOptional({ enum: AUDIT_KINDS, description: 'one kind only (default: every kind, each and together)' })
  @IsOptional()
  @IsIn(AUDIT_KINDS)
  kind?: AuditKind;
}

export class TrendFiguresView {
  @ApiProperty({ example: 2022 })
  fiscalYear!: number;

  @ApiProperty({ enum: AUDIT_KINDS, nullable: true, description: 'null: every kind of the year together' })
  kind!: AuditKind | null;

  @ApiProperty({ minimum: 0, description: 'audits held: reporting or closed' })
  audits!: number;

  @ApiProperty({ minimum: 0 })
  items!: number;

  @ApiProperty({ minimum: 0 })
  answered!: number;

  @ApiProperty({ minimum: 0 })
  applicable!: number;

  @ApiProperty({ minimum: 0 })
  conformant!: number;

  @ApiProperty({ minimum: 0 })
  observation!: number;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1, description: RATE })
  rate!: number | null;

  @ApiProperty({ minimum: 0, description: 'findings the audits raised' })
  findingsRaised!: number;

  @ApiProperty({ minimum: 0, description: 'of those, verified' })
  findingsVerified!: number;
}

export class TrendYearView {
  @ApiProperty({ example: 2022 })
  fiscalYear!: number;

  @ApiProperty({ type: TrendFiguresView, description: 'the kinds asked for, together' })
  total!: TrendFiguresView;

  @ApiProperty({ type: [TrendFiguresView] })
  byKind!: TrendFiguresView[];
}

export class AuditTrendView {
  @ApiProperty({ enum: AUDIT_KINDS, nullable: true, description: 'the kind asked for; null: every kind' })
  kind!: AuditKind | null;

  @ApiProperty({ type: [TrendYearView], description: 'every fiscal year with an audit held, oldest first' })
  years!: TrendYearView[];
}

function conformanceView(figures: ConformanceFigures): ConformanceView {
  return { items: figures.items, answered: figures.answered, byResult: { ...figures.byResult }, applicable: figures.applicable, rate: figures.rate };
}

function person(p: PersonName): PersonNameView {
  return { id: p.id, name: p.name };
}

function actionView(a: ReportAction): ReportActionView {
  return { ...a, doneAt: iso(a.doneAt), verifiedAt: iso(a.verifiedAt) };
}

function findingView(f: ReportFinding): ReportFindingView {
  return { ...f, verifiedAt: iso(f.verifiedAt), actions: f.actions.map(actionView) };
}

function noteView(item: ReportItem): ReportNoteView {
  return {
    itemId: item.id,
    controlCode: item.controlCode,
    chapter: item.chapter,
    controlTitle: item.controlTitle,
    controlTitleEn: item.controlTitleEn,
    departmentId: item.departmentId,
    departmentName: item.departmentName,
    departmentNameEn: item.departmentNameEn,
    result: item.result!,
    note: item.note,
    findingReference: item.findingReference,
  };
}

export function auditReportView(report: AuditReport): AuditReportView {
  return {
    audit: auditView(report.audit),
    departmentId: report.departmentId,
    departments: report.departmentNames.map((d) => ({ ...d })),
    leadAuditor: person(report.leadAuditor),
    auditors: report.auditors.map(person),
    acceptedBy: report.acceptedBy ? person(report.acceptedBy) : null,
    overall: conformanceView(report.overall),
    byChapter: report.byChapter.map((row: ChapterConformance) => ({ chapter: row.chapter, ...conformanceView(row) })),
    byDepartment: report.byDepartment.map((row: DepartmentConformance) => ({
      departmentId: row.departmentId,
      departmentCode: row.departmentCode,
      departmentName: row.departmentName,
      departmentNameEn: row.departmentNameEn,
      ...conformanceView(row),
    })),
    findings: report.findings.map(findingView),
    notes: report.notes.map(noteView),
    notesTotal: report.notesTotal,
  };
}

function trendFiguresView(figures: TrendFigures): TrendFiguresView {
  return { ...figures };
}

export function auditTrendView(kind: AuditKind | null, years: TrendYear[]): AuditTrendView {
  return {
    kind,
    years: years.map((year) => ({ fiscalYear: year.fiscalYear, total: trendFiguresView(year.total), byKind: year.byKind.map(trendFiguresView) })),
  };
}
