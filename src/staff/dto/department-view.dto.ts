import { ApiProperty } from '@nestjs/swagger';
import { DepartmentRef } from './staff-view.dto.js';

/** 課・室 as the API shows it (the entity's columns; it carries nothing internal). */
export class DepartmentView extends DepartmentRef {
  @ApiProperty({ format: 'uuid' })
  organizationId!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the parent department' })
  parentId!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: Date;
}
