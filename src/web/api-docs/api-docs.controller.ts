import { Controller, Get, Query, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { May } from '../../common/access.decorators.js';
import { WEB } from '../web.permissions.js';
import { WebPageQuery } from '../web-query.dto.js';

/**
 * API仕様: the Swagger UI (served by @nestjs/swagger at /api/docs) inside Mamori's own page, with the
 * header, the menu and the way back. Only /api/docs may be framed, and only by Mamori (app.setup.ts).
 */
@ApiExcludeController()
@Controller('api-docs')
export class ApiDocsController {
  @Get()
  @May(WEB.api_docs)
  @Render('api-docs')
  show(@Query() _query: WebPageQuery): object {
    return { title: 'apiDocs.title', swaggerUi: '/api/docs', openApiJson: '/api/docs-json' };
  }
}
