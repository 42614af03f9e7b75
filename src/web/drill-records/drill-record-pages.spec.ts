import { LOCALES } from '../../common/locale.js';
import { AppException } from '../../common/errors/app.exception.js';
import { loadCatalogue } from '../../common/messages.js';
import { DRILL_EVENT_KINDS } from '../../response-plan/drill-record.entity.js';
import { DRILL_KINDS, DRILL_STATUSES } from '../../response-plan/drill.entity.js';
import { RESPONSE_PLAN_VERSION_STATUSES } from '../../response-plan/response-plan-version.entity.js';
import { sourceHref } from '../findings/finding-pages.service.js';
import { paperInput } from './drill-paper.js';
import { DRILL_RECORD_FORM_PROBLEMS, paperMessages, proposalMessages } from './drill-record-form.filter.js';
import { shortWording, wholePercent } from './drill-record-pages.service.js';
import { dateWithWeekday, parseClock, tokyoDateOf, tokyoTimeOf } from './drill-record-times.js';

describe('drill record pages: times from the paper sheet', () => {
  it('reads a clock time as HH:MM, with or without the colon, full-width too; blank is blank; anything else is not a time', () => {
    expect(parseClock('14:25')).toBe('14:25');
    expect(parseClock(' 9:05 ')).toBe('09:05');
    expect(parseClock('1425')).toBe('14:25');
    expect(parseClock('１４：２５')).toBe('14:25');
    expect(parseClock('')).toBe('');
    expect(parseClock(undefined)).toBe('');
    for (const wrong of ['24:00', '14:60', '2pm', '14', '14:5', '1:2:3']) expect(parseClock(wrong)).toBeNull();
  });

  it('writes the day with its weekday and the Tokyo time of a moment', () => {
    expect(dateWithWeekday('2022-11-10', 'ja')).toBe('2022年11月10日（木）');
    expect(dateWithWeekday('2022-11-10', 'en')).toBe('Thu 10 November 2022');
    const at = new Date('2022-11-10T05:25:00Z');
    expect(tokyoDateOf(new Date('2022-11-10T15:30:00Z'))).toBe('2022-11-11');
    expect(tokyoTimeOf(at)).toBe('14:25');
    expect(tokyoTimeOf(null)).toBe('');
    expect(wholePercent(10 / 12)).toBe('83%');
    expect(wholePercent(null)).toBe('—');
  });

  const form = {
    date: '2022-11-10',
    startTime: '14:00',
    endTime: '15:30',
    present: ['a', 'a', 'b'],
    stepPosition: ['1', '2', '3'],
    stepTime: ['14:12', '', '16:00'],
    stepNote: ['紙の連絡網で連絡', 'x', ''],
    eventKind: ['inject', 'problem', 'inject'],
    eventTime: ['', '14:40', ''],
    eventText: ['', '連絡先が古い', ''],
    lessons: '  ',
  };

  it('makes the paper record: each time on the drill’s date in Tokyo, a blank step not done, blank rows left out, and where each entry came from', () => {
    const { dto, stepPositions, eventRows } = paperInput(form);
    expect(dto).toEqual({
      startedAt: '2022-11-10T14:00:00',
      finishedAt: '2022-11-10T15:30:00',
      presentStaffIds: ['a', 'b'],
      steps: [
        { position: 1, doneAt: '2022-11-10T14:12:00', note: '紙の連絡網で連絡' },
        { position: 3, doneAt: '2022-11-10T16:00:00' },
      ],
      events: [{ kind: 'problem', text: '連絡先が古い', occurredAt: '2022-11-10T14:40:00' }],
    });
    expect(stepPositions).toEqual([1, 3]);
    expect(eventRows).toEqual([2]);
    // a drill past midnight: times before the start are on the next day
    const night = paperInput({ ...form, startTime: '23:00', endTime: '01:10', stepTime: ['23:40', '', '00:30'], eventTime: ['', '23:05', ''] }).dto;
    expect([night.startedAt, night.finishedAt, ...night.steps.map((step) => step.doneAt)]).toEqual([
      '2022-11-10T23:00:00',
      '2022-11-11T01:10:00',
      '2022-11-10T23:40:00',
      '2022-11-11T00:30:00',
    ]);
  });

  it('refuses what cannot be read, every field at once', () => {
    const refused = (() => {
      try {
        paperInput({ ...form, date: '2022-02-30', endTime: '', stepTime: ['14:12', '9時', ''], eventTime: ['14:10', '', ''], eventText: ['', 'x', ''] });
      } catch (error) {
        return error as AppException;
      }
      throw new Error('not refused');
    })();
    expect(refused.code).toBe('VALIDATION_FAILED');
    expect(refused.errors?.map((e) => e.field)).toEqual(['date', 'endTime', 'step.2', 'event.1.text', 'event.2.time']);
  });

  it('names the step a time outside the drill is on by its playbook position, not its place among the steps entered', () => {
    const error = new AppException('DRILL_TIME_INVALID', undefined, [{ field: 'steps.1.doneAt', messages: ['must be between startedAt and finishedAt'] }]);
    const actions = new Map([
      [1, '監視の警報を確かめる'],
      [3, '住民向けのお知らせを出す'],
    ]);
    expect(paperMessages(error, form, actions)).toEqual([
      {
        key: 'drillPaper.error.stepOutside',
        values: { position: '3', action: '住民向けのお知らせを出す', time: '16:00', start: '14:00', end: '15:30' },
        fieldId: 'step-3-time',
      },
    ]);
  });

  it('has a message for every value and problem the pages compose keys from', () => {
    const keys = [
      ...DRILL_KINDS.map((kind) => `drillRecord.kind.${kind}`),
      ...DRILL_STATUSES.map((status) => `drillRecord.status.${status}`),
      ...['scheduled', 'cancelled'].map((status) => `drillRecord.notHeld.${status}`),
      ...DRILL_EVENT_KINDS.map((kind) => `drillRecord.eventKind.${kind}`),
      ...[...DRILL_RECORD_FORM_PROBLEMS]
        .filter((code) => code.startsWith('DRILL_') && !code.startsWith('DRILL_PROPOSAL_'))
        .map((code) => `drillPaper.error.${code}`),
      ...['position', 'targetMinutes', 'action', 'reason', 'other', 'nothing', 'earlierThanBefore', 'laterThanNext', 'stepNotFound'].map(
        (key) => `drillProposal.error.${key}`,
      ),
      ...RESPONSE_PLAN_VERSION_STATUSES.map((status) => `drillProposal.version.${status}`),
      ...['time', 'text', 'kind'].map((field) => `drillPaper.error.event.${field}`),
      ...['date', 'startTime', 'endTime', 'lessons', 'present', 'other'].map((field) => `formField.drillPaper.${field}`),
      ...['title', 'description', 'severity', 'ownerDepartmentId', 'dueDate'].map((field) => `formField.drillFinding.${field}`),
      'formField.drillLessons.lessons',
      ...['drillLessons', 'drillFinding'].map((form) => `drillRecord.error.heading.${form}`),
      ...['detect', 'first_response', 'contain', 'communicate', 'recover', 'prevent_recurrence'].map((phase) => `responsePlan.phase.${phase}`),
    ];
    for (const locale of LOCALES) {
      const catalogue = loadCatalogue(locale);
      expect(keys.filter((key) => !(key in catalogue))).toEqual([]);
    }
  });
});

