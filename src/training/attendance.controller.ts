import { Body, Controller, HttpCode, Param, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiProblem, ApiProblems } from '../common/openapi.js';
import { uuidParam } from '../staff/uuid-param.js';
import { AttendanceUploadInterceptor } from './attendance-upload.interceptor.js';
import { AttendanceService } from './attendance.service.js';
import { AttendanceCsvDto, AttendanceDto, AttendanceResultView } from './dto/attendance.dto.js';
import { TRAINING } from './training.permissions.js';

const REFUSALS = {
  404: 'No such course (COURSE_NOT_FOUND)',
  409: 'Not a classroom course (ATTENDANCE_NOT_CLASSROOM), or not published (COURSE_NOT_PUBLISHED)',
};

/** 出席の記録: classroom courses are completed by recording who was present, all or nothing. */
@ApiTags('training')
@Controller('api/v1/training/courses/:id')
export class AttendanceController {
  constructor(private readonly attendance: AttendanceService) {}

  @Post('attendance')
  @HttpCode(200)
  @May(TRAINING.record_attendance)
  @ApiOperation({
    summary: 'Record who attended a classroom session: their enrolments are completed (at attendedAt); every bad row is named by line and nothing is recorded',
  })
  @ApiOkResponse({ type: AttendanceResultView })
  @ApiProblems(REFUSALS)
  @ApiProblem(400, 'Bad rows (ATTENDANCE_INVALID, each by `line`), or a field is wrong (VALIDATION_FAILED)')
  record(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: AttendanceDto): Promise<AttendanceResultView> {
    return this.attendance.recordList(actor, id, dto.employeeNumbers, dto.attendedAt);
  }

  @Post('attendance.csv')
  @HttpCode(200)
  @May(TRAINING.record_attendance)
  @UseInterceptors(AttendanceUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        file: {
          type: 'string',
          format: 'binary',
          description: 'CSV with a header column 職員番号 (or employeeNumber); UTF-8 with or without BOM, or Shift_JIS',
        },
        attendedAt: { type: 'string' },
      },
      required: ['file'],
    },
  })
  @ApiOperation({
    summary: 'Record attendance from a CSV of employee numbers (column 職員番号); every bad row is named by its line in the file and nothing is recorded',
  })
  @ApiOkResponse({ type: AttendanceResultView })
  @ApiProblems({ ...REFUSALS, 413: 'The file is larger than 2 MB (PAYLOAD_TOO_LARGE)' })
  @ApiProblem(400, 'Bad rows or a bad file (ATTENDANCE_INVALID, by `line`), no file or a wrong attendedAt (VALIDATION_FAILED)')
  recordCsv(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: AttendanceCsvDto,
    @UploadedFile() file: Express.Multer.File | undefined,
  ): Promise<AttendanceResultView> {
    return this.attendance.recordCsv(actor, id, file, dto.attendedAt);
  }
}
