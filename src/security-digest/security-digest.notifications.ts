import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Locale } from '../common/locale.js';
import { mailDateTime } from '../notifications/mail-layout.js';
import { NotificationTemplate, type Mail, type NotificationIntent, type NotificationRecipient } from '../notifications/notification-intent.js';

/** What the day's verification found (facts of that moment, not a rendered message). */
export interface DigestVerification {
  ok: boolean;
  checked: number;
  /** the first break's seq and reason, when the chain is broken */
  breakSeq: string | null;
  breakReason: string | null;
}

declare module '../outbox/outbox-topics.js' {
  interface OutboxTopics {
    /** the security office's daily line on the audit trail: the anchored head (a checkpoint) and the day's verification */
    'security.daily_digest': { checkpointId: string | null; day: string; verification: DigestVerification };
  }
}

interface DigestData {
  seq: string | null;
  hashPrefix: string | null;
  signaturePrefix: string | null;
  /** the checkpoint's time, ISO */
  at: string | null;
  day: string;
  verification: DigestVerification;
}

@Injectable()
@NotificationTemplate('security.daily_digest')
export class SecurityDigestMail implements NotificationIntent<'security.daily_digest', DigestData> {
  async recipients(
    manager: EntityManager,
    payload: { checkpointId: string | null; day: string; verification: DigestVerification },
    organizationId: string,
  ): Promise<NotificationRecipient<DigestData>[]> {
    const [checkpoint] = payload.checkpointId
      ? ((await manager.query(`SELECT seq::text AS seq, hash, signature, created_at FROM audit_trail_checkpoints WHERE id = $1 AND organization_id = $2`, [
          payload.checkpointId,
          organizationId,
        ])) as { seq: string; hash: string; signature: string; created_at: Date }[])
      : [];
    const people = (await manager.query(
      `SELECT id, email, family_name, given_name, locale FROM staff
        WHERE organization_id = $1 AND status = 'active' AND roles && ARRAY['security_officer', 'ciso']::text[]
        ORDER BY employee_number`,
      [organizationId],
    )) as { id: string; email: string; family_name: string; given_name: string; locale: Locale }[];
    const data: DigestData = {
      seq: checkpoint?.seq ?? null,
      hashPrefix: checkpoint ? checkpoint.hash.slice(0, 16) : null,
      signaturePrefix: checkpoint ? checkpoint.signature.slice(0, 16) : null,
      at: checkpoint ? new Date(checkpoint.created_at).toISOString() : null,
      day: payload.day,
      verification: payload.verification,
    };
    return people.map((person) => ({
      key: person.id,
      email: person.email,
      familyName: person.family_name,
      givenName: person.given_name,
      locale: person.locale,
      data,
    }));
  }

  render(locale: Locale, data: DigestData): Mail {
    const { verification: v } = data;
    if (locale === 'en') {
      const head = data.seq
        ? `Audit trail head: seq ${data.seq}, hash ${data.hashPrefix}…, checkpoint ${mailDateTime(new Date(data.at!), 'en')}, signature ${data.signaturePrefix}…`
        : 'Audit trail head: no entries yet.';
      const found = v.ok
        ? `Verification: intact (${v.checked} entries checked).`
        : `Verification: BROKEN at seq ${v.breakSeq} (${v.breakReason}). Run audit-trail:verify and investigate.`;
      return {
        subject: `[Mamori] Audit trail ${v.ok ? 'intact' : 'BROKEN'} (${data.day})`,
        text: `${head}\n${found}\nKeep this mail: the head line lets you prove later that no entry up to it was removed.`,
      };
    }
    const head = data.seq
      ? `操作ログの末尾: 番号 ${data.seq}、ハッシュ ${data.hashPrefix}…、チェックポイント ${mailDateTime(new Date(data.at!), 'ja')}、署名 ${data.signaturePrefix}…`
      : '操作ログの末尾: まだ記録はありません。';
    const found = v.ok
      ? `検証結果: 改ざんなし（${v.checked}件を確認）。`
      : `検証結果: 番号 ${v.breakSeq} で不整合（${v.breakReason}）。audit-trail:verify を実行し、調査してください。`;
    return {
      subject: `【Mamori】操作ログ日次確認 ${v.ok ? '異常なし' : '不整合あり'}（${data.day}）`,
      text: `${head}\n${found}\nこのメールは保管してください。末尾の記録までの操作ログが削除されていないことを後から確認できます。`,
    };
  }
}
