/**
 * A drill's invitation as iCalendar (RFC 5545): one VEVENT in Asia/Tokyo local time with its
 * VTIMEZONE, a stable UID and the drill's SEQUENCE; `METHOD:CANCEL` once it is cancelled.
 * Pure: no database, no clock but the `now` it is given.
 */

export interface DrillInvitation {
  id: string;
  title: string;
  kind: string;
  scenarioTitle: string;
  startsAt: Date;
  endsAt: Date;
  location: string | null;
  onlineUrl: string | null;
  sequence: number;
  cancelled: boolean;
  organizerEmail: string | null;
  organizerName: string | null;
}

const KIND_WORDS: Record<string, string> = { tabletop: '机上訓練', functional: '機能訓練', full_scale: '総合訓練' };
const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000;

/** TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, newlines as `\n`. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character; continuation lines start with a space. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    const limit = out.length === 0 ? 75 : 74; // a continuation's leading space counts
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

/** `YYYYMMDDTHHMMSS` in Asia/Tokyo (UTC+9, no daylight saving). */
export function tokyoLocal(moment: Date): string {
  return new Date(moment.getTime() + TOKYO_OFFSET_MS).toISOString().replace(/[-:]/g, '').slice(0, 15);
}

/** `YYYYMMDDTHHMMSSZ` in UTC. */
export function utcStamp(moment: Date): string {
  return `${moment.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
}

/** The one time zone of every drill: Asia/Tokyo (UTC+9, no daylight saving). */
export const TOKYO_VTIMEZONE: readonly string[] = [
  'BEGIN:VTIMEZONE',
  'TZID:Asia/Tokyo',
  'BEGIN:STANDARD',
  'DTSTART:19700101T000000',
  'TZOFFSETFROM:+0900',
  'TZOFFSETTO:+0900',
  'TZNAME:JST',
  'END:STANDARD',
  'END:VTIMEZONE',
];

/** The drill's VEVENT (unfolded lines): the same UID and SEQUENCE in the invitation and in a person's calendar feed. */
export function drillEvent(drill: DrillInvitation, now: Date = new Date()): string[] {
  const description = [
    `シナリオ: ${drill.scenarioTitle}`,
    `種別: ${KIND_WORDS[drill.kind] ?? drill.kind}`,
    ...(drill.onlineUrl ? [`オンライン: ${drill.onlineUrl}`] : []),
  ].join('\n');
  const organizer = drill.organizerEmail
    ? [`ORGANIZER${drill.organizerName ? `;CN="${drill.organizerName.replace(/["\\]/g, '')}"` : ''}:mailto:${drill.organizerEmail}`]
    : [];
  return [
    'BEGIN:VEVENT',
    `UID:drill-${drill.id}@mamori`,
    `SEQUENCE:${drill.sequence}`,
    `DTSTAMP:${utcStamp(now)}`,
    `DTSTART;TZID=Asia/Tokyo:${tokyoLocal(drill.startsAt)}`,
    `DTEND;TZID=Asia/Tokyo:${tokyoLocal(drill.endsAt)}`,
    `SUMMARY:${escapeText(`訓練: ${drill.title}`)}`,
    ...(drill.location ? [`LOCATION:${escapeText(drill.location)}`] : []),
    `DESCRIPTION:${escapeText(description)}`,
    ...(drill.onlineUrl ? [`URL:${drill.onlineUrl}`] : []),
    ...organizer,
    `STATUS:${drill.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
  ];
}

/** The invitation (or its cancellation), lines joined with CRLF and folded. */
export function drillInvitation(drill: DrillInvitation, now: Date = new Date()): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Mamori//Drills//JA',
    'CALSCALE:GREGORIAN',
    `METHOD:${drill.cancelled ? 'CANCEL' : 'REQUEST'}`,
    ...TOKYO_VTIMEZONE,
    ...drillEvent(drill, now),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
