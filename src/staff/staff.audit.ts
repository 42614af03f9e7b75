import { In, type EntityManager } from 'typeorm';
import { catalogue } from '../common/messages.js';
import type { AuditRecordFacts, AuditTrailVocabulary } from '../audit-trail/audit-vocabulary.js';
import { Department } from './department.entity.js';
import { RoleRequest } from './role-request.entity.js';
import { Staff } from './staff.entity.js';

async function staffNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const people = await manager
    .getRepository(Staff)
    .find({ where: { organizationId, id: In([...ids]) }, select: { id: true, familyName: true, givenName: true, email: true } });
  return new Map(people.map((person) => [person.id, { name: `${person.familyName} ${person.givenName}`, detail: person.email }]));
}

async function departmentNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const departments = await manager
    .getRepository(Department)
    .find({ where: { organizationId, id: In([...ids]) }, select: { id: true, name: true, nameEn: true } });
  return new Map(departments.map((department) => [department.id, { name: department.name, nameEn: department.nameEn }]));
}

/** A role request by the person it is about and the change: 「山田 花子（監査担当を付与）」. */
async function roleRequestNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const rows = (await manager
    .getRepository(RoleRequest)
    .createQueryBuilder('r')
    .innerJoin(Staff, 's', 's.id = r.staffId')
    .select(['r.id AS id', 'r.change AS change', 'r.role AS role', 's.familyName AS "familyName"', 's.givenName AS "givenName"'])
    .where('r.organizationId = :organizationId AND r.id IN (:...ids)', { organizationId, ids })
    .getRawMany()) as { id: string; change: 'grant' | 'revoke'; role: string; familyName: string; givenName: string }[];
  return new Map(
    rows.map((row) => {
      const person = `${row.familyName} ${row.givenName}`;
      const [ja, en] = [catalogue('ja'), catalogue('en')];
      const roleJa = ja[`role.${row.role}`] ?? row.role;
      const roleEn = en[`role.${row.role}`] ?? row.role;
      return [
        row.id,
        {
          name: `${person}（${roleJa}を${row.change === 'grant' ? '付与' : '削除'}）`,
          nameEn: `${person} (${row.change === 'grant' ? 'grant' : 'remove'} ${roleEn})`,
        },
      ];
    }),
  );
}

/** The audit trail of staff, departments, role requests and the organisation, in words; their records' pages. */
export const STAFF_AUDIT = {
  actions: {
    'organization.create': { ja: '組織を作成', en: 'Created the organisation' },
    'staff.create': { ja: '職員を登録', en: 'Added a staff member' },
    'staff.update': { ja: '職員の情報を変更', en: 'Changed a staff member' },
    'staff.import': { ja: '職員を一括登録', en: 'Imported staff' },
    'department.create': { ja: '部署を追加', en: 'Added a department' },
    'department.update': { ja: '部署を変更', en: 'Changed a department' },
    'department.close': { ja: '部署を廃止', en: 'Closed a department' },
    'department.reopen': { ja: '部署を再開', en: 'Reopened a department' },
    'role_request.create': { ja: '権限の付与・削除を申請', en: 'Requested a role change' },
    'role_request.approve': { ja: '権限の申請を承認', en: 'Approved a role request' },
    'role_request.confirm': { ja: '権限の申請を確認', en: 'Confirmed a role request' },
    'role_request.reject': { ja: '権限の申請を却下', en: 'Rejected a role request' },
    'role_request.withdraw': { ja: '権限の申請を取り下げ', en: 'Withdrew a role request' },
    'role_request.expire': { ja: '権限の申請が期限切れ', en: 'A role request expired' },
  },
  entityTypes: {
    organization: { ja: '組織', en: 'Organisation' },
    staff: { ja: '職員', en: 'Staff member', page: '/staff/:id', records: staffNames },
    department: { ja: '部署', en: 'Department', page: '/departments/:id', records: departmentNames },
    role_request: { ja: '権限の申請', en: 'Role request', page: '/role-requests/:id', records: roleRequestNames },
  },
} as const satisfies AuditTrailVocabulary;
