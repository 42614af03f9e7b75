import { AppException } from '../../common/errors/app.exception.js';
import { LOCALES } from '../../common/locale.js';
import { loadCatalogue } from '../../common/messages.js';
import { ESCALATION_CHANNELS, ESCALATION_TRIGGERS } from '../../incidents/escalation-policy.entity.js';
import { LEVEL_FIELDS, POLICY_FIELDS, POLICY_FORM_PROBLEMS, policyFieldMessage, policyFormMessages } from './escalation-policy-form.filter.js';
import { levelInputs } from './escalation-policy-pages.service.js';

describe('escalation policy pages', () => {
  it('have words for every value and message the views and the form compose', () => {
    const keys = [
      ...ESCALATION_TRIGGERS.map((trigger) => `escalationPolicy.trigger.${trigger}`),
      ...ESCALATION_CHANNELS.map((channel) => `escalationPolicy.channel.${channel}`),
      ...[...LEVEL_FIELDS, ...POLICY_FIELDS, 'rows'].map((field) => `formField.escalationPolicy.${field}`),
      ...[...POLICY_FORM_PROBLEMS].map((code) => `formError.${code}`),
      'duty.kind.incident_alert',
      'notice.escalationPolicyCreated',
      'notice.escalationPolicyUpdated',
    ];
    for (const locale of LOCALES) {
      const catalogue = loadCatalogue(locale);
      expect(keys.filter((key) => !(key in catalogue))).toEqual([]);
    }
  });

  it('read the rows of levels the form sends: checkboxes by row, text fields in order', () => {
    expect(
      levelInputs({
        roles: ['0:csirt', '1:ciso', '1:security_officer', 'junk'],
        channels: '0:email',
        reporterManager: '1',
        staffEmails: ['', 'a@town.example'],
        timeoutMinutes: ['15', '30', ''],
        repeat: ['2', '1', ''],
      }),
    ).toEqual([
      { roles: ['csirt'], reporterManager: false, staffEmails: '', channels: ['email'], timeoutMinutes: '15', repeat: '2' },
      { roles: ['ciso', 'security_officer'], reporterManager: true, staffEmails: 'a@town.example', channels: [], timeoutMinutes: '30', repeat: '1' },
      { roles: [], reporterManager: false, staffEmails: '', channels: [], timeoutMinutes: '', repeat: '' },
    ]);
  });

  it('put each refused field beside the level it is about', () => {
    expect(policyFieldMessage('levels.2.timeoutMinutes')).toEqual({
      key: 'formField.escalationPolicy.timeoutMinutes',
      values: { level: '3' },
      fieldId: 'level-3-timeoutMinutes',
    });
    expect(policyFieldMessage('levels.0.recipients.staffIds').fieldId).toBe('level-1-staffEmails');
    expect(policyFieldMessage('levels.0.recipients.roles.1').fieldId).toBe('level-1-recipients');
    expect(policyFieldMessage('levels.1.channels.0').fieldId).toBe('level-2-channels');
    expect(policyFieldMessage('repeat.4').fieldId).toBe('level-5-repeat');
    expect(policyFieldMessage('levels').fieldId).toBe('level-1-recipients');
    expect(policyFieldMessage('webhookUrl').fieldId).toBe('webhookUrl');
    expect(policyFieldMessage('roles.3')).toEqual({ key: 'formField.escalationPolicy.rows', values: { level: '' } });
    const taken = new AppException('ESCALATION_TRIGGER_TAKEN', undefined, [{ field: 'triggers', messages: [] }], { trigger: 'L2', policyKey: 'l2' });
    expect(policyFormMessages(taken)).toEqual([{ key: 'formError.ESCALATION_TRIGGER_TAKEN', values: { trigger: 'L2', policy: 'l2' }, fieldId: 'triggers' }]);
    const invalid = new AppException('VALIDATION_FAILED', undefined, [
      { field: 'levels.0.recipients', messages: [] },
      { field: 'levels.0.recipients.roles', messages: [] },
      { field: 'name', messages: [] },
    ]);
    expect(policyFormMessages(invalid).map((m) => m.fieldId)).toEqual(['level-1-recipients', 'name']);
  });
});
