import { Module } from '@nestjs/common';
import { StaffModule } from './staff.module.js';

/**
 * The role requests' line in src/features.ts: their API, service, problems and expiry schedule live
 * in StaffModule (a request changes a staff record in the same transaction), their pages in
 * src/web/role-requests/. Declares nothing of its own, so nothing is registered twice.
 */
@Module({ imports: [StaffModule], exports: [StaffModule] })
export class RoleRequestsModule {}
