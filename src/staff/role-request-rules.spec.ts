import type { Actor } from '../common/actor.js';
import type { Role } from '../common/roles.js';
import { confirmerOf, decide, effectiveStatus, transition, type RoleRequestFacts } from './role-request-rules.js';
import { ROLE_REQUEST_STATUSES } from './role-request.entity.js';

const request = (overrides: Partial<RoleRequestFacts> = {}): RoleRequestFacts => ({
  staffId: 'target',
  requestedById: 'requester',
  change: 'grant',
  role: 'security_officer',
  status: 'pending',
  expiresAt: new Date(Date.now() + 60_000),
  ...overrides,
});
const actor = (staffId: string, roles: Role[], mfa = true): Pick<Actor, 'staffId' | 'roles' | 'mfa'> => ({ staffId, roles, mfa });
const codeOf = (work: () => unknown): string | undefined => {
  try {
    work();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

const none = { sittingCisos: [], targetRetired: false };
const sitting = { sittingCisos: ['chief'], targetRetired: false };

describe('role request rules', () => {
  it('has steps only from the open statuses; a ciso request waits for a confirmation when there is a confirmer', () => {
    for (const status of ROLE_REQUEST_STATUSES.filter((s) => s !== 'pending' && s !== 'awaiting_confirmation')) {
      for (const action of ['approve', 'confirm', 'reject', 'withdraw', 'expire'] as const) expect(transition(request({ status }), action, true)).toBeNull();
    }
    expect(transition(request(), 'approve', true)).toBe('approved');
    expect(transition(request(), 'confirm', true)).toBeNull();
    expect(transition(request({ role: 'ciso' }), 'approve', true)).toBe('awaiting_confirmation');
    expect(transition(request({ role: 'ciso' }), 'approve', false)).toBe('awaiting_confirmation');
    expect(transition(request({ role: 'ciso', status: 'awaiting_confirmation' }), 'confirm', true)).toBe('approved');
    // removing ciso: a sitting CISO other than the person confirms; without one the approval applies it
    expect(transition(request({ role: 'ciso', change: 'revoke' }), 'approve', true)).toBe('awaiting_confirmation');
    expect(transition(request({ role: 'ciso', change: 'revoke' }), 'approve', false)).toBe('approved');
    expect(transition(request({ role: 'ciso', change: 'revoke', status: 'awaiting_confirmation' }), 'withdraw', false)).toBe('withdrawn');
    expect(transition(request({ role: 'ciso', status: 'awaiting_confirmation' }), 'expire', true)).toBe('expired');
    expect(confirmerOf(request({ role: 'ciso' }), true)).toBe('ciso');
    expect(confirmerOf(request({ role: 'ciso' }), false)).toBe('person');
    expect(confirmerOf(request({ role: 'ciso', change: 'revoke' }), false)).toBeNull();
    expect(confirmerOf(request(), true)).toBeNull();
  });

  it('lets only the second person approve: a CISO, for ciso another administrator, with a second factor', () => {
    expect(decide(actor('chief', ['ciso']), request(), 'approve', none)).toBe('approved');
    expect(codeOf(() => decide(actor('requester', ['admin', 'ciso']), request(), 'approve', none))).toBe('ROLE_REQUEST_OWN');
    expect(codeOf(() => decide(actor('target', ['ciso']), request(), 'approve', none))).toBe('ROLE_REQUEST_OWN');
    expect(codeOf(() => decide(actor('other', ['admin']), request(), 'approve', none))).toBe('ROLE_REQUEST_APPROVER_ROLE');
    expect(codeOf(() => decide(actor('chief', ['ciso'], false), request(), 'approve', none))).toBe('ROLE_REQUEST_SECOND_FACTOR');
    expect(codeOf(() => decide(actor('chief', ['ciso']), request({ role: 'ciso' }), 'approve', sitting))).toBe('ROLE_REQUEST_APPROVER_ROLE');
    expect(decide(actor('other', ['admin']), request({ role: 'ciso' }), 'approve', sitting)).toBe('awaiting_confirmation');
  });

  it('has a sitting CISO confirm a ciso request, else the person a grant; the requester withdraws', () => {
    const waiting = request({ role: 'ciso', status: 'awaiting_confirmation', approvedById: 'other' });
    expect(decide(actor('chief', ['ciso']), waiting, 'confirm', sitting)).toBe('approved');
    expect(decide(actor('chief', ['ciso']), waiting, 'reject', sitting)).toBe('rejected');
    expect(codeOf(() => decide(actor('chief', ['ciso'], false), waiting, 'confirm', sitting))).toBe('ROLE_REQUEST_SECOND_FACTOR');
    expect(codeOf(() => decide(actor('target', ['staff'], false), waiting, 'confirm', sitting))).toBe('ROLE_REQUEST_OWN');
    expect(codeOf(() => decide(actor('requester', ['admin', 'ciso']), waiting, 'confirm', sitting))).toBe('ROLE_REQUEST_OWN');
    expect(codeOf(() => decide(actor('other', ['admin', 'ciso']), waiting, 'confirm', sitting))).toBe('ROLE_REQUEST_NOT_CONCERNED');
    // no sitting CISO: the first CISO accepts or declines
    expect(decide(actor('target', ['staff'], false), waiting, 'confirm', none)).toBe('approved');
    expect(decide(actor('target', ['staff'], false), waiting, 'reject', none)).toBe('rejected');
    expect(codeOf(() => decide(actor('other', ['admin']), waiting, 'confirm', none))).toBe('ROLE_REQUEST_NOT_CONCERNED');
    const removal = request({ role: 'ciso', change: 'revoke', status: 'awaiting_confirmation', approvedById: 'other' });
    expect(decide(actor('chief', ['ciso']), removal, 'confirm', sitting)).toBe('approved');
    expect(codeOf(() => decide(actor('target', ['ciso']), removal, 'confirm', sitting))).toBe('ROLE_REQUEST_OWN');
    expect(codeOf(() => decide(actor('target', ['ciso']), removal, 'confirm', none))).toBe('ROLE_REQUEST_OWN');
    expect(decide(actor('requester', ['admin']), waiting, 'withdraw', sitting)).toBe('withdrawn');
    expect(codeOf(() => decide(actor('other', ['admin']), request(), 'withdraw', none))).toBe('ROLE_REQUEST_NOT_REQUESTER');
    expect(codeOf(() => decide(actor('chief', ['ciso']), request({ status: 'approved' }), 'approve', none))).toBe('ROLE_REQUEST_TRANSITION_NOT_ALLOWED');
  });

  it('grants nothing to a retired person, at any step; a removal or a withdrawal still goes through', () => {
    const retired = { sittingCisos: ['chief'], targetRetired: true };
    expect(codeOf(() => decide(actor('chief', ['ciso']), request(), 'approve', retired))).toBe('ROLE_REQUEST_TARGET_RETIRED');
    expect(codeOf(() => decide(actor('other', ['admin']), request({ role: 'ciso' }), 'approve', retired))).toBe('ROLE_REQUEST_TARGET_RETIRED');
    const waiting = request({ role: 'ciso', status: 'awaiting_confirmation', approvedById: 'other' });
    expect(codeOf(() => decide(actor('chief', ['ciso']), waiting, 'confirm', retired))).toBe('ROLE_REQUEST_TARGET_RETIRED');
    expect(decide(actor('chief', ['ciso']), request({ change: 'revoke' }), 'approve', retired)).toBe('approved');
    expect(decide(actor('requester', ['admin']), waiting, 'withdraw', retired)).toBe('withdrawn');
  });

  it('reads an open request past its time as expired', () => {
    const past = new Date(Date.now() - 1);
    expect(effectiveStatus(request({ expiresAt: past }))).toBe('expired');
    expect(effectiveStatus(request({ status: 'awaiting_confirmation', expiresAt: past }))).toBe('expired');
    expect(effectiveStatus(request({ status: 'approved', expiresAt: past }))).toBe('approved');
  });
});
