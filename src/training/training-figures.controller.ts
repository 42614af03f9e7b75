import { Controller, Get, Header, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiFileResponse, ApiProblems } from '../common/openapi.js';
import { CompletionExportQuery, CompletionQuery, CompletionView, NotCompletedExportQuery, NotCompletedPageView, NotCompletedQuery } from './dto/figures.dto.js';
import { CSV_CONTENT_TYPE, TrainingFiguresExport, XLSX_CONTENT_TYPE } from './training-figures-export.js';
import { TrainingFiguresService } from './training-figures.service.js';
import { TRAINING } from './training.permissions.js';

const AS_OF =
  'As at the end of `asOf` in Asia/Tokyo (default: today, or 31 March once the fiscal year is over): enrolled by then and not withdrawn without completing, exempt by then, completed by then. ' +
  'Courses of every kind but targeted-mail drills unless `kind` or `courseId` says otherwise. The security office and the CISO see every department; a manager their own.';
const EXPORTED =
  "Headers and words in Japanese unless `lang=en` (or the reader's language setting is English); the export is recorded in the audit trail (`training.export`).";

/** Completion figures (受講状況) and the not-completed list, with their exports. */
@ApiTags('training')
@Controller('api/v1/training')
@May(TRAINING.read_figures)
@ApiProblems({
  400: 'A parameter is missing or wrong: fiscalYear (required), groupBy, asOf, courseId, departmentId, kind, state, page, pageSize, lang (VALIDATION_FAILED, naming it)',
})
export class TrainingFiguresController {
  constructor(
    private readonly figures: TrainingFiguresService,
    private readonly exports: TrainingFiguresExport,
  ) {}

  @Get('completion')
  @ApiOperation({
    summary: 'Completion = completed ÷ (enrolled − exempt) of a fiscal year, by department, course, role, employment type or the whole year',
    description: AS_OF,
  })
  @ApiOkResponse({ type: CompletionView })
  completion(@CurrentActor() actor: Actor, @Query() query: CompletionQuery): Promise<CompletionView> {
    return this.figures.completion(actor, query);
  }

  @Get('completion.xlsx')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    summary: 'The completion figures as a workbook (a sheet of rows with the total, a sheet of the conditions)',
    description: `${AS_OF} ${EXPORTED}`,
  })
  @ApiFileResponse({ description: 'the workbook, as an attachment', contentTypes: [XLSX_CONTENT_TYPE] })
  async completionXlsx(@CurrentActor() actor: Actor, @Query() query: CompletionExportQuery): Promise<StreamableFile> {
    return TrainingFiguresExport.streamable(await this.exports.completion(actor, query, 'xlsx'));
  }

  @Get('completion.csv')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({ summary: 'The completion figures as CSV (UTF-8 with a byte-order mark), the total last', description: `${AS_OF} ${EXPORTED}` })
  @ApiFileResponse({ description: 'the CSV, as an attachment', contentTypes: [CSV_CONTENT_TYPE] })
  async completionCsv(@CurrentActor() actor: Actor, @Query() query: CompletionExportQuery): Promise<StreamableFile> {
    return TrainingFiguresExport.streamable(await this.exports.completion(actor, query, 'csv'));
  }

  @Get('not-completed')
  @ApiOperation({
    summary:
      'Who has not completed (an open enrolment as of the date): name, employee number, department, course, due day, days overdue; `state=exempt` lists the exempt',
    description: AS_OF,
  })
  @ApiOkResponse({ type: NotCompletedPageView })
  notCompleted(@CurrentActor() actor: Actor, @Query() query: NotCompletedQuery): Promise<NotCompletedPageView> {
    return this.figures.notCompleted(actor, query);
  }

  @Get('not-completed.xlsx')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({ summary: 'The not-completed list (or the exempt, `state=exempt`) as a workbook, every row', description: `${AS_OF} ${EXPORTED}` })
  @ApiFileResponse({ description: 'the workbook, as an attachment', contentTypes: [XLSX_CONTENT_TYPE] })
  async notCompletedXlsx(@CurrentActor() actor: Actor, @Query() query: NotCompletedExportQuery): Promise<StreamableFile> {
    return TrainingFiguresExport.streamable(await this.exports.notCompleted(actor, query, 'xlsx'));
  }

  @Get('not-completed.csv')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    summary: 'The not-completed list (or the exempt, `state=exempt`) as CSV (UTF-8 with a byte-order mark), every row',
    description: `${AS_OF} ${EXPORTED}`,
  })
  @ApiFileResponse({ description: 'the CSV, as an attachment', contentTypes: [CSV_CONTENT_TYPE] })
  async notCompletedCsv(@CurrentActor() actor: Actor, @Query() query: NotCompletedExportQuery): Promise<StreamableFile> {
    return TrainingFiguresExport.streamable(await this.exports.notCompleted(actor, query, 'csv'));
  }
}
