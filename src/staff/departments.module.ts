import { Module } from '@nestjs/common';
import { StaffModule } from './staff.module.js';

/**
 * The departments feature's line in src/features.ts: its API, service and problems live in
 * StaffModule (staff and departments share entities and rules), its pages in
 * src/web/departments/. Declares nothing of its own, so nothing is registered twice.
 */
@Module({ imports: [StaffModule], exports: [StaffModule] })
export class DepartmentsModule {}
