import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Locale } from '../common/locale.js';
import type { PrivilegedRole } from '../common/roles.js';
import type { Mail, NotificationIntent, NotificationRecipient } from '../notifications/notification-intent.js';
import { NotificationTemplate } from '../notifications/notification-intent.js';
import { approverRole, ROLE_REQUEST_DAYS, sittingCisoIds } from './role-request-rules.js';
import type { RoleChange } from './role-request.entity.js';
import { Staff } from './staff.entity.js';

/** What happened to a role request, as its e-mail tells it. */
export type RoleRequestEvent = 'requested' | 'approved' | 'applied' | 'rejected' | 'withdrawn' | 'expired';

declare module '../outbox/outbox-topics.js' {
  interface OutboxTopics {
    /** the welcome e-mail of someone created with a password (the bootstrap); others get an invitation */
    'staff.welcome': { staffId: string };
    /** a role request was made, approved (the person must confirm), applied or closed: the security office and whoever acts next */
    'staff.role_request': { roleRequestId: string; event: RoleRequestEvent };
  }
}

/** Who a staff id reaches, in their language. */
export async function staffRecipients(manager: EntityManager, staffIds: readonly string[], organizationId: string): Promise<NotificationRecipient<null>[]> {
  if (staffIds.length === 0) return [];
  const people = await manager
    .getRepository(Staff)
    .createQueryBuilder('s')
    .select(['s.id', 's.email', 's.familyName', 's.givenName', 's.locale', 's.status'])
    .where('s.id IN (:...ids) AND s.organizationId = :organizationId', { ids: staffIds, organizationId })
    .getMany();
  return people
    .filter((person) => person.status !== 'retired')
    .map((person) => ({ key: person.id, email: person.email, familyName: person.familyName, givenName: person.givenName, locale: person.locale, data: null }));
}

@Injectable()
@NotificationTemplate('staff.welcome')
export class StaffWelcomeMail implements NotificationIntent<'staff.welcome', null> {
  recipients(manager: EntityManager, payload: { staffId: string }, organizationId: string): Promise<NotificationRecipient<null>[]> {
    return staffRecipients(manager, [payload.staffId], organizationId);
  }

  render(locale: Locale): Mail {
    return locale === 'ja'
      ? {
          subject: '【Mamori】アカウントが作成されました',
          text: '情報セキュリティ管理システム Mamori のアカウントが作成されました。\n下のアドレスから研修や報告を行えます。',
        }
      : {
          subject: '[Mamori] Your account has been created',
          text: 'Your Mamori account has been created.\nSign in at the address below to complete training and report incidents.',
        };
  }
}

/** The security office, told of every step of every role request. */
const SECURITY_OFFICE = ['security_officer', 'ciso'];

const ROLE_NAMES: Record<Locale, Record<PrivilegedRole, string>> = {
  ja: { admin: 'システム管理者', ciso: '最高情報セキュリティ責任者（CISO）', security_officer: '情報セキュリティ担当', csirt: 'CSIRT', auditor: '監査担当' },
  en: {
    admin: 'system administrator',
    ciso: 'chief information security officer (CISO)',
    security_officer: 'security office',
    csirt: 'CSIRT',
    auditor: 'auditor',
  },
};

interface RoleRequestMailData {
  event: RoleRequestEvent;
  /** what this recipient is asked to do: approve, confirm (a sitting CISO), accept (the first CISO) */
  action: 'approve' | 'confirm' | 'accept' | null;
  change: RoleChange;
  role: PrivilegedRole;
  person: string;
  requester: string;
  reason: string;
  rejectionReason: string | null;
}

interface RoleRequestRow {
  change: RoleChange;
  role: PrivilegedRole;
  reason: string;
  staff_id: string;
  requested_by_id: string;
  approved_by_id: string | null;
  approved_at: Date | null;
  rejection_reason: string | null;
  person: string;
  requester: string;
}

interface PersonRow {
  id: string;
  email: string;
  family_name: string;
  given_name: string;
  locale: Locale;
  roles: string[];
}

/**
 * Each step of a role request (role-requests.service.ts): the security office (security officers
 * and CISOs) hears of every one; the people who must act next are asked to (the approvers when it
 * is made; once approved, the sitting CISOs who confirm, or when there is none the person
 * concerned); the person and the requester hear how it ended.
 */
