import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import type { AppException } from '../../common/errors/app.exception.js';
import type { Locale } from '../../common/locale.js';
import { may } from '../../common/permissions.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { Control } from '../../controls/control.entity.js';
import type { Audit } from '../../audits/audit.entity.js';
import { AUDITS } from '../../audits/audits.permissions.js';
import { AuditsService, type DepartmentProgress } from '../../audits/audits.service.js';
import type { ChecklistRow } from '../../audits/checklist-rows.js';
import { ChecklistEvidenceService } from '../../audits/checklist-evidence.service.js';
import { CHECKLIST_RESULTS, type ChecklistResult } from '../../audits/checklist-item.entity.js';
import { CHECKLIST_FILTERS, ChecklistQuery } from '../../audits/dto/audit.dto.js';
import { formErrors, type FormErrors, type FormMessage } from '../forms/form-error.js';
import { I18nService } from '../i18n/i18n.service.js';
import { pagerFor } from '../pagination.js';
import { fullName } from '../viewer.service.js';
import { CHECKLIST_PAGE_SIZE, type ChecklistFilterState } from './audit-checklist-page.dto.js';

const CHAPTERS = [1, 2, 3, 4, 5, 6, 7, 8, 9];

/** The ids of an item's fields (unique on a page of 50 items). */
export const itemIds = (itemId: string) => ({
  anchor: `item-${itemId}`,
  fieldset: `result-${itemId}`,
  /** the first radio button: where a message about the result leads */
  result: `result-${itemId}-conformant`,
  note: `note-${itemId}`,
  status: `status-${itemId}`,
});

/** A refused answer or sign-off, shown again on its page: which item (none for the sign-off) and its messages. */
export interface RefusedForm {
  itemId: string | null;
  errors: FormErrors;
}

/**
 * What the checklist pages show, from the audits' service: a page of the checklist with one small
 * answer form per item, an item's own page, the manager's sign-off of a self-inspection (課長確認);
 * and the words of a refused answer, for the error summary and for the script's JSON.
 */
@Injectable()
export class AuditChecklistPagesService {
  constructor(
    private readonly audits: AuditsService,
    private readonly evidence: ChecklistEvidenceService,
    private readonly uow: UnitOfWork,
    private readonly i18n: I18nService,
  ) {}

  /** A page of the checklist, filtered; after a refused form, with what was sent in it. */
  async checklist(actor: Actor, auditId: string, filter: ChecklistFilterState, refused: RefusedForm | null = null): Promise<object> {
    const audit = await this.audits.get(actor, auditId);
    const own = this.audits.onlyDepartment(actor, audit);
    const query = Object.assign(new ChecklistQuery(), {
      page: filter.page,
      pageSize: CHECKLIST_PAGE_SIZE,
      departmentId: own ? undefined : filter.departmentId,
      result: filter.result ? [filter.result] : undefined,
      chapter: filter.chapter,
    });
    const [page, departments, signOff] = await Promise.all([
      this.audits.checklist(actor, audit.id, query),
      this.departmentsOf(actor, audit),
      this.signOffOf(actor, audit, refused),
    ]);
    const path = `/audits/${audit.id}/checklist`;
    const ownDepartment = own ? (departments.find((d) => d.id === own) ?? null) : null;
    const selected = <T>(values: readonly T[], current: T | undefined) => values.map((value) => ({ value, selected: value === current }));
    const rows = page.items.map((row) => this.rowView(actor, audit, row, refused));
    return {
      title: 'auditChecklist.title',
      titleDetail: ownDepartment
        ? { ja: this.i18n.translate('ja', 'auditChecklist.selfInspectionOf', { department: ownDepartment.name }), en: null }
        : { ja: `${audit.reference} ${audit.title}`, en: null },
      audit: this.auditView(audit),
      selfInspection: audit.kind === 'self_inspection' && ownDepartment ? { department: ownDepartment } : null,
      filter: { departmentId: own ? undefined : filter.departmentId, result: filter.result, chapter: filter.chapter },
      filtered: Boolean((!own && filter.departmentId) || filter.result || filter.chapter),
      departments: own ? [] : departments.map((d) => ({ ...d, selected: d.id === filter.departmentId })),
      results: selected(CHECKLIST_FILTERS, filter.result),
      chapters: selected(CHAPTERS, filter.chapter),
      rows,
      anyAnswerable: rows.some((row) => row.canAnswer),
      pager: pagerFor(page, path, {
        departmentId: own ? undefined : filter.departmentId,
        result: filter.result,
        chapter: filter.chapter?.toString(),
      }),
      signOff,
      path,
    };
  }

