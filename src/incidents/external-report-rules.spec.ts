import { owedReports, personalDataTriggers } from './external-report-rules.js';
import type { PersonalDataInvolvement, Severity } from './incident.entity.js';

const detectedAt = new Date('2026-05-01T01:00:00Z');
const DAY = 86_400_000;
const owed = (severity: Severity | null, personalData: Partial<PersonalDataInvolvement> | null, status: 'triaged' | 'rejected' = 'triaged') =>
  owedReports(
    { detectedAt, severity, status, personalData: personalData ? { involved: true, affectedPeople: null, ...personalData } : null },
    { preliminaryReportDays: 3 },
  ).map((r) => ({ to: `${r.recipient}:${r.kind}`, days: (r.dueAt.getTime() - detectedAt.getTime()) / DAY, triggers: r.triggers }));

describe('the external reports an assessment owes', () => {
  it('names each trigger of the Commission, and none at or under 100 people or without personal data', () => {
    expect(personalDataTriggers({ involved: true, affectedPeople: 101 })).toEqual(['over_100_people']);
    expect(personalDataTriggers({ involved: true, affectedPeople: 100 })).toEqual([]);
    expect(
      personalDataTriggers({
        involved: true,
        affectedPeople: 5,
        sensitive: true,
        financialHarm: true,
        unlawfulPurpose: true,
        ordinanceSensitive: true,
        myNumber: true,
      }),
    ).toEqual(['sensitive', 'financial_harm', 'unlawful_purpose', 'ordinance_sensitive', 'my_number']);
    expect(personalDataTriggers({ involved: false, affectedPeople: 5000, sensitive: true })).toEqual([]);
    expect(personalDataTriggers(null)).toEqual([]);
  });

  it('owes the Commission a preliminary report and the people a notice in 3 days, the final report in 30 days or 60 for an unlawful purpose', () => {
    expect(owed('L1', { sensitive: true })).toEqual([
      { to: 'ppc:preliminary', days: 3, triggers: ['sensitive'] },
      { to: 'ppc:final', days: 30, triggers: ['sensitive'] },
      { to: 'affected_people:notice', days: 3, triggers: ['sensitive'] },
    ]);
    expect(owed('L1', { unlawfulPurpose: true }).find((r) => r.to === 'ppc:final')!.days).toBe(60);
    expect(owed('L1', { affectedPeople: 100 })).toEqual([]);
  });

  it('owes the prefecture a notice in a day from L2, the ministry one in 3 days at L3; a rejected incident owes nothing', () => {
    expect(owed('L1', null)).toEqual([]);
    expect(owed('L2', null)).toEqual([{ to: 'prefecture:notice', days: 1, triggers: ['severity'] }]);
    expect(owed('L3', null).map((r) => `${r.to}+${r.days}`)).toEqual(['prefecture:notice+1', 'ministry:notice+3']);
    expect(owed('L3', { myNumber: true }, 'rejected')).toEqual([]);
  });
});