@Injectable()
@NotificationTemplate('staff.role_request')
export class RoleRequestMail implements NotificationIntent<'staff.role_request', RoleRequestMailData> {
  async recipients(
    manager: EntityManager,
    payload: { roleRequestId: string; event: RoleRequestEvent },
    organizationId: string,
  ): Promise<NotificationRecipient<RoleRequestMailData>[]> {
    const [request] = (await manager.query(
      `SELECT r.change, r.role, r.reason, r.staff_id, r.requested_by_id, r.approved_by_id, r.approved_at, r.rejection_reason,
              t.family_name || ' ' || t.given_name AS person, q.family_name || ' ' || q.given_name AS requester
         FROM role_requests r JOIN staff t ON t.id = r.staff_id JOIN staff q ON q.id = r.requested_by_id
        WHERE r.id = $1 AND r.organization_id = $2`,
      [payload.roleRequestId, organizationId],
    )) as RoleRequestRow[];
    if (!request) return [];
    const { event } = payload;
    const approver = approverRole(request);
    const staffId = request.staff_id;
    // once approved, the confirmation is asked of the sitting CISOs, or when there is none of the person (role-request-rules.ts)
    const confirmers =
      event === 'approved'
        ? await sittingCisoIds(manager, organizationId, { staffId, requestedById: request.requested_by_id, approvedById: request.approved_by_id })
        : [];
    const concerned = new Set<string>();
    if (event === 'approved' || event === 'applied') concerned.add(staffId);
    if (['rejected', 'withdrawn', 'expired'].includes(event) && request.role === 'ciso' && request.approved_at) concerned.add(staffId);
    if (event !== 'requested' && event !== 'approved') concerned.add(request.requested_by_id);
    const roles = event === 'requested' ? [...SECURITY_OFFICE, approver] : SECURITY_OFFICE;
    const people = (await manager.query(
      `SELECT id, email, family_name, given_name, locale, roles FROM staff
        WHERE organization_id = $1 AND status <> 'retired' AND (roles && $2::text[] OR id = ANY($3::uuid[]))
        ORDER BY employee_number`,
      [organizationId, roles, [...concerned]],
    )) as PersonRow[];
    const actionOf = (person: PersonRow): RoleRequestMailData['action'] => {
      if (event === 'requested' && person.roles.includes(approver) && person.id !== request.requested_by_id && person.id !== staffId) return 'approve';
      if (event === 'approved' && confirmers.includes(person.id)) return 'confirm';
      if (event === 'approved' && confirmers.length === 0 && request.change === 'grant' && person.id === staffId) return 'accept';
      return null;
    };
    return people
      .filter((person) => person.roles.some((role) => SECURITY_OFFICE.includes(role)) || concerned.has(person.id) || actionOf(person))
      .map((person) => ({
        key: person.id,
        email: person.email,
        familyName: person.family_name,
        givenName: person.given_name,
        locale: person.locale,
        data: {
          event,
          action: actionOf(person),
          change: request.change,
          role: request.role,
          person: request.person,
          requester: request.requester,
          reason: request.reason,
          rejectionReason: request.rejection_reason,
        },
      }));
  }

  render(locale: Locale, data: RoleRequestMailData): Mail {
    const role = ROLE_NAMES[locale][data.role];
    if (locale === 'en') {
      const what = `${data.change === 'grant' ? 'granting' : 'removing'} the role "${role}" ${data.change === 'grant' ? 'to' : 'from'} ${data.person}`;
      const subjects: Record<RoleRequestEvent, string> = {
        requested: `[Mamori] Role request: ${what}`,
        approved: `[Mamori] Role request approved, confirmation due: ${what}`,
        applied: `[Mamori] Role changed: ${what}`,
        rejected: `[Mamori] Role request rejected: ${what}`,
        withdrawn: `[Mamori] Role request withdrawn: ${what}`,
        expired: `[Mamori] Role request expired: ${what}`,
      };
      const lines = [`${data.requester} requested ${what}.`, `Reason: ${data.reason}`];
      if (data.event === 'applied') lines.push('The request was approved and the change is in effect.');
      if (data.event === 'rejected') lines.push(`It was rejected: ${data.rejectionReason ?? ''}`);
      if (data.event === 'withdrawn') lines.push('The request was withdrawn.');
      if (data.event === 'expired') lines.push(`Nobody decided it within ${ROLE_REQUEST_DAYS} days; it has expired.`);
      if (data.action === 'approve') lines.push(`Please approve or reject it in Mamori within ${ROLE_REQUEST_DAYS} days.`);
      if (data.action === 'confirm')
        lines.push('An administrator approved it. As CISO, please confirm or reject it in Mamori; it takes effect when you confirm.');
      if (data.action === 'accept') lines.push('The request was approved. Please accept or decline the role in Mamori; it takes effect when you accept.');
      return { subject: subjects[data.event], text: lines.join('\n') };
    }
    const what = `${data.person} さんの「${role}」の${data.change === 'grant' ? '付与' : '削除'}`;
    const subjects: Record<RoleRequestEvent, string> = {
      requested: `【Mamori】権限変更の申請: ${what}`,
      approved: `【Mamori】権限変更の承認（確認待ち）: ${what}`,
      applied: `【Mamori】権限を変更しました: ${what}`,
      rejected: `【Mamori】権限変更の申請が却下されました: ${what}`,
      withdrawn: `【Mamori】権限変更の申請が取り下げられました: ${what}`,
      expired: `【Mamori】権限変更の申請が期限切れになりました: ${what}`,
    };
    const lines = [`${data.requester} さんから${what}が申請されました。`, `理由: ${data.reason}`];
    if (data.event === 'applied') lines.push('申請は承認され、変更が反映されました。');
    if (data.event === 'rejected') lines.push(`申請は却下されました。理由: ${data.rejectionReason ?? ''}`);
    if (data.event === 'withdrawn') lines.push('申請は取り下げられました。');
    if (data.event === 'expired') lines.push(`${ROLE_REQUEST_DAYS}日以内に決定されなかったため、申請は期限切れになりました。`);
    if (data.action === 'approve') lines.push(`${ROLE_REQUEST_DAYS}日以内に Mamori で承認または却下してください。`);
    if (data.action === 'confirm') lines.push('管理者が承認しました。CISO として Mamori で確認または却下してください。確認した時点で反映されます。');
    if (data.action === 'accept') lines.push('申請は承認されました。Mamori で引き受けるか辞退するかを選んでください。引き受けた時点で反映されます。');
    return { subject: subjects[data.event], text: lines.join('\n') };
  }
}
