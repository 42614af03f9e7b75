import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { systemActor } from '../common/actor.js';
import type { Locale } from '../common/locale.js';
import type { MamoriConfig } from '../config/configuration.js';
import { UnitOfWork, type Transaction } from '../database/unit-of-work.js';
import { mailDateTime } from '../notifications/mail-layout.js';
import { NotificationTemplate, type Mail, type NotificationIntent, type NotificationRecipient } from '../notifications/notification-intent.js';
import { OutboxHandler, type OutboxJob } from '../outbox/outbox-topics.js';
import './escalation.events.js';

/** Words of the severities and categories a mail or webhook names. */
export const SEVERITY_WORDS: Record<string, { ja: string; en: string }> = {
  untriaged: { ja: '未判定', en: 'not yet assessed' },
  L0: { ja: 'L0（事象・ヒヤリハット）', en: 'L0 (event / near miss)' },
  L1: { ja: 'L1（軽微）', en: 'L1 (minor)' },
  L2: { ja: 'L2（重大）', en: 'L2 (significant)' },
  L3: { ja: 'L3（深刻）', en: 'L3 (severe)' },
};

interface EscalationFacts {
  reference: string;
  title: string;
  severity: string;
  level: number;
  attempt: number;
  reportedAt: string;
  url: string;
}

interface FiringRow {
  firing_id: string;
  climb_id: string;
  level: number;
  attempt: number;
  recipient_ids: string[];
  stopped_at: Date | null;
  webhook_url: string | null;
  incident_id: string;
  reference: string;
  title: string;
  severity: string | null;
  reported_at: Date;
}

async function firingOf(manager: EntityManager, firingId: string, organizationId: string): Promise<FiringRow | undefined> {
  const rows = (await manager.query(
    `SELECT f.id AS firing_id, f.climb_id, f.level, f.attempt, f.recipient_ids, c.stopped_at, c.policy->>'webhookUrl' AS webhook_url,
            i.id AS incident_id, i.reference, i.title, i.severity, i.reported_at
       FROM escalation_firings f JOIN escalation_climbs c ON c.id = f.climb_id JOIN incidents i ON i.id = f.incident_id
      WHERE f.id = $1 AND f.organization_id = $2`,
    [firingId, organizationId],
  )) as FiringRow[];
  return rows[0];
}

/** Whether the climb of a firing still runs, locking it (`FOR SHARE`): an acknowledgement waits for this claim, or this claim sees it. */
async function climbStillRuns(tx: Transaction, firingId: string): Promise<boolean> {
  const rows = (await tx.manager.query(
    `SELECT c.stopped_at FROM escalation_climbs c JOIN escalation_firings f ON f.climb_id = c.id WHERE f.id = $1 AND c.organization_id = $2 FOR SHARE OF c`,
    [firingId, tx.actor.organizationId],
  )) as { stopped_at: Date | null }[];
  return rows.length === 1 && rows[0]!.stopped_at === null;
}

/** The e-mail of one fired level, to each person it names (nothing once the climb was acknowledged or stopped). */
@Injectable()
@NotificationTemplate('incident.escalation_mail')
export class EscalationMail implements NotificationIntent<'incident.escalation_mail', EscalationFacts> {
  private readonly publicUrl: string;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.publicUrl = config.get('app', { infer: true }).publicUrl;
  }

  async recipients(manager: EntityManager, payload: { firingId: string }, organizationId: string): Promise<NotificationRecipient<EscalationFacts>[]> {
    const firing = await firingOf(manager, payload.firingId, organizationId);
    if (!firing || firing.stopped_at) return [];
    const people = (await manager.query(
      `SELECT id, email, family_name, given_name, locale FROM staff WHERE organization_id = $1 AND id = ANY($2::uuid[]) AND status = 'active' ORDER BY employee_number`,
      [organizationId, firing.recipient_ids],
    )) as { id: string; email: string; family_name: string; given_name: string; locale: Locale }[];
    return people.map((person) => ({
      key: person.id,
      email: person.email,
      familyName: person.family_name,
      givenName: person.given_name,
      locale: person.locale,
      data: {
        reference: firing.reference,
        title: firing.title,
        severity: firing.severity ?? 'untriaged',
        level: firing.level + 1,
        attempt: firing.attempt,
        reportedAt: new Date(firing.reported_at).toISOString(),
        url: `${this.publicUrl}/incidents/${firing.incident_id}`,
      },
    }));
  }

  stillWanted(tx: Transaction, payload: { firingId: string }): Promise<boolean> {
    return climbStillRuns(tx, payload.firingId);
  }

  render(locale: Locale, data: EscalationFacts): Mail {
    const severity = SEVERITY_WORDS[data.severity] ?? SEVERITY_WORDS.untriaged!;
    const again = data.attempt > 1;
    if (locale === 'en') {
      return {
        subject: `[Mamori] ${again ? 'Reminder: ' : ''}incident ${data.reference} needs acknowledgement (level ${data.level})`,
        text:
          `Incident ${data.reference} "${data.title}" (severity: ${severity.en}), reported ${mailDateTime(new Date(data.reportedAt), 'en')}, has not been acknowledged.\n` +
          `Open it and press "Acknowledge" to stop further escalation:\n\n  ${data.url}`,
      };
    }
    return {
      subject: `【インシデント連絡】${again ? '（再通知）' : ''}${data.reference} の確認をお願いします（第${data.level}段階）`,
      text:
        `インシデント ${data.reference}「${data.title}」（重大度：${severity.ja}、${mailDateTime(new Date(data.reportedAt), 'ja')} 報告）について、まだ誰も確認していません。\n` +
        `次のページを開き「確認しました」を押してください。押すまで次の段階へ連絡が続きます。\n\n  ${data.url}`,
    };
  }
}