describe('drill record pages: a proposal refused', () => {
  const steps = [
    { position: 1, action: '監視の警報を確かめる', targetMinutes: 10 },
    { position: 2, action: '配信業者に遮断を依頼する', targetMinutes: 30 },
    { position: 3, action: '住民向けのお知らせを出す', targetMinutes: 60 },
  ];
  const refused = (messages: string[], field = 'targetMinutes') => new AppException('VALIDATION_FAILED', 'x', [{ field, messages }]);

  it('names the step and its neighbour’s target when the new target breaks the order, either way', () => {
    // step 2 at 5 minutes: the service names step 2 (earlier than the step before)
    expect(proposalMessages(refused(['step 2: 5 is earlier than the step before (10)']), { position: '2', targetMinutes: '5' }, steps, 'ja')).toEqual([
      {
        key: 'drillProposal.error.earlierThanBefore',
        values: { position: '2', action: '配信業者に遮断を依頼する', count: '3', target: '5分', other: '1', otherTarget: '10分' },
        fieldId: 'proposal-targetMinutes',
      },
    ]);
    // step 2 at 90 minutes: the service names step 3 (now earlier than step 2)
    expect(proposalMessages(refused(['step 3: 60 is earlier than the step before (90)']), { position: '2', targetMinutes: '90' }, steps, 'ja')).toEqual([
      {
        key: 'drillProposal.error.laterThanNext',
        values: { position: '2', action: '配信業者に遮断を依頼する', count: '3', target: '1時間30分', other: '3', otherTarget: '1時間' },
        fieldId: 'proposal-targetMinutes',
      },
    ]);
  });

  it('asks for a target or a wording on both fields; a field that cannot be read by its field; a missing step by the playbook’s length', () => {
    const [nothing] = proposalMessages(refused(['propose a new target, a new wording, or both']), { position: '1' }, steps, 'ja');
    expect(nothing).toMatchObject({ key: 'drillProposal.error.nothing', fieldId: 'proposal-targetMinutes', alsoIds: ['proposal-action'] });
    expect(proposalMessages(refused(['reason must be longer than or equal to 1 characters'], 'reason'), { position: '1' }, steps, 'ja')).toMatchObject([
      { key: 'drillProposal.error.reason', fieldId: 'proposal-reason' },
    ]);
    expect(proposalMessages(new AppException('DRILL_PROPOSAL_STEP_NOT_FOUND'), { position: '7' }, steps, 'ja')).toMatchObject([
      { key: 'drillProposal.error.stepNotFound', values: { position: '7', count: '3' }, fieldId: 'proposal-position' },
    ]);
  });

  it('cuts a long wording short for the step select', () => {
    expect(shortWording('配信業者に遮断を依頼する')).toBe('配信業者に遮断を依頼する');
    expect(shortWording('あ'.repeat(30))).toBe(`${'あ'.repeat(23)}…`);
  });
});

describe('the findings board links a drill finding to its record only for those who read every drill', () => {
  it('links for the office, the CISO, the CSIRT and auditors; not for a manager, who may not be invited', () => {
    expect(sourceHref('drill', 'd1', { roles: ['auditor'] })).toBe('/drills/d1/record');
    expect(sourceHref('drill', 'd1', { roles: ['security_officer', 'staff'] })).toBe('/drills/d1/record');
    expect(sourceHref('drill', 'd1', { roles: ['manager', 'staff'] })).toBeNull();
    expect(sourceHref('drill', 'd1')).toBeNull();
    expect(sourceHref('audit', 'a1', { roles: ['manager'] })).toBe('/audits/a1');
  });
});