  /** The largest evidence file kept (EVIDENCE_MAX_BYTES). */
  get maxEvidenceBytes(): number {
    return this.evidence.maxBytes;
  }

  /**
   * One item's page: the control's question, description and evidence hints, the answer form, the
   * evidence files (list, download links, the upload form for whoever may answer).
   */
  async item(actor: Actor, auditId: string, itemId: string, refused: RefusedForm | null = null): Promise<object> {
    const audit = await this.audits.get(actor, auditId);
    const row = await this.audits.item(actor, audit.id, itemId);
    const [control, files] = await Promise.all([
      this.uow.manager.getRepository(Control).findOne({ where: { id: row.item.controlId }, select: { id: true, description: true, descriptionEn: true } }),
      this.evidence.list(actor, audit.id, row.item.id),
    ]);
    const view = this.rowView(actor, audit, row, refused);
    const hints = (text: string | null) =>
      (text ?? '')
        .split(/\r?\n/)
        .map((line) => line.replace(/^\s*[-・*]\s*/, '').trim())
        .filter(Boolean);
    return {
      title: 'auditChecklist.item.title',
      titleDetail: { ja: `${row.item.controlCode} ${row.departmentName}`, en: null },
      audit: this.auditView(audit),
      row: view,
      control: {
        title: row.controlTitle,
        titleEn: row.controlTitleEn,
        description: control?.description ?? '',
        descriptionEn: control?.descriptionEn ?? null,
        chapter: row.item.chapter,
        essential: row.essential,
      },
      // the examples of evidence, one a line, in the reader's language (Japanese when there is no English)
      hints: { ja: hints(row.evidenceHints), en: hints(row.evidenceHintsEn).length ? hints(row.evidenceHintsEn) : hints(row.evidenceHints) },
      checklistHref: `/audits/${audit.id}/checklist`,
      evidence: files.map((file) => ({
        ...file,
        uploader: file.uploadedBy ? fullName(file.uploadedBy) : null,
        href: `/audits/${audit.id}/checklist/${row.item.id}/evidence/${file.id}`,
      })),
      // the files are attached by whoever may answer, while the audit is in progress
      canUpload: view.canAnswer,
      evidenceAction: `/audits/${audit.id}/checklist/${row.item.id}/evidence`,
      maxEvidenceSize: this.evidence.maxBytes,
    };
  }

  /** The answer as the script reads it (Accept: application/json): the saved result and its finding. */
  answerJson(row: ChecklistRow, locale: Locale): object {
    const result = row.item.result;
    return {
      id: row.item.id,
      result,
      resultLabel: result ? this.i18n.translate(locale, `auditChecklist.result.${result}`) : null,
      note: row.item.note,
      answeredAt: row.item.answeredAt,
      findingId: row.findingId,
      findingReference: row.findingReference,
      findingHref: row.findingId ? `/findings/${row.findingId}` : null,
      findingLabel: row.findingReference ? this.i18n.translate(locale, 'auditChecklist.findingLink', { reference: row.findingReference }) : null,
      message: this.i18n.translate(locale, 'auditChecklist.saved'),
    };
  }

