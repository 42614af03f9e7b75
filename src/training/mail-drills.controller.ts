import { Controller, Get, HttpCode, Param, Post, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { PageOf, type Page } from '../common/pagination.js';
import { importedFile, MAX_IMPORT_SIZE_TEXT, StaffImportUploadInterceptor } from '../staff/staff-import-upload.interceptor.js';
import { uuidParam } from '../staff/uuid-param.js';
import { DrillFiguresQuery, DrillFiguresView, DrillImportQuery, DrillImportResultView, DrillResultsQuery, DrillResultView } from './dto/mail-drill.dto.js';
import { GOPHISH_STATUSES } from './mail-drill-csv.js';
import { MailDrillResultsService } from './mail-drill-results.service.js';
import { MailDrillsService } from './mail-drills.service.js';
import { TRAINING } from './training.permissions.js';

const flag = (value: 'true' | 'false' | undefined): boolean | undefined => (value === undefined ? undefined : value === 'true');

/** Targeted-mail drills (標的型メール訓練): their results imported from Gophish or a plain CSV, per person, and the figures by department. */
@ApiTags('training')
@Controller('api/v1/training')
export class MailDrillsController {
  constructor(
    private readonly drills: MailDrillsService,
    private readonly drillResults: MailDrillResultsService,
  ) {}

  @Post('courses/:id/drill-results')
  @HttpCode(200)
  @May(TRAINING.import_drill_results)
  @UseInterceptors(StaffImportUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        file: {
          type: 'string',
          format: 'binary',
          description: `Gophish's campaign results CSV, or a plain CSV; UTF-8 (BOM optional), at most ${MAX_IMPORT_SIZE_TEXT}`,
        },
      },
      required: ['file'],
    },
  })
  @ApiOperation({
    summary: "Import a targeted-mail drill's results (Gophish's campaign results CSV or a plain CSV): all or nothing; any bad row refuses the file by line",
    description:
      'Gophish: the results export (`email`, `status`, `reported` are read; ' +
      `status one of ${Object.keys(GOPHISH_STATUSES).join(', ')}). ` +
      'Plain: `email` (メールアドレス) or `employeeNumber` (職員番号), and `sent` (送信), `opened` (開封), `clicked` (クリック), `submitted` (入力), `reported` (報告) ' +
      'as 1/0, true/false or はい/いいえ (clicked and reported required; without sent, everyone listed was sent the mail). ' +
      'Results are cumulative (submitted data ⇒ clicked ⇒ opened ⇒ sent). People are matched by e-mail address (any case) or employee number. ' +
      "A re-import replaces the course's results. People who clicked without reporting are enrolled in the course's follow-up course when it is published (never twice). " +
      '`dryRun=true` checks the file and counts what the import would do without writing.',
  })
  @ApiOkResponse({ type: DrillImportResultView })
  @ApiProblems({
    400: 'No file (VALIDATION_FAILED, naming `file`), or bad rows: an unknown or retired person, a bad status or yes/no value, the same person twice, a missing column; `errors` lists each with its `line` (DRILL_RESULTS_INVALID)',
    404: 'No such course (COURSE_NOT_FOUND)',
    409: 'The course is not a targeted-mail drill (DRILL_NOT_MAIL_DRILL)',
    413: `The file is larger than ${MAX_IMPORT_SIZE_TEXT} (PAYLOAD_TOO_LARGE, naming \`file\`)`,
    415: 'Not a UTF-8 text CSV file (UNSUPPORTED_MEDIA_TYPE)',
  })
  import(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Query() query: DrillImportQuery,
    @UploadedFile() file: Express.Multer.File | undefined,
  ): Promise<DrillImportResultView> {
    const { buffer, originalname } = importedFile(file);
    return this.drills.importFile(actor, id, buffer, { format: query.format, dryRun: query.dryRun === 'true', fileName: originalname });
  }

  @Get('courses/:id/drill-results')
  @May(TRAINING.read_figures)
  @ApiOperation({ summary: "A targeted-mail drill's results, per person (a manager: their own department's)" })
  @ApiOkResponse({ type: PageOf(DrillResultView) })
  @ApiProblems({
    400: 'id is not a UUID, or a filter is wrong (VALIDATION_FAILED)',
    404: 'No such course (COURSE_NOT_FOUND)',
    409: 'The course is not a targeted-mail drill (DRILL_NOT_MAIL_DRILL)',
  })
  async results(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Query() query: DrillResultsQuery): Promise<Page<DrillResultView>> {
    const { course: _course, ...page } = await this.drillResults.results(actor, id, {
      page: query.page,
      pageSize: query.pageSize,
      clicked: flag(query.clicked),
      reported: flag(query.reported),
      departmentId: query.departmentId,
    });
    return page;
  }

  @Get('drill-figures')
  @May(TRAINING.read_figures)
  @ApiOperation({
    summary:
      'Targeted-mail drill figures of a fiscal year by department, with the total: recipients, opened, clicked, submitted, reported, report and click rates',
  })
  @ApiOkResponse({ type: DrillFiguresView })
  @ApiProblems({
    400: 'A parameter is wrong (VALIDATION_FAILED)',
    404: 'No such course (COURSE_NOT_FOUND)',
    409: 'courseId is not a targeted-mail drill (DRILL_NOT_MAIL_DRILL)',
  })
  figures(@CurrentActor() actor: Actor, @Query() query: DrillFiguresQuery): Promise<DrillFiguresView> {
    return this.drillResults.drillFigures(actor, { fiscalYear: query.fiscalYear, courseId: query.courseId });
  }
}
