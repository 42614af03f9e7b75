import ICAL from 'ical.js';
import type { DrillInvitation } from '../response-plan/drill-calendar.js';
import { drillWhen } from '../response-plan/drill-invitations.js';
import { calendarFeed } from './calendar-feed-ics.js';

const drill = (fields: Partial<DrillInvitation> = {}): DrillInvitation => ({
  id: '0193a0c0-0000-7000-8000-000000000001',
  title: '机上訓練',
  kind: 'tabletop',
  scenarioTitle: 'ランサムウェア',
  startsAt: new Date('2026-12-10T05:00:00Z'),
  endsAt: new Date('2026-12-10T07:00:00Z'),
  location: '第1会議室',
  onlineUrl: null,
  sequence: 2,
  cancelled: false,
  organizerEmail: null,
  organizerName: null,
  ...fields,
});

describe('a person’s calendar feed', () => {
  it('publishes (no METHOD) the drills with their invitation’s UID and SEQUENCE, and training due dates as all-day events', () => {
    const text = calendarFeed(
      [drill(), drill({ id: '0193a0c0-0000-7000-8000-000000000002', cancelled: true, sequence: 1 })],
      [{ enrolmentId: 'e1', title: '個人情報研修、基礎; 第2回', dueOn: '2027-03-31', url: 'https://mamori.example/training/enrolments/e1' }],
      new Date('2026-11-30T00:00:00Z'),
    );
    expect(text.split('\r\n').every((line) => Buffer.byteLength(line, 'utf8') <= 75)).toBe(true);
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.getFirstPropertyValue('method')).toBeNull();
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Mamori 予定');
    ICAL.TimezoneService.register(new ICAL.Timezone(calendar.getFirstSubcomponent('vtimezone')!));
    const events = calendar.getAllSubcomponents('vevent').map((event) => new ICAL.Event(event));
    expect(events.map((event) => [event.uid, event.sequence])).toEqual([
      ['drill-0193a0c0-0000-7000-8000-000000000001@mamori', 2],
      ['drill-0193a0c0-0000-7000-8000-000000000002@mamori', 1],
      ['enrolment-e1@mamori', null], // no SEQUENCE: a subscribed calendar takes the feed as it is
    ]);
    expect(events[0]!.startDate.toJSDate()).toEqual(new Date('2026-12-10T05:00:00Z'));
    expect(events[1]!.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(events[2]!.summary).toBe('研修の期限: 個人情報研修、基礎; 第2回');
    expect(events[2]!.startDate.isDate).toBe(true);
    expect(events[2]!.startDate.toString()).toBe('2027-03-31');
    expect(events[2]!.endDate.toString()).toBe('2027-04-01');
  });

  it('writes a drill’s time as on the pages: weekday in brackets, the end day only when it differs', () => {
    expect(drillWhen(new Date('2026-12-10T05:00:00Z'), new Date('2026-12-10T07:00:00Z'), 'ja')).toBe('2026年12月10日（木）14:00〜16:00');
    expect(drillWhen(new Date('2026-12-10T05:00:00Z'), new Date('2026-12-10T07:00:00Z'), 'en')).toBe('Thu 10 December 2026, 14:00–16:00');
    // 23:00 to 01:00 the next day in Tokyo
    expect(drillWhen(new Date('2026-12-10T14:00:00Z'), new Date('2026-12-10T16:00:00Z'), 'ja')).toBe('2026年12月10日（木）23:00〜2026年12月11日（金）01:00');
  });
});
