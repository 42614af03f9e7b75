import { LOCALES } from '../../common/locale.js';
import { loadCatalogue } from '../../common/messages.js';
import { IMPORT_ISSUE_CODES } from '../../staff/staff-import-csv.js';
import { DRILL_FORMATS, DRILL_ISSUE_CODES } from '../../training/mail-drill-csv.js';
import { DRILL_FORM_PROBLEMS } from './mail-drill-form.filter.js';
import { DRILL_SHOWS } from './mail-drill-pages.service.js';

describe('targeted-mail drill pages', () => {
  it('have every message they compose, in every language', () => {
    // the file problems the shared upload checks give (no file, not a CSV, binary, not UTF-8, too large)
    const fileIssues = IMPORT_ISSUE_CODES.filter((code) => ['missing', 'notCsv', 'binary', 'notUtf8', 'tooLarge'].includes(code));
    const keys = [
      ...DRILL_ISSUE_CODES.map((code) => `mailDrills.issue.${code}`),
      ...fileIssues.map((code) => `mailDrills.fileIssue.${code}`),
      ...[...DRILL_FORM_PROBLEMS].map((code) => `mailDrills.refused.${code}`),
      ...['file', 'email', 'employeeNumber', 'status', 'sent', 'opened', 'clicked', 'submitted', 'reported'].map((field) => `mailDrills.column.${field}`),
      ...['auto', ...DRILL_FORMATS].flatMap((format) => [`mailDrill.format.${format}`, `mailDrill.formatHint.${format}`]),
      ...DRILL_SHOWS.map((show) => `mailDrill.show.${show}`),
      ...['enrolled', 'completed'].map((state) => `mailDrill.followUp.${state}`),
      ...['rows', 'sent', 'opened', 'clicked', 'submittedData', 'reported', 'clickedNotReported'].map((count) => `mailDrills.count.${count}`),
      'notice.drillImported',
      'notice.drillImportedWithFollowUps',
    ];
    for (const locale of LOCALES) {
      const catalogue = loadCatalogue(locale);
      expect(keys.filter((key) => !(key in catalogue))).toEqual([]);
    }
  });
});
