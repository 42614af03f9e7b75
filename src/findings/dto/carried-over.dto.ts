import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import type { CarriedOverPage } from '../carried-over-findings.service.js';
import { FindingDetailView, findingDetailView } from './finding.dto.js';

/** `?fiscalYear=&page=&pageSize=` of the carried-over list. */
export class CarriedOverQueryDto extends PageQuery {
  @ApiPropertyOptional({ example: 2023, description: 'the fiscal year carried into (default: the current one, Asia/Tokyo)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear?: number;
}

/** A page of findings carried over into a fiscal year, oldest first, each with its actions still open when the year began. */
export class CarriedOverPageView {
  @ApiProperty({ example: 2023, description: 'the fiscal year they are carried into' })
  fiscalYear!: number;

  @ApiProperty({
    type: [FindingDetailView],
    description: 'findings of earlier fiscal years not verified before this one began; `actions` are those not verified before it began',
  })
  items!: FindingDetailView[];

  @ApiProperty({ type: 'integer', minimum: 0, description: 'how many match, over all pages' })
  total!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  page!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 200 })
  pageSize!: number;
}

export function carriedOverPageView(page: CarriedOverPage): CarriedOverPageView {
  return {
    fiscalYear: page.fiscalYear,
    items: page.items.map(({ finding, actions }) => findingDetailView(finding, actions)),
    total: page.total,
    page: page.page,
    pageSize: page.pageSize,
  };
}
