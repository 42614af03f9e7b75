import { Catch, Injectable, type ArgumentsHost } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import { problemDocument, toAppException } from '../../common/errors/problem.filter.js';
import type { ProblemCode } from '../../common/errors/problem-registry.js';
import { evidenceFormErrors } from '../controls/control-form.filter.js';
import { FORM_PROBLEMS, FormErrorFilter, type FormPage } from '../forms/form-error.js';
import { localeOf } from '../locale.js';
import { filterOfUrl } from './audit-checklist-page.dto.js';
import { AuditChecklistPagesService } from './audit-checklist-pages.service.js';

/** What the answer and sign-off forms explain on their own page (or, to the script, in JSON). */
export const CHECKLIST_FORM_PROBLEMS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  ...FORM_PROBLEMS,
  'CHECKLIST_NOTE_REQUIRED',
  'CHECKLIST_ITEM_HAS_FINDING',
  'AUDIT_NOT_IN_PROGRESS',
  'AUDIT_SIGN_OFF_ITEMS_OPEN',
  'EVIDENCE_EMPTY',
  'EVIDENCE_TOO_LARGE',
  'EVIDENCE_TYPE_NOT_ALLOWED',
]);

/** Whether the request asks for JSON (the checklist's script) rather than a page. */
export const wantsJson = (req: Request): boolean => req.accepts(['html', 'json']) === 'json';

/**
 * A refused answer or sign-off: without JavaScript, the page the form was on (the same filtered page
 * of the checklist, or the item's page) again with the error summary at the top and the message
 * beside the field; to the script (Accept: application/json), problem+json with the messages in the
 * reader's language and the field each is about.
 */
@Injectable()
@Catch()
export class ChecklistFormErrorFilter extends FormErrorFilter {
  protected override readonly formProblems = CHECKLIST_FORM_PROBLEMS;

  constructor(private readonly pages: AuditChecklistPagesService) {
    super();
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    const error = toAppException(exception);
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    // a bad address is not a refused form: the error page (or problem+json)
    const aboutAddress = (error.errors ?? []).some((e) => e.field === 'id' || e.field === 'itemId' || e.field === 'evidenceId');
    if (aboutAddress || !this.formProblems.has(error.code)) return super.catch(exception, host);
    if (wantsJson(req) && !res.headersSent) {
      const errors = req.path.endsWith('/sign-off')
        ? this.pages.signOffErrors(error, req.body, localeOf(req))
        : this.pages.answerErrors(error, String(req.params.itemId), req.body, localeOf(req));
      res
        .status(error.status)
        .type('application/problem+json')
        .send(JSON.stringify({ ...problemDocument(error, req.originalUrl), ...this.pages.errorsJson(errors, localeOf(req)) }));
      return;
    }
    super.catch(exception, host);
  }

  protected async page(req: Request, error: AppException): Promise<FormPage> {
    const actor = (req as Request & { user: Actor }).user;
    const auditId = String(req.params.id);
    const locale = localeOf(req);
    const pageUrl = typeof req.res?.locals.pageUrl === 'string' ? req.res.locals.pageUrl : `/audits/${auditId}/checklist`;
    if (req.path.endsWith('/sign-off')) {
      const formErrors = this.pages.signOffErrors(error, req.body, locale);
      const data = await this.pages.checklist(actor, auditId, filterOfUrl(pageUrl), { itemId: null, errors: formErrors });
      return { view: 'audit-checklist', data: { ...data, formErrors } };
    }
    const itemId = String(req.params.itemId);
    if (req.path.endsWith('/evidence')) {
      // a refused upload: the item's page, the message at the top and beside the file field
      const formErrors =
        error.code === 'AUDIT_NOT_IN_PROGRESS'
          ? this.pages.answerErrors(error, itemId, {}, locale)
          : evidenceFormErrors(error, req.body, this.pages.maxEvidenceBytes);
      return { view: 'audit-checklist-item', data: { ...(await this.pages.item(actor, auditId, itemId)), formErrors } };
    }
    const formErrors = this.pages.answerErrors(error, itemId, req.body, locale);
    const refused = { itemId, errors: formErrors };
    if (new URL(pageUrl, 'http://mamori.invalid').pathname === `/audits/${auditId}/checklist/${itemId}`) {
      return { view: 'audit-checklist-item', data: { ...(await this.pages.item(actor, auditId, itemId, refused)), formErrors } };
    }
    return { view: 'audit-checklist', data: { ...(await this.pages.checklist(actor, auditId, filterOfUrl(pageUrl), refused)), formErrors } };
  }
}
