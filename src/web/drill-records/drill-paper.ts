import { addDays, isCalendarDate } from '../../common/calendar.js';
import { AppException, type FieldError } from '../../common/errors/app.exception.js';
import { DRILL_EVENT_KINDS, type DrillEventKind } from '../../response-plan/drill-record.entity.js';
import type { PaperRecordDto } from '../../response-plan/dto/drill-run.dto.js';
import { parseClock } from './drill-record-times.js';

const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : '')) : typeof value === 'string' ? [value] : [];
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The paper form as the service's record, and where each entry came from (to name the row a refusal is about). */
export interface PaperInput {
  dto: PaperRecordDto;
  /** the playbook position of each entry of `dto.steps` */
  stepPositions: number[];
  /** the form's row (1-based) of each entry of `dto.events` */
  eventRows: number[];
}

/**
 * The paper sheet's form (urlencoded, flat: see DrillPaperForm) as a paper record: each `HH:MM` on
 * the drill's date in Tokyo (`2022-11-10T14:25:00`, which the service reads as Tokyo time; a time
 * earlier than the start is on the next day, for a drill past midnight); a step
 * with a blank time was not done; a row of injects and problems with neither time nor text is left
 * out. What cannot be read throws 400 VALIDATION_FAILED naming the field (`date`, `startTime`,
 * `endTime`, `step.<position>`, `event.<row>.time|text|kind`), every one at once.
 */
export function paperInput(body: Record<string, unknown>): PaperInput {
  const errors: FieldError[] = [];
  const date = text(body.date).trim();
  if (!isCalendarDate(date)) errors.push({ field: 'date', messages: ['must be a date YYYY-MM-DD'] });
  const start = parseClock(body.startTime);
  // a time before the start is after midnight: the next day (a drill from 23:00 to 01:00)
  const nextDay = isCalendarDate(date) ? addDays(date, 1) : date;
  const at = (clock: string) => `${start && clock < start ? nextDay : date}T${clock}:00`;
  const end = parseClock(body.endTime);
  if (!start) errors.push({ field: 'startTime', messages: ['must be a time HH:MM'] });
  if (!end) errors.push({ field: 'endTime', messages: ['must be a time HH:MM'] });

  const positions = list(body.stepPosition);
  const times = list(body.stepTime);
  const notes = list(body.stepNote);
  const steps: PaperRecordDto['steps'] = [];
  const stepPositions: number[] = [];
  positions.forEach((value, i) => {
    const position = Number(value);
    if (!Number.isInteger(position) || position < 1) return;
    const clock = parseClock(times[i]);
    const note = (notes[i] ?? '').trim();
    if (clock === null) errors.push({ field: `step.${position}`, messages: ['must be a time HH:MM, or blank when not done'] });
    else if (clock !== '') {
      steps.push({ position, doneAt: at(clock), ...(note ? { note } : {}) });
      stepPositions.push(position);
    }
  });

  const kinds = list(body.eventKind);
  const eventTimes = list(body.eventTime);
  const texts = list(body.eventText);
  const events: NonNullable<PaperRecordDto['events']> = [];
  const eventRows: number[] = [];
  for (let i = 0; i < Math.max(kinds.length, eventTimes.length, texts.length); i++) {
    const row = i + 1;
    const clock = parseClock(eventTimes[i]);
    const said = (texts[i] ?? '').trim();
    if (clock === '' && said === '') continue;
    const kind = kinds[i] as DrillEventKind;
    if (!DRILL_EVENT_KINDS.includes(kind)) errors.push({ field: `event.${row}.kind`, messages: ['must be inject or problem'] });
    if (!clock) errors.push({ field: `event.${row}.time`, messages: ['must be a time HH:MM'] });
    if (said === '') errors.push({ field: `event.${row}.text`, messages: ['must not be empty'] });
    if (clock && said && DRILL_EVENT_KINDS.includes(kind)) {
      events.push({ kind, text: said, occurredAt: at(clock) });
      eventRows.push(row);
    }
  }
  if (errors.length) throw new AppException('VALIDATION_FAILED', undefined, errors);
  const lessons = text(body.lessons);
  return {
    dto: {
      startedAt: at(start!),
      finishedAt: at(end!),
      presentStaffIds: [...new Set(list(body.present).filter(Boolean))],
      steps,
      events,
      ...(lessons.trim() ? { lessons } : {}),
    },
    stepPositions,
    eventRows,
  };
}
