import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { FindingDetailView, RaiseFindingDto } from '../../findings/dto/finding.dto.js';

/** A finding of the review: a new one, or one the review raised before (by `id`, else by the same title). */
export class ReviewFindingDto extends RaiseFindingDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'a finding this review raised before, to update (else one of the same title is updated, or a new one raised)',
  })
  @IsOptional()
  @IsUUID('all')
  id?: string;
}

/** The post-incident review (事後レビュー): cause, what worked, what did not, lessons, and the findings it raises. */
export class PostIncidentReviewDto {
  @ApiProperty({ maxLength: 10000, description: '原因' })
  @IsString()
  @Length(1, 10000)
  cause!: string;

  @ApiProperty({ maxLength: 10000, description: 'うまくいったこと' })
  @IsString()
  @Length(1, 10000)
  whatWorked!: string;

  @ApiProperty({ maxLength: 10000, description: 'うまくいかなかったこと' })
  @IsString()
  @Length(1, 10000)
  whatDidNot!: string;

  @ApiProperty({ maxLength: 10000, description: '教訓・再発防止' })
  @IsString()
  @Length(1, 10000)
  lessons!: string;

  @ApiPropertyOptional({ type: [ReviewFindingDto], description: 'findings (指摘事項) with their corrective actions, linked to controls' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ReviewFindingDto)
  findings?: ReviewFindingDto[];
}

export class PostIncidentReviewView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  incidentId!: string;

  @ApiProperty()
  cause!: string;

  @ApiProperty()
  whatWorked!: string;

  @ApiProperty()
  whatDidNot!: string;

  @ApiProperty()
  lessons!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  reviewedById!: string | null;

  @ApiProperty({ format: 'date-time' })
  reviewedAt!: string;

  @ApiProperty({ type: [FindingDetailView], description: 'every finding the review has raised, with its actions' })
  findings!: FindingDetailView[];
}
