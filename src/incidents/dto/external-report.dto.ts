import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { LOCALES, type Locale } from '../../common/locale.js';
import { IsCalendarDateTime } from '../../common/validators.js';
import {
  EXTERNAL_RECIPIENTS,
  EXTERNAL_REPORT_KINDS,
  REPORT_TRIGGERS,
  type ExternalRecipient,
  type ExternalReport,
  type ExternalReportKind,
  type ReportTrigger,
} from '../external-report.entity.js';

/** A report owed to an outside body, as the API shows it (in an incident's detail and its checklist). */
export class ExternalReportView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  incidentId!: string;

  @ApiProperty({
    enum: EXTERNAL_RECIPIENTS,
    description: 'ppc: the Personal Information Protection Commission; prefecture; ministry (MIC); police; affected_people: the people whose data leaked',
  })
  recipient!: ExternalRecipient;

  @ApiProperty({ enum: EXTERNAL_REPORT_KINDS, description: 'preliminary (速報) and final (確報) reports to the Commission; a notice to the others' })
  kind!: ExternalReportKind;

  @ApiProperty({ enum: REPORT_TRIGGERS, isArray: true, description: 'what made it owed' })
  triggers!: ReportTrigger[];

  @ApiProperty({ format: 'date-time', description: 'counted from the time of detection' })
  dueAt!: string;

  @ApiProperty({ description: 'not sent, not cancelled, and past its due time' })
  overdue!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'to whom, as sent' })
  sentTo!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'how (the Commission’s online form, e-mail, fax, in person …)' })
  sentVia!: string | null;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  sentById!: string | null;

  @ApiProperty({ description: 'sent after its due time' })
  late!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'no longer owed (the assessment changed); kept for the record' })
  cancelledAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export function externalReportView(report: ExternalReport, now: Date = new Date()): ExternalReportView {
  return {
    id: report.id,
    incidentId: report.incidentId,
    recipient: report.recipient,
    kind: report.kind,
    triggers: report.triggers,
    dueAt: report.dueAt.toISOString(),
    overdue: report.sentAt === null && report.cancelledAt === null && report.dueAt.getTime() < now.getTime(),
    sentAt: report.sentAt ? report.sentAt.toISOString() : null,
    sentTo: report.sentTo,
    sentVia: report.sentVia,
    note: report.note,
    sentById: report.sentById,
    late: report.sentAt !== null && report.sentAt.getTime() > report.dueAt.getTime(),
    cancelledAt: report.cancelledAt ? report.cancelledAt.toISOString() : null,
    createdAt: report.createdAt.toISOString(),
  };
}

/** Records that a report was sent: when (default: now), to whom, how. */
export class RecordSentDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'when it was sent (default: now); not in the future, not before the incident was detected' })
  @IsOptional()
  @IsCalendarDateTime()
  sentAt?: string;

  @ApiProperty({ maxLength: 300, example: '個人情報保護委員会（漏えい等報告フォーム）' })
  @IsString()
  @Length(1, 300)
  sentTo!: string;

  @ApiProperty({ maxLength: 100, example: 'オンライン報告フォーム' })
  @IsString()
  @Length(1, 100)
  sentVia!: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  note?: string;
}

/** `?lang=` of the draft: the labels in Japanese, with English beside them for `en` (default: the reader's language). */
export class DraftQuery {
  @ApiPropertyOptional({ enum: LOCALES })
  @IsOptional()
  @IsIn(LOCALES)
  lang?: Locale;
}
