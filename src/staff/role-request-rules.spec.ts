import type { Actor } from '../common/actor.js';
import type { Role } from '../common/roles.js';
import { decide, effectiveStatus, transition, type RoleRequestFacts } from './role-request-rules.js';
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

describe('role request rules', () => {
  it('has steps only from the open statuses; approving a ciso grant waits for the confirmation', () => {
    for (const status of ROLE_REQUEST_STATUSES.filter((s) => s !== 'pending' && s !== 'awaiting_confirmation')) {
      for (const action of ['approve', 'confirm', 'reject', 'withdraw', 'expire'] as const) expect(transition(request({ status }), action)).toBeNull();
    }
    expect(transition(request(), 'approve')).toBe('approved');
    expect(transition(request(), 'confirm')).toBeNull();
    expect(transition(request({ role: 'ciso' }), 'approve')).toBe('awaiting_confirmation');
    expect(transition(request({ role: 'ciso', status: 'awaiting_confirmation' }), 'confirm')).toBe('approved');
    expect(transition(request({ role: 'ciso', change: 'revoke' }), 'approve')).toBe('approved');
    expect(transition(request({ role: 'ciso', status: 'awaiting_confirmation' }), 'expire')).toBe('expired');
  });

  it('lets only the second person approve: a CISO, for ciso another administrator, with a second factor', () => {
    expect(decide(actor('chief', ['ciso']), request(), 'approve')).toBe('approved');
    expect(codeOf(() => decide(actor('requester', ['admin', 'ciso']), request(), 'approve'))).toBe('ROLE_REQUEST_OWN');
    expect(codeOf(() => decide(actor('target', ['ciso']), request(), 'approve'))).toBe('ROLE_REQUEST_OWN');
    expect(codeOf(() => decide(actor('other', ['admin']), request(), 'approve'))).toBe('ROLE_REQUEST_APPROVER_ROLE');
    expect(codeOf(() => decide(actor('chief', ['ciso'], false), request(), 'approve'))).toBe('ROLE_REQUEST_SECOND_FACTOR');
    expect(codeOf(() => decide(actor('chief', ['ciso']), request({ role: 'ciso' }), 'approve'))).toBe('ROLE_REQUEST_APPROVER_ROLE');
    expect(decide(actor('other', ['admin']), request({ role: 'ciso' }), 'approve')).toBe('awaiting_confirmation');
  });

  it('lets the person concerned confirm or decline, and the requester withdraw', () => {
    const waiting = request({ role: 'ciso', status: 'awaiting_confirmation' });
    expect(decide(actor('target', ['staff'], false), waiting, 'confirm')).toBe('approved');
    expect(decide(actor('target', ['staff'], false), waiting, 'reject')).toBe('rejected');
    expect(codeOf(() => decide(actor('other', ['admin']), waiting, 'confirm'))).toBe('ROLE_REQUEST_NOT_CONCERNED');
    expect(decide(actor('requester', ['admin']), waiting, 'withdraw')).toBe('withdrawn');
    expect(codeOf(() => decide(actor('other', ['admin']), request(), 'withdraw'))).toBe('ROLE_REQUEST_NOT_REQUESTER');
    expect(codeOf(() => decide(actor('chief', ['ciso']), request({ status: 'approved' }), 'approve'))).toBe('ROLE_REQUEST_TRANSITION_NOT_ALLOWED');
  });

  it('reads an open request past its time as expired', () => {
    const past = new Date(Date.now() - 1);
    expect(effectiveStatus(request({ expiresAt: past }))).toBe('expired');
    expect(effectiveStatus(request({ status: 'awaiting_confirmation', expiresAt: past }))).toBe('expired');
    expect(effectiveStatus(request({ status: 'approved', expiresAt: past }))).toBe('approved');
  });
});
