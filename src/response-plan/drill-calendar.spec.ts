import { drillInvitation, escapeText, foldLine, tokyoLocal } from './drill-calendar.js';

describe('drill-calendar', () => {
  const drill = {
    id: '11111111-2222-3333-4444-555555555555',
    title: 'ランサムウェア机上訓練',
    kind: 'tabletop',
    scenarioTitle: 'ランサムウェア感染',
    startsAt: new Date('2026-12-10T01:00:00Z'),
    endsAt: new Date('2026-12-10T02:30:00Z'),
    location: '本庁舎 3階; 第1会議室, 西側',
    onlineUrl: 'https://meet.example/abc',
    sequence: 0,
    cancelled: false,
    organizerEmail: 'officer@town.example',
    organizerName: '情報 太郎',
  };

  it('escapes backslashes, semicolons, commas and newlines', () => {
    expect(escapeText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
  });

  it('folds at 75 octets without splitting a character', () => {
    const line = `SUMMARY:${'訓'.repeat(60)}`;
    const folded = foldLine(line).split('\r\n');
    expect(folded.length).toBeGreaterThan(1);
    for (const part of folded) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.map((part, i) => (i ? part.slice(1) : part)).join('')).toBe(line);
    expect(foldLine('SHORT')).toBe('SHORT');
  });

  it('writes Tokyo local times, the time zone, a stable UID, the sequence, and CRLF lines', () => {
    expect(tokyoLocal(new Date('2026-12-10T15:30:00Z'))).toBe('20261211T003000');
    const text = drillInvitation(drill, new Date('2026-11-30T00:00:00Z'));
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const lines = text.replace(/\r\n /g, '').split('\r\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'METHOD:REQUEST',
        'TZID:Asia/Tokyo',
        'TZOFFSETFROM:+0900',
        'TZOFFSETTO:+0900',
        'TZNAME:JST',
        'DTSTART:19700101T000000',
        'UID:drill-11111111-2222-3333-4444-555555555555@mamori',
        'SEQUENCE:0',
        'DTSTAMP:20261130T000000Z',
        'DTSTART;TZID=Asia/Tokyo:20261210T100000',
        'DTEND;TZID=Asia/Tokyo:20261210T113000',
        'SUMMARY:訓練: ランサムウェア机上訓練',
        'LOCATION:本庁舎 3階\\; 第1会議室\\, 西側',
        'DESCRIPTION:シナリオ: ランサムウェア感染\\n種別: 机上訓練\\nオンライン: https://meet.example/abc',
        'ORGANIZER;CN="情報 太郎":mailto:officer@town.example',
        'STATUS:CONFIRMED',
      ]),
    );
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  });

  it('a cancellation says METHOD:CANCEL and STATUS:CANCELLED', () => {
    const lines = drillInvitation({ ...drill, sequence: 2, cancelled: true })
      .replace(/\r\n /g, '')
      .split('\r\n');
    expect(lines).toEqual(expect.arrayContaining(['METHOD:CANCEL', 'STATUS:CANCELLED', 'SEQUENCE:2']));
  });
});
