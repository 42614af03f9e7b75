import { LOCALES } from '../../common/locale.js';
import { loadCatalogue } from '../../common/messages.js';
import { PRIVILEGED_ROLE_NAMES } from '../../common/roles.js';
import { ROLE_CHANGES, ROLE_REQUEST_STATUSES } from '../../staff/role-request.entity.js';
import { ROLE_REQUEST_DECISION_PROBLEMS, ROLE_REQUEST_NEW_PROBLEMS } from './role-request-form.filter.js';
import { CANNOT_REASONS, HISTORY_KINDS, NEXT_STEPS, nextStepOf } from './role-request-pages.service.js';

describe('role request pages', () => {
  it('say in words what a request waits for', () => {
    expect(nextStepOf({ status: 'pending', approverRole: 'ciso', confirmer: null })).toBe('cisoApproval');
    expect(nextStepOf({ status: 'pending', approverRole: 'admin', confirmer: 'ciso' })).toBe('adminApproval');
    expect(nextStepOf({ status: 'awaiting_confirmation', approverRole: 'admin', confirmer: 'ciso' })).toBe('cisoConfirmation');
    expect(nextStepOf({ status: 'awaiting_confirmation', approverRole: 'admin', confirmer: 'person' })).toBe('personAcceptance');
    expect(nextStepOf({ status: 'approved', approverRole: 'ciso', confirmer: null })).toBe('applied');
    for (const status of ['rejected', 'withdrawn', 'expired'] as const) expect(nextStepOf({ status, approverRole: 'ciso', confirmer: null })).toBe('closed');
  });

  it('have a message for every value their views compose keys from', () => {
    const keys = [
      ...ROLE_REQUEST_STATUSES.map((status) => `roleRequestStatus.${status}`),
      ...ROLE_CHANGES.flatMap((change) => [
        `roleRequestChange.${change}`,
        `roleRequestChange.choice.${change}`,
        `roleRequests.what.${change}`,
        `roleRequest.heading.${change}`,
      ]),
      ...PRIVILEGED_ROLE_NAMES.map((role) => `role.${role}`),
      ...NEXT_STEPS.map((step) => `roleRequestNext.${step}`),
      ...['ciso', 'person'].map((confirmer) => `roleRequestNext.then.${confirmer}`),
      ...CANNOT_REASONS.map((reason) => `roleRequest.cannot.${reason}`),
      ...HISTORY_KINDS.map((kind) => `roleRequest.history.${kind}`),
      ...['approve', 'confirm', 'accept'].map((step) => `roleRequests.dutyStep.${step}`),
      ...['Made', 'Applied', 'ApprovedToConfirm', 'Confirmed', 'Accepted', 'Rejected', 'Declined', 'Withdrawn'].map((notice) => `notice.roleRequest${notice}`),
      ...[...ROLE_REQUEST_NEW_PROBLEMS, ...ROLE_REQUEST_DECISION_PROBLEMS].filter((code) => code !== 'STAFF_OWN_ROLES').map((code) => `formError.${code}`),
      ...['staffId', 'change', 'role', 'reason'].map((field) => `formField.roleRequestNew.${field}`),
      'formField.roleRequestReject.reason',
      'roleRequestNew.ownRoles',
      'roleRequest.refused',
      'duty.kind.role_request',
      'work.roleRequestsWaiting',
      'work.roleRequestsWaiting.hint',
      'error.ROLE_REQUEST_NOT_FOUND',
    ];
    for (const locale of LOCALES) {
      const catalogue = loadCatalogue(locale);
      expect(keys.filter((key) => !(key in catalogue))).toEqual([]);
    }
  });
});
