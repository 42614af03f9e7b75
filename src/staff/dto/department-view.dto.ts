import { ApiProperty } from '@nestjs/swagger';

/** 課・室 as the API shows it (the entity's columns; it carries nothing internal). */
export class DepartmentView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  organizationId!: string;

  @ApiProperty({ example: 'SOMU' })
  code!: string;

  @ApiProperty({ example: '総務課' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'General Affairs Division' })
  nameEn!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the parent department' })
  parentId!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: Date;
}
