import { Controller, Get, Query, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentActor, May } from '../../common/access.decorators.js';
import { STAFF } from '../../staff/staff.permissions.js';
import { ROLES } from '../../common/roles.js';
import type { Actor } from '../../common/actor.js';
import type { StaffView } from '../../staff/dto/staff-view.dto.js';
import { EMPLOYMENT_STATUSES } from '../../staff/staff.entity.js';
import { StaffService } from '../../staff/staff.service.js';
import { pagerFor } from '../pagination.js';
import { fullName } from '../viewer.service.js';
import { StaffPageQuery } from './staff-page-query.dto.js';

const PAGE_SIZE = 50;

const row = (staff: StaffView) => ({
  employeeNumber: staff.employeeNumber,
  name: fullName(staff),
  kana: [staff.familyNameKana, staff.givenNameKana].filter(Boolean).join(' '),
  email: staff.email,
  department: staff.department?.name ?? null,
  roles: staff.roles,
  status: staff.status,
});

/** 職員一覧: the staff the signed-in person may see (everyone, or a manager's department). */
@ApiExcludeController()
@Controller('staff')
export class StaffPagesController {
  constructor(private readonly staff: StaffService) {}

  @Get()
  @May(STAFF.list)
  @Render('staff-list')
  async list(@CurrentActor() actor: Actor, @Query() query: StaffPageQuery): Promise<object> {
    const filter = { q: query.q, status: query.status, role: query.role };
    const result = await this.staff.list(actor, { ...filter, page: query.page, pageSize: PAGE_SIZE });
    return {
      title: 'staffList.title',
      filter,
      statuses: EMPLOYMENT_STATUSES.map((value) => ({ value, selected: value === query.status })),
      roles: ROLES.map((value) => ({ value, selected: value === query.role })),
      rows: result.items.map(row),
      pager: pagerFor(result, '/staff', filter),
    };
  }
}
