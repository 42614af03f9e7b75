import { LOCALES } from '../../common/locale.js';
import { loadCatalogue } from '../../common/messages.js';
import { IMPORT_COLUMNS, IMPORT_ISSUE_CODES } from '../../staff/staff-import-csv.js';
import type { StaffImportUploadsService } from '../../staff/staff-import-uploads.service.js';
import { I18nService } from '../i18n/i18n.service.js';
import { STAFF_IMPORT_FORM_PROBLEMS } from './staff-import-form.filter.js';
import { StaffImportPagesService } from './staff-import-pages.service.js';

describe('the import pages word every problem', () => {
  it('have a message for every issue code, column and refusal, in every language', () => {
    const keys = [
      ...IMPORT_ISSUE_CODES.map((code) => `staffImport.issue.${code}`),
      ...IMPORT_COLUMNS.flatMap((column) => [`staffImport.column.${column.name}`, `staffImport.columnHint.${column.name}`]),
      ...[...STAFF_IMPORT_FORM_PROBLEMS].map((code) => `staffImport.refused.${code}`),
      'staffImport.column.file',
      'staffImport.column.header',
    ];
    for (const locale of LOCALES) {
      const catalogue = loadCatalogue(locale);
      expect(keys.filter((key) => !(key in catalogue))).toEqual([]);
    }
  });

  it('say where and what: 「12行目　メールアドレス：…」', () => {
    const pages = new StaffImportPagesService({} as StaffImportUploadsService, new I18nService());
    expect(pages.sentence('ja', { line: 12, field: 'email', code: 'invalid', message: 'email must be an e-mail address' })).toBe(
      '12行目　メールアドレス：メールアドレスの形になっていません。',
    );
    expect(pages.sentence('ja', { line: 3, field: 'familyName', code: 'invalid', message: '…' })).toBe('3行目　氏：書き方が正しくありません。');
    expect(pages.sentence('en', { line: 7, field: 'departmentCode', code: 'departmentUnknown', values: { value: 'NOPE' }, message: '…' })).toBe(
      'Line 7 — Department code: There is no department with the code "NOPE".',
    );
    expect(pages.sentence('ja', { line: 1, field: '部署', code: 'unknownColumn', values: { name: '部署' }, message: '…' })).toBe(
      '1行目　見出し：「部署」という列は取り込めません。下の「使える列」の見出しにしてください。',
    );
    expect(pages.sentence('ja', { field: 'file', code: 'notUtf8', message: '…' })).toMatch(/^ファイル：文字コードが UTF-8 ではありません。/);
  });
});
