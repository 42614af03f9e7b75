import { addDays } from '../common/calendar.js';
import { drillEvent, escapeText, foldLine, TOKYO_VTIMEZONE, utcStamp, type DrillInvitation } from '../response-plan/drill-calendar.js';

/** A training course a person still owes, on its due date. */
export interface DueTraining {
  enrolmentId: string;
  title: string;
  /** `YYYY-MM-DD` */
  dueOn: string;
  /** the enrolment's page, absolute */
  url: string;
}

const compact = (day: string): string => day.replace(/-/g, '');

/**
 * A person's calendar feed (RFC 5545, no METHOD: a published calendar that clients poll): their
 * drills, each with the UID and SEQUENCE of its invitation (so the invitation and the feed are one
 * event; a cancelled drill is STATUS:CANCELLED), and the due dates of their open training as all-day
 * events. Pure: no database, no clock but the `now` it is given.
 */
export function calendarFeed(drills: readonly DrillInvitation[], training: readonly DueTraining[], now: Date = new Date()): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Mamori//Calendar feed//JA',
    'CALSCALE:GREGORIAN',
    'X-WR-CALNAME:Mamori 予定',
    'X-WR-TIMEZONE:Asia/Tokyo',
    'REFRESH-INTERVAL;VALUE=DURATION:PT4H',
    'X-PUBLISHED-TTL:PT4H',
    ...TOKYO_VTIMEZONE,
    ...drills.flatMap((drill) => drillEvent(drill, now)),
    ...training.flatMap((course) => [
      'BEGIN:VEVENT',
      `UID:enrolment-${course.enrolmentId}@mamori`,
      `DTSTAMP:${utcStamp(now)}`,
      `DTSTART;VALUE=DATE:${compact(course.dueOn)}`,
      `DTEND;VALUE=DATE:${compact(addDays(course.dueOn, 1))}`,
      `SUMMARY:${escapeText(`研修の期限: ${course.title}`)}`,
      `DESCRIPTION:${escapeText(`「${course.title}」の受講期限です。\n${course.url}`)}`,
      `URL:${course.url}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
