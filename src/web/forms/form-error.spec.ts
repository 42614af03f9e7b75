import { AppException } from '../../common/errors/app.exception.js';
import { fieldAria } from '../view-helpers.js';
import { formErrors, formErrorsOf } from './form-error.js';

describe('the refused form pattern', () => {
  it('lists each message in the summary, linked to its field, and describes the field by its message', () => {
    const errors = formErrors('login', [{ key: 'login.error.INVALID_CREDENTIALS', fieldId: 'email', alsoIds: ['password'] }, { key: 'x.general' }], {
      email: 'a@b.example',
    });
    expect(errors.heading).toBe('errorSummary.heading');
    expect(errors.messages).toEqual([
      { key: 'login.error.INVALID_CREDENTIALS', values: {}, href: '#email' },
      { key: 'x.general', values: {}, href: null },
    ]);
    expect(errors.fields).toEqual({
      email: { messageId: 'email-error', key: 'login.error.INVALID_CREDENTIALS', values: {}, inline: true },
      password: { messageId: 'email-error', key: 'login.error.INVALID_CREDENTIALS', values: {}, inline: false },
    });
    expect(errors.submitted).toEqual({ email: 'a@b.example' });
    expect(fieldAria('email', undefined, errors)).toBe(' aria-describedby="email-error" aria-invalid="true"');
    expect(fieldAria('password', 'password-hint', errors)).toBe(' aria-describedby="password-hint email-error" aria-invalid="true"');
    expect(fieldAria('other', 'other-hint', errors)).toBe(' aria-describedby="other-hint"');
    expect(fieldAria('other', undefined, null)).toBe('');
    expect(fieldAria('email', undefined, errors, false)).toBe(' aria-describedby="email-error"');
  });

  it('explains invalid input field by field, and any other problem by its own message on the field it is about', () => {
    const invalid = new AppException('VALIDATION_FAILED', 'bad', [
      { field: 'reason', messages: ['required'] },
      { field: 'nextCheckDue', messages: ['date'] },
    ]);
    expect(formErrorsOf('status', invalid, { reason: '' }).messages).toEqual([
      { key: 'formField.status.reason', values: {}, href: '#reason' },
      { key: 'formField.status.nextCheckDue', values: {}, href: '#nextCheckDue' },
    ]);
    const tooLarge = formErrorsOf(
      'evidence',
      new AppException('EVIDENCE_TOO_LARGE'),
      {},
      { problemFields: { EVIDENCE_TOO_LARGE: 'file' }, values: { max: '64 KB' } },
    );
    expect(tooLarge.messages).toEqual([{ key: 'formError.EVIDENCE_TOO_LARGE', values: { max: '64 KB' }, href: '#file' }]);
    const keyed = formErrorsOf('review', invalid, {}, { fieldId: (field) => `review-standards-${field}` });
    expect(Object.keys(keyed.fields)).toEqual(['review-standards-reason', 'review-standards-nextCheckDue']);
    expect(formErrorsOf('approve', new AppException('POLICY_VERSION_NOT_LATEST'), {}).messages).toEqual([
      { key: 'formError.POLICY_VERSION_NOT_LATEST', values: {}, href: null },
    ]);
  });
});
