import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import { STAFF } from './staff.permissions.js';
import type { Actor } from '../common/actor.js';
import { AppException } from '../common/errors/app.exception.js';
import type { Page } from '../common/pagination.js';
import { CreateStaffDto, StaffImportQuery, StaffQuery, UpdateStaffDto } from './dto/staff.dto.js';
import { StaffImportService, type StaffImportResult } from './staff-import.service.js';
import { Staff } from './staff.entity.js';
import { StaffService } from './staff.service.js';

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const CSV_TYPES = new Set(['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel']);

@ApiTags('staff')
@Controller('api/v1')
export class StaffController {
  constructor(
    private readonly staff: StaffService,
    private readonly importer: StaffImportService,
  ) {}

  @Get('me')
  @May(STAFF.read_self)
  @ApiOperation({ summary: 'The signed-in person' })
  me(@CurrentActor() actor: Actor): Promise<Staff> {
    return this.staff.me(actor);
  }

  @Get('staff')
  @May(STAFF.list)
  @ApiOperation({ summary: 'List staff (a manager sees their department); filter by q, department, status, role' })
  list(@CurrentActor() actor: Actor, @Query() query: StaffQuery): Promise<Page<Staff>> {
    return this.staff.list(actor, query);
  }

  @Get('staff/:id')
  @May(STAFF.read)
  @ApiOperation({ summary: 'One staff member (within what the caller may see)' })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<Staff> {
    return this.staff.get(actor, id);
  }

  @Post('staff')
  @May(STAFF.create)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateStaffDto): Promise<Staff> {
    return this.staff.create(actor, dto);
  }

  @Patch('staff/:id')
  @May(STAFF.update)
  @ApiOperation({ summary: 'Change a staff member; status "retired" ends their sessions' })
  update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateStaffDto): Promise<Staff> {
    return this.staff.update(actor, id, dto);
  }

  @Post('staff/import')
  @HttpCode(200)
  @May(STAFF.import)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_IMPORT_BYTES, files: 1 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiOperation({ summary: 'Import the HR system CSV (UTF-8, BOM optional); any bad row: 422 listing every bad line, nothing imported' })
  import(@CurrentActor() actor: Actor, @Query() query: StaffImportQuery, @UploadedFile() file: Express.Multer.File | undefined): Promise<StaffImportResult> {
    if (!file) throw new AppException('VALIDATION_FAILED', 'file is required', [{ field: 'file', messages: ['attach the CSV file as "file"'] }]);
    if (!CSV_TYPES.has(file.mimetype) && !/\.csv$/i.test(file.originalname)) {
      throw new AppException('UNSUPPORTED_MEDIA_TYPE', `A CSV file is required, got ${file.mimetype}`, [{ field: 'file', messages: ['must be a .csv file'] }]);
    }
    return this.importer.import(actor, file.buffer, query.dryRun === 'true');
  }
}
