import type { MigrationInterface, QueryRunner } from 'typeorm';

/** `…/password/set?token=<uuid>.<secret>` anywhere in a JSON document's text */
const LINK = `'/password/set\\?token=([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.[A-Za-z0-9_-]+'`;

/**
 * Before the outbox carried intents, a password e-mail was stored rendered (`notification.email`,
 * its body holding the one-time link): anyone with a copy of the database or a backup could set
 * those people's passwords. The links still unused are ended (the person asks for a new one, or an
 * administrator sends a new invitation) and every stored mail body is removed; the row keeps its
 * topic, times and recipient so the outbox's history still reads. (Written by hand: a data fix.)
 */
export class ScrubPasswordLinksFromTheOutbox1796099000000 implements MigrationInterface {
  name = 'ScrubPasswordLinksFromTheOutbox1796099000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE "password_tokens" t SET "used_at" = now()
        FROM (SELECT DISTINCT (regexp_match("payload"::text, ${LINK}))[1]::uuid AS token_id
                FROM "outbox_messages" WHERE "payload"::text ~ ${LINK}) stored
       WHERE t."id" = stored.token_id AND t."used_at" IS NULL`);
    await queryRunner.query(`
      UPDATE "outbox_messages"
         SET "payload" = jsonb_strip_nulls(jsonb_build_object('to', "payload"->'to', 'scrubbed', 'the rendered mail, with its one-time link, was removed'))
       WHERE "topic" = 'notification.email' OR "payload"::text ~ ${LINK}`);
  }

  public async down(): Promise<void> {
    // what was removed is gone on purpose
  }
}