/**
 * Posts one fired level to the policy's webhook as JSON (`text` for Teams and Slack incoming
 * webhooks, `content` for LINE WORKS style bots), once: the firing row is claimed in one
 * transaction, posted outside any transaction, and the result recorded in another.
 */
@Injectable()
export class EscalationWebhook {
  private readonly logger = new Logger(EscalationWebhook.name);
  private readonly publicUrl: string;

  constructor(
    private readonly uow: UnitOfWork,
    config: ConfigService<MamoriConfig, true>,
  ) {
    this.publicUrl = config.get('app', { infer: true }).publicUrl;
  }

  @OutboxHandler('incident.escalation_webhook')
  async post(job: OutboxJob<'incident.escalation_webhook'>): Promise<'sent' | 'skipped'> {
    const actor = systemActor(job.organizationId, 'escalation');
    const claimed = await this.uow.run(actor, async (tx) => {
      if (!(await climbStillRuns(tx, job.payload.firingId))) return null;
      const rows = (await tx.manager.query(
        `UPDATE escalation_firings SET webhook_status = 'sending', webhook_claimed_at = now(), updated_at = now()
          WHERE id = $1 AND organization_id = $2
            AND (webhook_status IS NULL OR webhook_status = 'failed' OR (webhook_status = 'sending' AND webhook_claimed_at < now() - interval '10 minutes'))
          RETURNING id`,
        [job.payload.firingId, job.organizationId],
      )) as [{ id: string }[], number];
      if (rows[0].length === 0) return null;
      return firingOf(tx.manager, job.payload.firingId, job.organizationId);
    });
    if (!claimed || !claimed.webhook_url) return 'skipped';
    const severity = SEVERITY_WORDS[claimed.severity ?? 'untriaged'] ?? SEVERITY_WORDS.untriaged!;
    const url = `${this.publicUrl}/incidents/${claimed.incident_id}`;
    const text = `【インシデント連絡】${claimed.reference}「${claimed.title}」重大度：${severity.ja}／第${claimed.level + 1}段階${claimed.attempt > 1 ? '（再通知）' : ''} 確認：${url}`;
    try {
      const response = await fetch(claimed.webhook_url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          text,
          content: { type: 'text', text },
          incident: { reference: claimed.reference, title: claimed.title, severity: claimed.severity, level: claimed.level + 1, attempt: claimed.attempt, url },
        }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`the webhook answered ${response.status}`);
    } catch (error) {
      await this.uow.run(actor, async (tx) => {
        await tx.manager.query(`UPDATE escalation_firings SET webhook_status = 'failed', updated_at = now() WHERE id = $1`, [job.payload.firingId]);
      });
      throw error;
    }
    await this.uow.run(actor, async (tx) => {
      await tx.manager.query(`UPDATE escalation_firings SET webhook_status = 'sent', webhook_sent_at = now(), updated_at = now() WHERE id = $1`, [
        job.payload.firingId,
      ]);
      tx.audit({
        action: 'escalation.webhook_sent',
        entityType: 'incident',
        entityId: claimed.incident_id,
        after: { level: claimed.level + 1, attempt: claimed.attempt },
      });
    });
    this.logger.log(`escalation webhook of ${claimed.reference} level ${claimed.level + 1} posted`);
    return 'sent';
  }
}
