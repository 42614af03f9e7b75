import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, May } from '../common/access.decorators.js';
import { STAFF } from './staff.permissions.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { PageOf, type Page } from '../common/pagination.js';
import { CreateStaffDto, StaffImportQuery, StaffQuery, UpdateStaffDto } from './dto/staff.dto.js';
import { StaffImportResultView, StaffView } from './dto/staff-view.dto.js';
import { IMPORT_COLUMNS } from './staff-import-csv.js';
import { StaffImportService } from './staff-import.service.js';
import { importedFile, MAX_IMPORT_SIZE_TEXT, StaffImportUploadInterceptor } from './staff-import-upload.interceptor.js';
import { StaffService } from './staff.service.js';

const IMPORT_HEADERS = IMPORT_COLUMNS.map((column) => `${column.headers.join(' / ')}${column.required ? ' (required)' : ''}`).join('; ');

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
  @ApiOkResponse({ type: StaffView })
  async me(@CurrentActor() actor: Actor): Promise<StaffView> {
    return this.staff.me(actor);
  }

  @Get('staff')
  @May(STAFF.list)
  @ApiOperation({ summary: 'List staff (a manager sees their department); filter by q, department, status, role, employment type' })
  @ApiOkResponse({ type: PageOf(StaffView) })
  async list(@CurrentActor() actor: Actor, @Query() query: StaffQuery): Promise<Page<StaffView>> {
    return this.staff.list(actor, query);
  }

  @Get('staff/:id')
  @May(STAFF.read)
  @ApiOperation({ summary: 'One staff member (within what the caller may see)' })
  @ApiOkResponse({ type: StaffView })
  @ApiProblems({ 404: 'No such staff member, or not one the caller may see (STAFF_NOT_FOUND)' })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<StaffView> {
    return this.staff.get(actor, id);
  }

  @Post('staff')
  @May(STAFF.create)
  @ApiOperation({
    summary: 'Create a staff member; someone without a password is e-mailed a link to set it',
    description: 'Privileged roles (admin, ciso, security_officer, csirt, auditor) are not given here: create the person, then file a role request.',
  })
  @ApiCreatedResponse({ type: StaffView })
  @ApiProblems({
    404: 'departmentId names no department (DEPARTMENT_NOT_FOUND)',
    409: 'E-mail address or employee number already used; departmentId names a closed department (DEPARTMENT_CLOSED); or `roles` holds a privileged role (ROLE_CHANGE_NEEDS_APPROVAL)',
  })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateStaffDto): Promise<StaffView> {
    const created = await this.staff.create(actor, dto);
    return this.staff.get(actor, created.id); // with the department it belongs to
  }

  @Patch('staff/:id')
  @May(STAFF.update)
  @ApiOperation({
    summary:
      'Change a staff member; status "retired" ends their sessions and withdraws their open role requests; coming back from it removes their privileged roles',
    description:
      'manager and staff change here; granting or removing a privileged role is a role request (POST /api/v1/staff/{id}/role-requests). ' +
      "403 STAFF_OWN_ROLES when changing one's own roles.",
  })
  @ApiOkResponse({ type: StaffView })
  @ApiProblems({
    404: 'No such staff member or department',
    409:
      'E-mail address or employee number already used; departmentId moves them into a closed department (DEPARTMENT_CLOSED); ' +
      '`roles` adds or removes a privileged role (ROLE_CHANGE_NEEDS_APPROVAL); ' +
      'or `email` changes for a person holding a privileged role or with an open role request (PRIVILEGED_EMAIL_CHANGE)',
  })
  async update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateStaffDto): Promise<StaffView> {
    const updated = await this.staff.update(actor, id, dto);
    return this.staff.get(actor, updated.id); // with the department it now belongs to
  }

  @Post('staff/import')
  @HttpCode(200)
  @May(STAFF.import)
  @UseInterceptors(StaffImportUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { file: { type: 'string', format: 'binary', description: `the HR system's CSV, UTF-8 (BOM optional), at most ${MAX_IMPORT_SIZE_TEXT}` } },
      required: ['file'],
    },
  })
  @ApiOperation({
    summary: 'Import the HR system CSV (UTF-8, BOM optional, at most 20 MB); any bad row: 422 listing every bad line, nothing imported',
    description:
      'Rows are matched to staff by employee number: new people are created (and invited to set a password), known ones updated. ' +
      'All or nothing, in one transaction; `dryRun=true` checks the file and counts what it would do without writing. ' +
      `Columns (Japanese or English headers): ${IMPORT_HEADERS}.`,
  })
  @ApiOkResponse({ type: StaffImportResultView })
  @ApiProblems({
    400: 'No file (VALIDATION_FAILED, naming `file`)',
    413: `The file is larger than ${MAX_IMPORT_SIZE_TEXT} (PAYLOAD_TOO_LARGE, naming \`file\`)`,
    415: 'Not a UTF-8 text CSV file (UNSUPPORTED_MEDIA_TYPE)',
    422: 'Bad rows or columns (a row granting or removing a privileged role, or changing the e-mail of a person with one or with an open role request, is one); `errors` lists each with its `line` (STAFF_IMPORT_INVALID)',
  })
  import(
    @CurrentActor() actor: Actor,
    @Query() query: StaffImportQuery,
    @UploadedFile() file: Express.Multer.File | undefined,
  ): Promise<StaffImportResultView> {
    return this.importer.import(actor, importedFile(file).buffer, query.dryRun === 'true');
  }
}
