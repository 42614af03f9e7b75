import { ApiProperty } from '@nestjs/swagger';
import { FRAMEWORKS, type Framework } from '../control.entity.js';

/** Implementation of one chapter's active controls. */
export class ChapterCoverageView {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 9 })
  chapter!: number;

  @ApiProperty({ type: 'integer' })
  controls!: number;

  @ApiProperty({ type: 'integer' })
  implemented!: number;

  @ApiProperty({ type: 'integer' })
  partial!: number;

  @ApiProperty({ type: 'integer' })
  notImplemented!: number;

  @ApiProperty({ type: 'integer' })
  notApplicable!: number;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1, description: 'implemented ÷ applicable controls; null when none is applicable' })
  implementedRate!: number | null;
}

/** Coverage of one external framework by the active controls. */
export class FrameworkCoverageView {
  @ApiProperty({ enum: FRAMEWORKS })
  framework!: Framework;

  @ApiProperty({ type: 'integer', description: 'ISO Annex A controls, or CSF subcategories' })
  items!: number;

  @ApiProperty({ type: 'integer', description: 'items mapped by at least one active, applicable control' })
  covered!: number;

  @ApiProperty({ type: 'integer', description: 'items mapped by at least one active control that is implemented' })
  implemented!: number;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1, description: 'covered ÷ items; null for a framework without items' })
  coveredRate!: number | null;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1 })
  implementedRate!: number | null;
}

/** `GET /api/v1/controls/coverage` */
export class ControlCoverageView {
  @ApiProperty({ type: [ChapterCoverageView] })
  byChapter!: ChapterCoverageView[];

  @ApiProperty({ type: [FrameworkCoverageView] })
  byFramework!: FrameworkCoverageView[];
}
