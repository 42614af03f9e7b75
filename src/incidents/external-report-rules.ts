import type { ExternalRecipient, ExternalReportKind, ReportTrigger } from './external-report.entity.js';
import { SEVERITIES, type Incident, type PersonalDataInvolvement, type Severity } from './incident.entity.js';

const DAY_MS = 86_400_000;

/**
 * More than this many people's data makes a leak reportable to the Commission (the threshold for
 * administrative bodies; 1,000 applies to businesses, not towns).
 */
export const REPORTABLE_PEOPLE_OVER = 100;

/** The final report (確報) is due this many days after detection… */
export const FINAL_REPORT_DAYS = 30;
/** …or this many when the leak was done for an unlawful purpose (不正の目的). */
export const FINAL_REPORT_DAYS_UNLAWFUL = 60;

/**
 * The town's choice, not a statutory deadline: the guideline says the prefecture and the ministry
 * are told "promptly" (速やかに). Mamori asks for the prefecture's notice within 1 day of detection
 * for L2 and above, and the ministry's (総務省) within 3 days for L3.
 */
export const PREFECTURE_NOTICE_DAYS = 1;
export const MINISTRY_NOTICE_DAYS = 3;

/** The settings the deadlines read (config `incidents.preliminaryReportDays`, default 3). */
export interface ReportDeadlines {
  /** the preliminary report (速報) to the Commission, and the notice to the people affected, are due this many days after detection */
  preliminaryReportDays: number;
}

/** One report the incident owes, as its assessment stands. */
export interface OwedReport {
  recipient: ExternalRecipient;
  kind: ExternalReportKind;
  /** what made it owed, in the order of REPORT_TRIGGERS */
  triggers: ReportTrigger[];
  dueAt: Date;
}

/**
 * What makes a leak of personal data reportable to the Commission (APPI art. 68 and rule art. 43 for
 * administrative bodies; the My Number Act art. 29-4 for 特定個人情報): none when no personal data
 * is involved.
 */
export function personalDataTriggers(personalData: PersonalDataInvolvement | null): ReportTrigger[] {
  if (!personalData?.involved) return [];
  const triggers: ReportTrigger[] = [];
  if ((personalData.affectedPeople ?? 0) > REPORTABLE_PEOPLE_OVER) triggers.push('over_100_people');
  if (personalData.sensitive) triggers.push('sensitive');
  if (personalData.financialHarm) triggers.push('financial_harm');
  if (personalData.unlawfulPurpose) triggers.push('unlawful_purpose');
  if (personalData.ordinanceSensitive) triggers.push('ordinance_sensitive');
  if (personalData.myNumber) triggers.push('my_number');
  return triggers;
}

const atLeast = (severity: Severity | null, floor: Severity): boolean => severity !== null && SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(floor);

/**
 * The external reports (外部報告) an incident owes, from its assessment, each due counted from the
 * time of detection (`detectedAt`, exact days of 24 hours: the safe side of the Commission's counting):
 *
 * - personal data involved and a trigger applies (over 100 people, sensitive, financial harm,
 *   unlawful purpose, ordinance-sensitive, My Number): the preliminary report to the Commission
 *   (`ppc`, `preliminary`) in `preliminaryReportDays`, the final one (`ppc`, `final`) in 30 days
 *   (60 for an unlawful purpose), and the notice to the people affected (`affected_people`,
 *   `notice`) with the preliminary report;
 * - L2 and above: a notice to the prefecture in 1 day; L3: to the ministry in 3 days (the town's
 *   choice of "promptly", see PREFECTURE_NOTICE_DAYS).
 *
 * A rejected incident (not an incident, a duplicate) owes nothing.
 */
export function owedReports(incident: Pick<Incident, 'detectedAt' | 'severity' | 'personalData' | 'status'>, deadlines: ReportDeadlines): OwedReport[] {
  if (incident.status === 'rejected') return [];
  const after = (days: number): Date => new Date(incident.detectedAt.getTime() + days * DAY_MS);
  const owed: OwedReport[] = [];
  const triggers = personalDataTriggers(incident.personalData);
  if (triggers.length > 0) {
    const finalDays = triggers.includes('unlawful_purpose') ? FINAL_REPORT_DAYS_UNLAWFUL : FINAL_REPORT_DAYS;
    owed.push(
      { recipient: 'ppc', kind: 'preliminary', triggers, dueAt: after(deadlines.preliminaryReportDays) },
      { recipient: 'ppc', kind: 'final', triggers, dueAt: after(finalDays) },
      { recipient: 'affected_people', kind: 'notice', triggers, dueAt: after(deadlines.preliminaryReportDays) },
    );
  }
  if (atLeast(incident.severity, 'L2')) owed.push({ recipient: 'prefecture', kind: 'notice', triggers: ['severity'], dueAt: after(PREFECTURE_NOTICE_DAYS) });
  if (atLeast(incident.severity, 'L3')) owed.push({ recipient: 'ministry', kind: 'notice', triggers: ['severity'], dueAt: after(MINISTRY_NOTICE_DAYS) });
  return owed;
}
