import { LOCALES } from '../../common/locale.js';
import { loadCatalogue } from '../../common/messages.js';
import { REMINDER_FORM_PROBLEMS } from './reminder-form.filter.js';
import { reminderNotice } from './department-duty-pages.service.js';

describe('department duties pages', () => {
  it('say after a reminder how many were sent and how many had had one today', () => {
    expect(reminderNotice({ sent: 3, alreadyRemindedToday: 0, nothingOutstanding: 2 })).toEqual({
      key: 'notice.remindersSent',
      counts: { sent: 3, already: 0 },
    });
    expect(reminderNotice({ sent: 2, alreadyRemindedToday: 1, nothingOutstanding: 0 }).key).toBe('notice.remindersSentSomeAlready');
    expect(reminderNotice({ sent: 0, alreadyRemindedToday: 4, nothingOutstanding: 0 }).key).toBe('notice.remindersAllAlready');
    expect(reminderNotice({ sent: 0, alreadyRemindedToday: 0, nothingOutstanding: 1 }).key).toBe('notice.remindersNothingOutstanding');
  });

  it('have every message they compose, in every language', () => {
    const keys = [
      ...['remindersSent', 'remindersSentSomeAlready', 'remindersAllAlready', 'remindersNothingOutstanding'].map((notice) => `notice.${notice}`),
      ...['overdue', 'overdueOne', 'today', 'left', 'leftOne'].map((due) => `departmentDuty.due.${due}`),
      ...[...REMINDER_FORM_PROBLEMS].filter((code) => code !== 'VALIDATION_FAILED').map((code) => `formError.${code}`),
      'formField.remind.staffId',
      'duty.kind.policy_acknowledgement',
      'duty.kind.training',
    ];
    for (const locale of LOCALES) {
      const catalogue = loadCatalogue(locale);
      expect(keys.filter((key) => !(key in catalogue))).toEqual([]);
    }
  });
});
