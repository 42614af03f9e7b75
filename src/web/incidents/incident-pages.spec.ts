import { getMetadataStorage } from 'class-validator';
import { LOCALES } from '../../common/locale.js';
import { loadCatalogue } from '../../common/messages.js';
import { CLIMB_STOP_REASONS } from '../../incidents/escalation-climb.entity.js';
import { ESCALATION_CHANNELS } from '../../incidents/escalation-policy.entity.js';
import { sniffIncidentAttachment } from '../../incidents/incident-attachment-sniffing.js';
import { RESPONSE_PHASES, TASK_STATUSES } from '../../incidents/incident-task.entity.js';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES, NETWORK_ZONES, REJECTION_REASONS, SEVERITIES } from '../../incidents/incident.entity.js';
import { INCIDENT_PAGE_PROBLEMS, REPORT_FORM_PROBLEMS } from './incident-form.filter.js';
import {
  IncidentAcknowledgeForm,
  IncidentReportForm,
  IncidentTaskForm,
  IncidentTaskStatusForm,
  IncidentTimelineForm,
  IncidentTransitionForm,
  tokyoDateTime,
  tokyoNowLocal,
} from './incident-page.dto.js';

const fieldsOf = (form: abstract new () => object): string[] => [
  ...new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(form as new () => object, '', true, false)
      .map((m) => m.propertyName),
  ),
];

describe('incident pages: words for every value the pages compose a key from', () => {
  it('has them in every language', () => {
    const forms: [string, abstract new () => object][] = [
      ['incidentReport', IncidentReportForm],
      ['transition', IncidentTransitionForm],
      ['acknowledge', IncidentAcknowledgeForm],
      ['task', IncidentTaskForm],
      ['taskStatus', IncidentTaskStatusForm],
      ['timeline', IncidentTimelineForm],
    ];
    const keys = [
      ...INCIDENT_STATUSES.flatMap((s) => [`incident.status.${s}`, `incidentPage.transitionTo.${s}`]),
      ...SEVERITIES.map((s) => `incident.severity.${s}`),
      ...INCIDENT_CATEGORIES.map((c) => `incident.category.${c}`),
      ...NETWORK_ZONES.map((z) => `incident.zone.${z}`),
      ...RESPONSE_PHASES.map((p) => `incident.phase.${p}`),
      ...TASK_STATUSES.flatMap((s) => [`incident.taskStatus.${s}`, `incidentPage.timeline.taskStatus.${s}`]),
      ...['done', 'skipped'].map((s) => `incidentPage.taskDoneAt.${s}`),
      ...REJECTION_REASONS.map((r) => `incidentPage.rejection.${r}`),
      ...CLIMB_STOP_REASONS.map((r) => `incidentPage.climbStop.${r}`),
      ...['reported', 'triaged', 'severity_raised', 'reopened'].map((r) => `incidentPage.climbStart.${r}`),
      ...ESCALATION_CHANNELS.map((c) => `incidentPage.channel.${c}`),
      ...['sensitive', 'myNumber', 'financialHarm', 'unlawfulPurpose', 'ordinanceSensitive'].map((k) => `incidentPage.trigger.${k}`),
      ...['note', 'action', 'contact'].flatMap((k) => [`incidentPage.noteKind.${k}`, `incidentPage.timeline.${k}`]),
      ...['only', 'exclude'].map((k) => `incidentBoard.nearMiss.${k}`),
      ...[...REPORT_FORM_PROBLEMS, ...INCIDENT_PAGE_PROBLEMS].filter((code) => code !== 'VALIDATION_FAILED').map((code) => `incidentPage.error.${code}`),
      ...['empty', 'not_accepted', 'misnamed', 'too_many'].map((reason) => `incidentPage.error.INCIDENT_ATTACHMENT_REFUSED.${reason}`),
      ...forms.flatMap(([form, type]) => fieldsOf(type).map((field) => `formField.${form}.${field}`)),
      'formField.attachment.file',
    ];
    for (const locale of LOCALES) {
      const catalogue = loadCatalogue(locale);
      expect(keys.filter((key) => !(key in catalogue))).toEqual([]);
    }
  });
});

describe('incident pages: times typed in Asia/Tokyo', () => {
  it('reads a datetime-local value as Tokyo time, and gives now as one', () => {
    expect(new Date(tokyoDateTime('2026-01-05T18:30')!).toISOString()).toBe('2026-01-05T09:30:00.000Z');
    expect(tokyoDateTime('2026-01-05T18:30:00Z')).toBe('2026-01-05T18:30:00Z');
    expect(tokyoDateTime(undefined)).toBeUndefined();
    expect(tokyoNowLocal(new Date('2026-03-31T15:05:42Z'))).toBe('2026-04-01T00:05');
  });
});

describe('incident attachments: the kind from the bytes', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
  it('takes images, PDF, text, mail; refuses binaries and names that say another kind', () => {
    expect(sniffIncidentAttachment(png, 'a.png')).toMatchObject({ ok: true, contentType: 'image/png' });
    expect(sniffIncidentAttachment(png, 'no-extension')).toMatchObject({ ok: true, kind: 'png' });
    expect(sniffIncidentAttachment(Buffer.from('GIF89a....'), 'a.gif')).toMatchObject({ ok: true, contentType: 'image/gif' });
    expect(sniffIncidentAttachment(Buffer.from('RIFF\0\0\0\0WEBPVP8 '), 'a.webp')).toMatchObject({ ok: true, contentType: 'image/webp' });
    expect(sniffIncidentAttachment(Buffer.from('\0\0\0\x18ftypheic\0\0\0\0', 'latin1'), 'IMG_0001.HEIC')).toMatchObject({ ok: true, kind: 'heic' });
    expect(sniffIncidentAttachment(Buffer.from('%PDF-1.7\n'), 'a.pdf')).toMatchObject({ ok: true, contentType: 'application/pdf' });
    expect(sniffIncidentAttachment(Buffer.from('ログ\r\n'), 'a.log')).toMatchObject({ ok: true, contentType: 'text/plain; charset=utf-8' });
    const mail = Buffer.from('From: a@example.invalid\r\nSubject: hello\r\n\r\nbody\r\n');
    expect(sniffIncidentAttachment(mail, 'suspicious.eml')).toMatchObject({ ok: true, contentType: 'message/rfc822' });
    expect(sniffIncidentAttachment(mail, 'suspicious.txt')).toMatchObject({ ok: true, kind: 'text' });
    expect(sniffIncidentAttachment(Buffer.from('just a note'), 'x.eml')).toMatchObject({ ok: false, reason: 'not_accepted' });
    expect(sniffIncidentAttachment(Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0]), 'x.exe')).toMatchObject({ ok: false, reason: 'not_accepted' });
    expect(sniffIncidentAttachment(png, 'photo.jpg')).toMatchObject({ ok: false, reason: 'misnamed', expectedExtension: '.png' });
    expect(sniffIncidentAttachment(Buffer.alloc(0), 'x.txt')).toMatchObject({ ok: false, reason: 'empty' });
  });
});
