import { MigrationInterface, QueryRunner } from 'typeorm';

export class DeliverNotificationsOutsideTransactions1796005606957 implements MigrationInterface {
  name = 'DeliverNotificationsOutsideTransactions1796005606957';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_notification_deliveries_message"`);
    // one row per recipient of a message; the rows so far were sent, one recipient each
    await queryRunner.query(`ALTER TABLE "notification_deliveries" ADD "recipient_key" character varying(254)`);
    await queryRunner.query(`UPDATE "notification_deliveries" SET "recipient_key" = "recipient"`);
    await queryRunner.query(`ALTER TABLE "notification_deliveries" ALTER COLUMN "recipient_key" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "notification_deliveries" ADD "status" character varying(16) NOT NULL DEFAULT 'sent'`);
    await queryRunner.query(`ALTER TABLE "notification_deliveries" ALTER COLUMN "status" SET DEFAULT 'sending'`);
    await queryRunner.query(`ALTER TABLE "notification_deliveries" ADD "attempts" integer NOT NULL DEFAULT '1'`);
    await queryRunner.query(`ALTER TABLE "notification_deliveries" ADD "claimed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`UPDATE "notification_deliveries" SET "claimed_at" = "sent_at"`);
    await queryRunner.query(`ALTER TABLE "notification_deliveries" ALTER COLUMN "claimed_at" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "notification_deliveries" ADD "last_error" text`);
    await queryRunner.query(`ALTER TABLE "notification_deliveries" ALTER COLUMN "sent_at" DROP NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_notification_deliveries_recipient" ON "notification_deliveries"  ("outbox_message_id", "recipient_key") `);
    await queryRunner.query(
      `ALTER TABLE "notification_deliveries" ADD CONSTRAINT "ck_notification_deliveries_status" CHECK ("status" IN ('sending', 'sent', 'failed'))`,
    );
    // outbox rows of the old catch-all topic (a rendered mail) that were never handed to the queue have
    // no route any more: they are closed, saying why (an invitation can be sent again from the app)
    await queryRunner.query(
      `UPDATE "outbox_messages" SET "dispatched_at" = now(), "last_error" = 'not sent: the notification.email topic was replaced by one topic per intent' WHERE "topic" = 'notification.email' AND "dispatched_at" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notification_deliveries" DROP CONSTRAINT "ck_notification_deliveries_status"`);
    await queryRunner.query(`DROP INDEX "public"."uq_notification_deliveries_recipient"`);
    await queryRunner.query(`DELETE FROM "notification_deliveries" WHERE "status" <> 'sent'`);
    // the old shape keeps one delivery per message
    await queryRunner.query(
      `DELETE FROM "notification_deliveries" d USING "notification_deliveries" e WHERE d."outbox_message_id" = e."outbox_message_id" AND d."id" > e."id"`,
    );
    await queryRunner.query(`ALTER TABLE "notification_deliveries" ALTER COLUMN "sent_at" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "notification_deliveries" DROP COLUMN "last_error"`);
    await queryRunner.query(`ALTER TABLE "notification_deliveries" DROP COLUMN "claimed_at"`);
    await queryRunner.query(`ALTER TABLE "notification_deliveries" DROP COLUMN "attempts"`);
    await queryRunner.query(`ALTER TABLE "notification_deliveries" DROP COLUMN "status"`);
    await queryRunner.query(`ALTER TABLE "notification_deliveries" DROP COLUMN "recipient_key"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_notification_deliveries_message" ON "notification_deliveries" USING btree ("outbox_message_id") `);
  }
}