  /**
   * The messages of a refused answer, in plain words saying what to fix: a missing note (the reason,
   * for not applicable), a result that would leave the finding the item raised, an audit that is
   * not in progress, a result not chosen or a note too long.
   */
  answerErrors(error: AppException, itemId: string, body: unknown, locale: Locale): FormErrors {
    const ids = itemIds(itemId);
    const sent = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const messages: FormMessage[] = [];
    switch (error.code) {
      case 'CHECKLIST_NOTE_REQUIRED': {
        const result = typeof sent.result === 'string' && (CHECKLIST_RESULTS as readonly string[]).includes(sent.result) ? sent.result : null;
        messages.push(
          result === 'not_applicable'
            ? { key: 'auditChecklist.error.reasonRequired', fieldId: ids.note }
            : {
                key: 'auditChecklist.error.noteRequired',
                values: { result: this.i18n.translate(locale, `auditChecklist.result.${result ?? 'observation'}`) },
                fieldId: ids.note,
              },
        );
        break;
      }
      case 'CHECKLIST_ITEM_HAS_FINDING':
        messages.push({
          key: 'auditChecklist.error.hasFinding',
          values: { reference: String(error.extra?.findingReference ?? '') },
          fieldId: ids.result,
          alsoIds: [ids.fieldset],
        });
        break;
      case 'AUDIT_NOT_IN_PROGRESS':
        messages.push(this.notInProgress(error, locale));
        break;
      default: {
        const fields = new Set((error.errors ?? []).map((e) => e.field.split('.')[0]));
        if (fields.has('result')) messages.push({ key: 'auditChecklist.error.resultMissing', fieldId: ids.result, alsoIds: [ids.fieldset] });
        if (fields.has('note')) messages.push({ key: 'auditChecklist.error.noteTooLong', fieldId: ids.note });
        if (!messages.length) messages.push({ key: 'auditChecklist.error.other' });
      }
    }
    // a closed audit is not about what was typed
    const heading = error.code === 'AUDIT_NOT_IN_PROGRESS' ? 'auditChecklist.error.saveHeading' : undefined;
    return formErrors('checklistAnswer', messages, { ...sent, itemId }, heading);
  }

  /** The messages of a refused sign-off. */
  signOffErrors(error: AppException, body: unknown, locale: Locale): FormErrors {
    const messages: FormMessage[] =
      error.code === 'AUDIT_SIGN_OFF_ITEMS_OPEN'
        ? [{ key: 'auditChecklist.error.signOffItemsOpen', values: { count: String(error.extra?.openItems ?? '') } }]
        : error.code === 'AUDIT_NOT_IN_PROGRESS'
          ? [this.notInProgress(error, locale)]
          : error.code === 'VALIDATION_FAILED'
            ? [{ key: 'auditChecklist.error.signOffNoteTooLong', fieldId: 'sign-off-note' }]
            : [{ key: 'auditChecklist.error.other' }];
    return formErrors('checklistSignOff', messages, body, error.code === 'VALIDATION_FAILED' ? undefined : 'auditChecklist.error.signOffHeading');
  }

  /** A refused answer's messages as the script shows them beside the item: the words and the field each is about. */
  errorsJson(errors: FormErrors, locale: Locale): object {
    return {
      messages: errors.messages.map((m) => ({
        text: this.i18n.translate(locale, m.key, m.values),
        fieldId: m.href ? m.href.slice(1) : null,
      })),
    };
  }

  /** 「この監査は完了のため…」: the audit's status in words (in reporting: the answers are closed, the CISO's acceptance awaited). */
  private notInProgress(error: AppException, locale: Locale): FormMessage {
    const status = String(error.extra?.status ?? error.extra?.auditStatus ?? '');
    if (status === 'reporting') return { key: 'auditChecklist.error.notInProgress.reporting' };
    return { key: 'auditChecklist.error.notInProgress', values: { status: this.i18n.translate(locale, `auditChecklist.auditStatus.${status}`) } };
  }

