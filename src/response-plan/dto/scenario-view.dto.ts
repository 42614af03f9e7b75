import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ResponseContact } from '../response-contact.entity.js';
import { CONTACT_KINDS, type ContactKind } from '../response-contact.entity.js';
import type { ScenarioWithSteps } from '../scenarios.service.js';

export class StepReportView {
  @ApiProperty()
  to!: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  toEn?: string | null;

  @ApiProperty()
  what!: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  whatEn?: string | null;
}

export class PlaybookStepView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ minimum: 1 })
  order!: number;

  @ApiProperty({ enum: ['detect', 'first_response', 'contain', 'communicate', 'recover', 'prevent_recurrence'] })
  phase!: string;

  @ApiProperty()
  action!: string;

  @ApiProperty({ type: String, nullable: true })
  actionEn!: string | null;

  @ApiProperty({ example: 'csirt' })
  role!: string;

  @ApiProperty({ minimum: 0, description: 'minutes from the start by which it should be done' })
  targetMinutes!: number;

  @ApiProperty({ type: StepReportView, nullable: true, description: 'what to report to whom at this step' })
  report!: StepReportView | null;
}

export class ScenarioView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'ransomware' })
  key!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ type: String, nullable: true })
  titleEn!: string | null;

  @ApiProperty({ type: [String], description: 'the incident categories it covers' })
  categories!: string[];

  @ApiProperty()
  summary!: string;

  @ApiProperty({ type: String, nullable: true })
  summaryEn!: string | null;

  @ApiProperty({ minimum: 1, description: 'the revision in force: its steps are the playbook' })
  revision!: number;

  @ApiProperty({ minimum: 1, description: 'the newest revision written; above `revision` while a draft awaits the plan’s approval' })
  latestRevision!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  retiredAt!: string | null;

  @ApiProperty({ type: [PlaybookStepView] })
  steps!: PlaybookStepView[];
}

export class ResponseContactView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  key!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  nameEn!: string | null;

  @ApiProperty({ enum: CONTACT_KINDS })
  kind!: ContactKind;

  @ApiProperty({ type: String, nullable: true })
  phone!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'only for the CISO, the security office and the CSIRT' })
  outOfHoursPhone!: string | null;

  @ApiProperty({ type: String, nullable: true })
  email!: string | null;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;
}

export function scenarioView({ scenario, steps }: ScenarioWithSteps): ScenarioView {
  return {
    id: scenario.id,
    key: scenario.key,
    title: scenario.title,
    titleEn: scenario.titleEn,
    categories: scenario.categories,
    summary: scenario.summary,
    summaryEn: scenario.summaryEn,
    revision: scenario.revision,
    latestRevision: scenario.latestRevision,
    retiredAt: scenario.retiredAt?.toISOString() ?? null,
    steps: steps.map((step) => ({
      id: step.id,
      order: step.position,
      phase: step.phase,
      action: step.action,
      actionEn: step.actionEn,
      role: step.role,
      targetMinutes: step.targetMinutes,
      report: step.report,
    })),
  };
}

export function responseContactView(contact: ResponseContact): ResponseContactView {
  return {
    id: contact.id,
    key: contact.key,
    name: contact.name,
    nameEn: contact.nameEn,
    kind: contact.kind,
    phone: contact.phone,
    outOfHoursPhone: contact.outOfHoursPhone,
    email: contact.email,
    note: contact.note,
  };
}
