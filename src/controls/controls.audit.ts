import { In, type EntityManager } from 'typeorm';
import type { AuditRecordFacts, AuditTrailVocabulary } from '../audit-trail/audit-vocabulary.js';
import { ControlEvidence } from './control-evidence.entity.js';
import { Control } from './control.entity.js';
import { FrameworkItem } from './framework-item.entity.js';

/** A control by its code and title: 「5-02 情報セキュリティ研修」. */
async function controlNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const controls = await manager
    .getRepository(Control)
    .find({ where: { organizationId, id: In([...ids]) }, select: { id: true, code: true, title: true, titleEn: true } });
  return new Map(
    controls.map((control) => [
      control.id,
      { name: `${control.code} ${control.title}`, nameEn: control.titleEn ? `${control.code} ${control.titleEn}` : null },
    ]),
  );
}

/** An evidence file by its name; it is shown on its control's page. */
async function evidenceNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const files = await manager
    .getRepository(ControlEvidence)
    .find({ where: { organizationId, id: In([...ids]) }, select: { id: true, controlId: true, fileName: true } });
  return new Map(files.map((file) => [file.id, { name: file.fileName, params: { controlId: file.controlId } }]));
}

async function frameworkItemNames(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<Map<string, AuditRecordFacts>> {
  const items = await manager.getRepository(FrameworkItem).find({ where: { organizationId, id: In([...ids]) }, select: { id: true, code: true, title: true } });
  return new Map(items.map((item) => [item.id, { name: `${item.code} ${item.title}` }]));
}

/** The audit trail of the control catalogue, statuses, checks, evidence and the statement of applicability, in words. */
export const CONTROLS_AUDIT = {
  actions: {
    'control.create': { ja: '管理策を登録', en: 'Added a control' },
    'control.update': { ja: '管理策の実施状況などを変更', en: "Changed a control's status or details" },
    'control.check': { ja: '管理策の点検を記録', en: 'Recorded a control check' },
    'control.retire': { ja: '管理策を廃止', en: 'Retired a control' },
    'controls.export': { ja: '適用宣言書を書き出し', en: 'Exported the statement of applicability' },
    'control_evidence.create': { ja: '管理策の証跡を追加', en: 'Added evidence to a control' },
    'control_evidence.download': { ja: '管理策の証跡をダウンロード', en: 'Downloaded control evidence' },
    'framework_item.create': { ja: '規格の項目を登録', en: 'Added a framework item' },
    'framework_item.update': { ja: '規格の項目を変更', en: 'Changed a framework item' },
  },
  entityTypes: {
    control: { ja: '管理策', en: 'Control', page: '/controls/:id', records: controlNames },
    control_evidence: { ja: '管理策の証跡', en: 'Control evidence', page: '/controls/:controlId', records: evidenceNames },
    framework_item: { ja: '規格の項目（ISO/IEC 27001・NIST CSF）', en: 'Framework item (ISO/IEC 27001, NIST CSF)', records: frameworkItemNames },
  },
} as const satisfies AuditTrailVocabulary;
