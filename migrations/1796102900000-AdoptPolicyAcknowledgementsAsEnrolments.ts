import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The fiscal year (April to March) of a date, as SQL over the date expression `day`. */
const fiscalYear = (day: string) => `(CASE WHEN extract(month FROM ${day}) >= 4 THEN extract(year FROM ${day}) ELSE extract(year FROM ${day}) - 1 END)::int`;

/**
 * Training adopts the policies module's acknowledgement duties (issue 9): every policy version that
 * has duties becomes a `policy_acknowledgement` course (its words as PolicyAcknowledgementCourses
 * writes them, statement version 1) of the fiscal year (Asia/Tokyo) it was approved in, open from the
 * day of approval, due on the latest due day of its duties, addressed to all staff, published while
 * the version is in force and closed once superseded. Each duty becomes an enrolment KEEPING ITS ID
 * (links to /acknowledgements/<id>, outbox messages and audit-trail rows still find it), credited to
 * the person's department, enrolled when the duty was made, completed when it was acknowledged
 * (`completed_via` 'migrated', statement version 1, with the client address); the open duty of
 * someone who has retired is withdrawn, as StaffEnrolments withdraws a leaver's. Then the table goes,
 * and courses.policy_version_id refers to policy_versions (a version with a course is not deleted).
 *
 * down() makes the table again and moves every enrolment of a policy version's acknowledgement course
 * back into it, with its id (exemptions and withdrawals are not kept: the table had no place for
 * them), then removes those enrolments and courses. Written by hand: data moves.
 */