  private auditView(audit: Audit) {
    return {
      id: audit.id,
      reference: audit.reference,
      title: audit.title,
      kind: audit.kind,
      status: audit.status,
      fiscalYear: audit.fiscalYear,
      inProgress: audit.status === 'in_progress',
      href: `/audits/${audit.id}`,
      checklistHref: `/audits/${audit.id}/checklist`,
    };
  }

  private rowView(actor: Actor, audit: Audit, row: ChecklistRow, refused: RefusedForm | null) {
    const ids = itemIds(row.item.id);
    const mine = refused?.itemId === row.item.id ? refused.errors.submitted : null;
    const result = mine && typeof mine.result === 'string' ? mine.result : row.item.result;
    const note = mine && typeof mine.note === 'string' ? mine.note : (row.item.note ?? '');
    return {
      id: row.item.id,
      ids,
      href: `/audits/${audit.id}/checklist/${row.item.id}`,
      controlCode: row.item.controlCode,
      chapter: row.item.chapter,
      question: row.question,
      questionEn: row.questionEn,
      essential: row.essential,
      departmentName: row.departmentName,
      result: row.item.result,
      note: row.item.note,
      answeredByName: row.answeredByName,
      answeredAt: row.item.answeredAt,
      findingHref: row.findingId ? `/findings/${row.findingId}` : null,
      findingReference: row.findingReference,
      evidenceCount: row.evidenceCount,
      canAnswer: audit.status === 'in_progress' && may(actor, AUDITS.answer, { audit, departmentId: row.item.departmentId }),
      form: { note, savedResult: row.item.result ?? '', savedNote: row.item.note ?? '' },
      options: CHECKLIST_RESULTS.map((value: ChecklistResult) => ({
        value,
        id: value === 'conformant' ? ids.result : `${ids.fieldset}-${value}`,
        checked: value === result,
      })),
    };
  }

  /** The departments of the audit, in code order (the filter names them). */
  private async departmentsOf(actor: Actor, audit: Audit): Promise<{ id: string; name: string; nameEn: string | null }[]> {
    const rows = (await this.uow.manager.query(`SELECT id, name, name_en FROM departments WHERE organization_id = $1 AND id = ANY($2::uuid[]) ORDER BY code`, [
      actor.organizationId,
      audit.departmentIds,
    ])) as { id: string; name: string; name_en: string | null }[];
    return rows.map((d) => ({ id: d.id, name: d.name, nameEn: d.name_en }));
  }

  /**
   * The manager's sign-off of their department's self-inspection: done (who and when), the form
   * (every item answered), or how many items are left. Null for anyone else.
   */
  private async signOffOf(actor: Actor, audit: Audit, refused: RefusedForm | null): Promise<object | null> {
    const departmentId = actor.departmentId;
    if (audit.kind !== 'self_inspection' || !departmentId || !may(actor, AUDITS.sign_off, { audit, departmentId })) return null;
    if (!audit.departmentIds.includes(departmentId)) return null;
    const progress = await this.audits.progress(actor, audit.id);
    const mine: DepartmentProgress | undefined = progress.departments.find((d) => d.departmentId === departmentId);
    if (!mine) return null;
    const left = mine.total - mine.answered;
    const sent = refused && refused.itemId === null ? refused.errors.submitted : null;
    return {
      department: mine.departmentName,
      total: mine.total,
      answered: mine.answered,
      left,
      signedOffAt: mine.signedOffAt,
      signedOffByName: mine.signedOffByName,
      signedOffNote: mine.signedOffNote,
      signed: mine.signedOffAt !== null,
      canSign: mine.signedOffAt === null && left === 0 && audit.status === 'in_progress',
      notInProgress: audit.status !== 'in_progress',
      note: sent && typeof sent.note === 'string' ? sent.note : '',
      action: `/audits/${audit.id}/sign-off`,
    };
  }
}
