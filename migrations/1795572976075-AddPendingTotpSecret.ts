import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddPendingTotpSecret1795572976075 implements MigrationInterface {
    name = 'AddPendingTotpSecret1795572976075'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "staff" ADD "totp_pending_secret" text`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "staff" DROP COLUMN "totp_pending_secret"`);
    }

}
