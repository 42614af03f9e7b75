import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { StaffModule } from '../../staff/staff.module.js';
import { RoleRequestFormErrorFilter } from './role-request-form.filter.js';
import { RoleRequestPagesController } from './role-request-pages.controller.js';
import { ROLE_REQUEST_PAGES } from './role-request-pages.permissions.js';
import { RoleRequestPagesService } from './role-request-pages.service.js';
import { RoleRequestWorkItems } from './role-request-work-items.js';

/** 権限変更の申請: the list, asking for a privileged role to be granted or removed, deciding on a request's page; the requests waiting for the viewer. */
@Feature({
  name: 'role-requests.pages',
  navigation: [{ href: '/role-requests', label: 'nav.roleRequests', permission: ROLE_REQUEST_PAGES.list, order: 57 }],
})
@Module({
  imports: [StaffModule],
  controllers: [RoleRequestPagesController],
  providers: [RoleRequestPagesService, RoleRequestFormErrorFilter, RoleRequestWorkItems],
})
export class RoleRequestPagesModule {}
