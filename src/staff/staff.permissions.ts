import { definePermissions } from '../common/permissions.js';
import { ROLES } from '../common/roles.js';

/**
 * Who may do what with staff records. Which records a reader sees is narrowed by STAFF_SCOPE (the
 * office everyone, a manager their department, others themselves).
 */
export const STAFF = definePermissions('staff', {
  read_self: ROLES,
  read: ROLES,
  list: ['admin', 'ciso', 'security_officer', 'manager'],
  create: ['admin'],
  update: ['admin'],
  import: ['admin'],
});

export const DEPARTMENTS = definePermissions('departments', {
  read: ROLES,
  manage: ['admin'],
});
