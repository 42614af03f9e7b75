import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { webFolders } from '../../common/web-folders.js';
import { I18nService } from './i18n.service.js';
import { loadCatalogue } from '../../common/messages.js';
import { LOCALES } from '../../common/locale.js';

function viewFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? viewFiles(join(dir, entry.name)) : entry.name.endsWith('.hbs') ? [join(dir, entry.name)] : [],
  );
}

describe('message catalogues', () => {
  const ja = loadCatalogue('ja');
  const en = loadCatalogue('en');

  it('have the same keys in every language, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ja).sort());
    for (const locale of LOCALES) {
      const empty = Object.entries(loadCatalogue(locale)).filter(([, text]) => !text.trim());
      expect(empty).toEqual([]);
    }
  });

  it('use the same placeholders in every language', () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    const different = Object.keys(ja).filter((key) => JSON.stringify(placeholders(ja[key])) !== JSON.stringify(placeholders(en[key])));
    expect(different).toEqual([]);
  });

  it('hold every literal key the views ask for', () => {
    const used = webFolders('views')
      .flatMap(viewFiles)
      .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\{\{t "([^"]+)"/g)].map((match) => match[1]));
    expect(used.length).toBeGreaterThan(50);
    expect([...new Set(used)].filter((key) => !(key in ja))).toEqual([]);
  });

  it('translate with placeholders and fall back as asked', () => {
    const i18n = new I18nService();
    expect(i18n.translate('ja', 'myPage.greeting', { name: '山田 花子' })).toBe('山田 花子 さん、こんにちは。');
    expect(i18n.translate('en', 'error.NO_SUCH_CODE', {}, 'error.default')).toBe('Something went wrong');
    expect(i18n.translate('en', 'error.FORBIDDEN', {}, 'error.default')).toBe('You may not open this page');
    expect(i18n.translate('ja', 'unknown.key')).toBe('unknown.key');
  });
});

describe('message keys built from values', () => {
  it('exist for every value a view composes them from', async () => {
    const { CONTROL_STATUSES, CONTROL_FREQUENCIES, FRAMEWORKS } = await import('../../controls/control.entity.js');
    const { POLICY_KINDS } = await import('../../policies/policy.entity.js');
    const { POLICY_VERSION_STATUSES } = await import('../../policies/policy-version.entity.js');
    const { REVIEW_OUTCOMES } = await import('../../policies/policy-review.entity.js');
    const { CONTROL_FORM_PROBLEMS } = await import('../controls/control-form.filter.js');
    const { REVIEW_FORM_PROBLEMS } = await import('../policies/review-form.filter.js');
    const { REVISION_FORM_PROBLEMS, REVISION_FIELD_MESSAGES } = await import('../policies/revision-form.filter.js');
    const NOTICES = ['statusUpdated', 'evidenceUploaded', 'reviewRecorded', 'reviewRecordedRevise', 'versionApproved', 'draftSaved', 'acknowledged'];
    const FORM_PROBLEMS = new Set([...CONTROL_FORM_PROBLEMS, ...REVIEW_FORM_PROBLEMS, ...REVISION_FORM_PROBLEMS]);
    const keys = [
      ...CONTROL_STATUSES.map((s) => `controlStatus.${s}`),
      ...CONTROL_FREQUENCIES.map((f) => `frequency.${f}`),
      ...FRAMEWORKS.flatMap((f) => [`framework.${f}`, `controls.mappedTo.${f}`]),
      ...POLICY_KINDS.map((k) => `policyKind.${k}`),
      ...POLICY_VERSION_STATUSES.map((s) => `policyVersionStatus.${s}`),
      ...REVIEW_OUTCOMES.map((o) => `reviewOutcome.${o}`),
      ...NOTICES.map((n) => `notice.${n}`),
      ...[...FORM_PROBLEMS].map((code) => `formError.${code}`),
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `chapter.${n}`),
      ...['status.status', 'status.reason', 'status.nextCheckDue', 'evidence.file', 'evidence.note', 'review.outcome', 'review.notes'].map(
        (f) => `formField.${f}`,
      ),
      ...['approve.requireAcknowledgement', 'approve.acknowledgementDueOn'].map((f) => `formField.${f}`),
      ...REVISION_FIELD_MESSAGES,
      'diff.added',
      'diff.removed',
      // the work queue's items (label, hint) and the error summary's headings
      ...['work.controlsDue', 'work.reviewsDue', 'work.acknowledgementsOpen'].flatMap((label) => [label, `${label}.hint`]),
      'errorSummary.heading',
      'password.error.linkHeading',
      'login.error.heading',
      ...['email', 'password'].map((field) => `login.field.${field}`),
      // the statement of applicability in Japanese
      ...['soa', 'controls'].map((sheet) => `soa.sheet.${sheet}`),
      ...['id', 'title', 'theme', 'applicable', 'controls', 'statuses', 'justification'].map((column) => `soa.soa.col.${column}`),
      ...['code', 'chapter', 'title', 'titleEn', 'status', 'reason', 'nextCheckDue', 'iso', 'csf'].map((column) => `soa.controls.col.${column}`),
      ...['organizational', 'people', 'physical', 'technological'].map((theme) => `soa.theme.${theme}`),
      'soa.yes',
      'soa.no',
    ];
    for (const locale of LOCALES) {
      const catalogue = loadCatalogue(locale);
      expect(keys.filter((key) => !(key in catalogue))).toEqual([]);
    }
  });
});
