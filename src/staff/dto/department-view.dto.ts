import { ApiProperty } from '@nestjs/swagger';
import { DepartmentRef } from './staff-view.dto.js';

/** 課・室 as the API shows it (the entity's columns; it carries nothing internal). */
export class DepartmentView extends DepartmentRef {
  @ApiProperty({ format: 'uuid' })
  organizationId!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the parent department' })
  parentId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the staff member who heads it' })
  headId!: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'the day it was closed; null while open' })
  closedOn!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: Date;
}

/** The head of a department, by name. */
export class DepartmentHeadView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '山田 花子' })
  name!: string;

  @ApiProperty({ example: '10001' })
  employeeNumber!: string;
}

/** One department of the tree, in tree order (parents before their children, siblings by code). */
export class DepartmentTreeNode extends DepartmentRef {
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  parentId!: string | null;

  @ApiProperty({ description: 'how deep it sits: 0 for a department without a parent' })
  depth!: number;

  @ApiProperty({ type: DepartmentHeadView, nullable: true })
  head!: DepartmentHeadView | null;

  @ApiProperty({ description: 'staff who belong to it and have not retired (active or on leave)' })
  memberCount!: number;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  closedOn!: string | null;
}