export class AdoptPolicyAcknowledgementsAsEnrolments1796102900000 implements MigrationInterface {
  name = 'AdoptPolicyAcknowledgementsAsEnrolments1796102900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const approvedOn = `(coalesce(v.approved_at, min(d.created_at)) AT TIME ZONE 'Asia/Tokyo')::date`;
    const version = `v.version::text`;
    const titleEn = `coalesce(p.title_en, p.title)`;
    const page = `'/policies/' || p.key || '/versions/' || ${version}`;
    await queryRunner.query(
      `WITH made AS (
         INSERT INTO "courses" ("organization_id", "created_at", "fiscal_year", "kind", "title", "title_en", "body", "body_en", "audience",
                                "opens_on", "due_on", "statement", "statement_en", "statement_version", "status", "published_at",
                                "published_by_id", "closed_at", "policy_version_id", "created_by_id")
         SELECT v.organization_id, coalesce(v.approved_at, min(d.created_at)), ${fiscalYear(approvedOn)}, 'policy_acknowledgement',
                left(p.title || ' 第' || ${version} || '版の確認', 200),
                left('Acknowledgement of ' || ${titleEn} || ', version ' || ${version}, 200),
                '情報セキュリティポリシー「' || p.title || '」第' || ${version} || '版を読んでください：[' || p.title || ' 第' || ${version} || '版](' || ${page} || ')',
                'Please read version ' || ${version} || ' of the information security policy "' || ${titleEn} || '": [' || ${titleEn} || ', version ' || ${version} || '](' || ${page} || ')',
                '{"all": true}', ${approvedOn}, GREATEST(max(d.due_on), ${approvedOn}),
                '情報セキュリティポリシー「' || p.title || '」第' || ${version} || '版を読み、遵守することを誓約します。',
                'I have read version ' || ${version} || ' of the information security policy "' || ${titleEn} || '" and will comply with it.',
                1, CASE WHEN v.status = 'approved' THEN 'published' ELSE 'closed' END, coalesce(v.approved_at, min(d.created_at)),
                v.approved_by, CASE WHEN v.status = 'approved' THEN NULL ELSE coalesce(v.superseded_at, now()) END, v.id, v.approved_by
           FROM "acknowledgement_duties" d
           JOIN "policy_versions" v ON v.id = d.policy_version_id
           JOIN "policies" p ON p.id = v.policy_id
          GROUP BY v.id, p.id
         RETURNING "id", "organization_id", "statement", "statement_en")
       INSERT INTO "course_statements" ("organization_id", "course_id", "version", "text", "text_en")
       SELECT organization_id, id, 1, statement, statement_en FROM made`,
    );
    await queryRunner.query(
      `INSERT INTO "enrolments" ("id", "organization_id", "created_at", "updated_at", "course_id", "fiscal_year", "staff_id", "department_id", "source",
                                 "enrolled_at", "due_on", "completed_at", "completed_late", "completed_via", "completed_by_id", "statement_version",
                                 "client_address", "withdrawn_at")
       SELECT d.id, d.organization_id, d.created_at, d.updated_at, c.id, c.fiscal_year, d.staff_id, s.department_id, 'migrated',
              d.created_at, d.due_on, d.acknowledged_at,
              coalesce((d.acknowledged_at AT TIME ZONE 'Asia/Tokyo')::date > d.due_on, false),
              CASE WHEN d.acknowledged_at IS NOT NULL THEN 'migrated' END,
              CASE WHEN d.acknowledged_at IS NOT NULL THEN d.staff_id END,
              CASE WHEN d.acknowledged_at IS NOT NULL THEN 1 END,
              d.client_address,
              CASE WHEN d.acknowledged_at IS NULL AND s.status = 'retired' THEN now() END
         FROM "acknowledgement_duties" d
         JOIN "courses" c ON c.policy_version_id = d.policy_version_id AND c.kind = 'policy_acknowledgement'
         JOIN "staff" s ON s.id = d.staff_id`,
    );
    await queryRunner.query(`DROP TABLE "acknowledgement_duties"`);
    await queryRunner.query(
      `ALTER TABLE "courses" ADD CONSTRAINT "FK_2bcf886b835f8c45f4596825bfb" FOREIGN KEY ("policy_version_id") REFERENCES "policy_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "courses" DROP CONSTRAINT "FK_2bcf886b835f8c45f4596825bfb"`);
    await queryRunner.query(
      `CREATE TABLE "acknowledgement_duties" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "staff_id" uuid NOT NULL, "policy_version_id" uuid NOT NULL, "due_on" date NOT NULL, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "client_address" inet, CONSTRAINT "PK_81b3f3c77c295f2c1ef31ebcf88" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_7c041c1c5bf91f59e0209c8bdc" ON "acknowledgement_duties"  ("organization_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_928b6ef7400b29c74ba89724e2" ON "acknowledgement_duties"  ("policy_version_id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_acknowledgement_duties_open" ON "acknowledgement_duties"  ("organization_id", "staff_id") WHERE acknowledged_at IS NULL`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_acknowledgement_duties" ON "acknowledgement_duties"  ("staff_id", "policy_version_id") `);
    await queryRunner.query(
      `ALTER TABLE "acknowledgement_duties" ADD CONSTRAINT "FK_7c041c1c5bf91f59e0209c8bdc1" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "acknowledgement_duties" ADD CONSTRAINT "FK_e184284bd764f4ce2e896b572c1" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "acknowledgement_duties" ADD CONSTRAINT "FK_928b6ef7400b29c74ba89724e27" FOREIGN KEY ("policy_version_id") REFERENCES "policy_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    const policyCourses = `SELECT "id" FROM "courses" WHERE "kind" = 'policy_acknowledgement' AND "policy_version_id" IS NOT NULL`;
    await queryRunner.query(
      `INSERT INTO "acknowledgement_duties" ("id", "organization_id", "created_at", "updated_at", "staff_id", "policy_version_id", "due_on", "acknowledged_at", "client_address")
       SELECT e.id, e.organization_id, e.enrolled_at, e.updated_at, e.staff_id, c.policy_version_id, e.due_on, e.completed_at, e.client_address
         FROM "enrolments" e JOIN "courses" c ON c.id = e.course_id
        WHERE c.id IN (${policyCourses})`,
    );
    await queryRunner.query(`DELETE FROM "training_reminders" WHERE "enrolment_id" IN (SELECT "id" FROM "enrolments" WHERE "course_id" IN (${policyCourses}))`);
    await queryRunner.query(`DELETE FROM "enrolments" WHERE "course_id" IN (${policyCourses})`);
    await queryRunner.query(`DELETE FROM "courses" WHERE "id" IN (${policyCourses})`);
  }
}
