import request from 'supertest';
import { addDays, tokyoToday } from '../../src/common/calendar.js';
import { fiscalYearOf } from '../../src/common/dates.js';
import { StaffService } from '../../src/staff/staff.service.js';
import type { Department } from '../../src/staff/department.entity.js';
import { Enrolment } from '../../src/training/enrolment.entity.js';
import { QuizAttempt } from '../../src/training/quiz-attempt.entity.js';
import { MyPageService } from '../../src/web/my-page/my-page.service.js';
import { actorOf, createDepartment, createPerson, signIn, testOrganization, type TestPerson } from '../factories/staff.factory.js';
import { mailsTo } from '../support/mail.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('training: a member of staff takes their training — quiz, acknowledgement, certificate', () => {
  let t: TestApp;
  let org: string;
  let somu: Department;
  let kikaku: Department;
  let officer: TestPerson;
  let admin: TestPerson;
  let officerBearer: { Authorization: string };
  const people: Record<'hanako' | 'ichiro' | 'jiro' | 'saburo' | 'late' | 'exempt', TestPerson> = {} as never;
  const bearer = {} as Record<keyof typeof people, { Authorization: string }>;
  /** each person's enrolment in the quiz course */
  const enrolmentOf = {} as Record<keyof typeof people, string>;
  let courseId: string;
  let plainCourseId: string;
  const fy = fiscalYearOf(tokyoToday());
  const dueDate = `${fy + 1}-03-31`;

  const quiz = {
    passMark: 60,
    maxAttempts: 3,
    questions: [
      {
        id: 'q1',
        text: '心当たりのない添付ファイル付きメールが届いたら？',
        choices: [
          { id: 'a', text: '開かずに情報政策係へ報告する' },
          { id: 'b', text: '添付ファイルを開いて確かめる' },
        ],
        correct: ['a'],
      },
      {
        id: 'q2',
        text: '庁外に持ち出してはいけないものは？（すべて選ぶ）',
        choices: [
          { id: 'a', text: '住民情報を保存したUSBメモリ' },
          { id: 'b', text: 'パスワードを書いたメモ' },
          { id: 'c', text: '公開済みの広報誌' },
        ],
        correct: ['a', 'b'],
      },
      {
        id: 'q3',
        text: '離席するときは？',
        choices: [
          { id: 'a', text: '画面をロックする' },
          { id: 'b', text: 'そのままにする' },
        ],
        correct: ['a'],
      },
    ],
  };
  const right = { q1: ['a'], q2: ['a', 'b'], q3: ['a'] };
  /** 1 of 3 right: 33% */
  const wrong = { q1: ['b'], q2: ['a'], q3: ['a'] };

  const http = () => request(t.http);
  const count = async (sql: string, params: unknown[]): Promise<number> => ((await t.dataSource.query(sql, params)) as { n: number }[])[0]!.n;
  const audits = (action: string, enrolmentId: string) =>
    count(`SELECT count(*)::int AS n FROM audit_trail WHERE organization_id = $1 AND action = $2 AND entity_id = $3`, [org, action, enrolmentId]);
  const completedMails = (enrolmentId: string) =>
    count(`SELECT count(*)::int AS n FROM outbox_messages WHERE organization_id = $1 AND topic = 'training.completed' AND payload->>'enrolmentId' = $2`, [
      org,
      enrolmentId,
    ]);
  const attemptsOf = (enrolmentId: string) => t.dataSource.getRepository(QuizAttempt).countBy({ enrolmentId });

  beforeAll(async () => {
    t = await createTestApp();
    org = await testOrganization(t, 'training-taking-town');
    somu = await createDepartment(t, org, { code: 'SOMU', name: '総務課', nameEn: 'General Affairs Division' });
    kikaku = await createDepartment(t, org, { code: 'KIKAKU', name: '企画課' });
    officer = await createPerson(t, org, { roles: ['security_officer'], departmentId: kikaku.id });
    admin = await createPerson(t, org, { roles: ['admin'], departmentId: kikaku.id });
    officerBearer = { Authorization: `Bearer ${(await signIn(t, officer)).accessToken}` };
    for (const name of Object.keys({ hanako: 1, ichiro: 1, jiro: 1, saburo: 1, late: 1, exempt: 1 }) as (keyof typeof people)[]) {
      people[name] = await createPerson(t, org, { departmentId: somu.id });
      bearer[name] = { Authorization: `Bearer ${(await signIn(t, people[name])).accessToken}` };
    }
    const created = await http()
      .post('/api/v1/training/courses')
      .set(officerBearer)
      .send({
        fiscalYear: fy,
        kind: 'e_learning',
        title: '情報セキュリティ研修（全職員）',
        titleEn: 'Information security training',
        body: '# 標的型メール\n\n不審なメールは**開かずに**報告します。',
        audience: { all: true },
        dueDate,
        quiz,
        statement: '研修の内容を理解し、情報セキュリティポリシーを遵守します。',
      })
      .expect(201);
    courseId = created.body.id as string;
    await http().post(`/api/v1/training/courses/${courseId}/publish`).set(officerBearer).expect(200);
    const plain = await http()
      .post('/api/v1/training/courses')
      .set(officerBearer)
      .send({ fiscalYear: fy, kind: 'policy_acknowledgement', title: '対策基準の確認', audience: { departmentIds: [somu.id] }, dueDate })
      .expect(201);
    plainCourseId = plain.body.id as string;
    await http().post(`/api/v1/training/courses/${plainCourseId}/publish`).set(officerBearer).expect(200);
    for (const name of Object.keys(people) as (keyof typeof people)[]) {
      const mine = await http().get('/api/v1/training/me').set(bearer[name]).expect(200);
      enrolmentOf[name] = (mine.body.items as { id: string; course: { id: string } }[]).find((item) => item.course.id === courseId)!.id;
    }
  });
  afterAll(() => t.close());

  it('lists what I owe, soonest due first, and reads a course without its right answers', async () => {
    const me = await http().get('/api/v1/training/me').set(bearer.hanako).expect(200);
    expect(me.body.total).toBe(2);
    expect(me.body.items.find((item: { id: string }) => item.id === enrolmentOf.hanako)).toEqual({
      id: enrolmentOf.hanako,
      course: {
        id: courseId,
        title: '情報セキュリティ研修（全職員）',
        titleEn: 'Information security training',
        kind: 'e_learning',
        fiscalYear: fy,
        opensOn: `${fy}-04-01`,
        status: 'published',
        hasQuiz: true,
        policyVersionId: null,
      },
      dueOn: dueDate,
      state: 'open',
      overdue: false,
      completedAt: null,
      late: false,
      score: null,
      quizAttempts: 0,
      attemptsLeft: 3,
    });
    expect(
      (
        await http()
          .get(`/api/v1/training/me?fiscalYear=${fy - 1}`)
          .set(bearer.hanako)
          .expect(200)
      ).body,
    ).toEqual({ items: [], total: 0 });
    expect((await http().get('/api/v1/training/me?fiscalYear=soon').set(bearer.hanako)).status).toBe(400);

    // an attachment of the material (served by the course pages; listed here)
    await t.dataSource.query(
      `INSERT INTO course_attachments (organization_id, course_id, file_name, content_type, size, sha256, content)
       VALUES ($1, $2, '標的型メール訓練.pdf', 'application/pdf', 4, repeat('a', 64), '\\x25504446')`,
      [org, courseId],
    );
    const detail = await http().get(`/api/v1/training/enrolments/${enrolmentOf.hanako}`).set(bearer.hanako).expect(200);
    expect(detail.body).toMatchObject({
      id: enrolmentOf.hanako,
      state: 'open',
      body: expect.stringContaining('標的型メール'),
      attachments: [{ id: expect.any(String), fileName: '標的型メール訓練.pdf', contentType: 'application/pdf', size: 4 }],
      statement: { version: 1, text: '研修の内容を理解し、情報セキュリティポリシーを遵守します。' },
      attempts: [],
      quiz: { passMark: 60, maxAttempts: 3 },
    });
    expect(detail.body.quiz.questions.map((q: { multiple: boolean }) => q.multiple)).toEqual([false, true, false]);
    expect(detail.text).not.toContain('correct');
  });

  it("answers 404 for someone else's enrolment, whatever is asked of it", async () => {
    const theirs = enrolmentOf.ichiro;
    for (const [method, path, body] of [
      ['get', `/api/v1/training/enrolments/${theirs}`, undefined],
      ['get', `/api/v1/training/enrolments/${theirs}/certificate`, undefined],
      ['post', `/api/v1/training/enrolments/${theirs}/quiz-attempts`, { answers: right }],
      ['post', `/api/v1/training/enrolments/${theirs}/complete`, { acknowledged: true, answers: right }],
    ] as const) {
      const response = await http()[method](path).set(bearer.hanako).send(body);
      expect(`${path} ${response.status} ${response.body.code}`).toBe(`${path} 404 ENROLMENT_NOT_FOUND`);
    }
    // not even the security office takes someone else's quiz
    expect((await http().get(`/api/v1/training/enrolments/${theirs}`).set(officerBearer)).status).toBe(404);
    expect(await attemptsOf(theirs)).toBe(0);
  });

  it('refuses answers that do not fit the quiz, naming each question, and records nothing', async () => {
    const id = enrolmentOf.hanako;
    const bad = await http()
      .post(`/api/v1/training/enrolments/${id}/quiz-attempts`)
      .set(bearer.hanako)
      .send({ answers: { q1: ['z'], q2: ['a'], q9: ['a'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('QUIZ_ANSWERS_INVALID');
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['answers.q1', 'answers.q9', 'answers.q3']);
    const shape = await http()
      .post(`/api/v1/training/enrolments/${id}/quiz-attempts`)
      .set(bearer.hanako)
      .send({ answers: { q1: 'a' } });
    expect(shape.status).toBe(400);
    expect(shape.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'answers' }] });
    expect(await attemptsOf(id)).toBe(0);
    expect(await audits('enrolment.quiz_attempt', id)).toBe(0);
  });

  it('completion needs the acknowledgement ticked and a passed quiz; failing answers given with it count as an attempt', async () => {
    const id = enrolmentOf.hanako;
    const unticked = await http().post(`/api/v1/training/enrolments/${id}/complete`).set(bearer.hanako).send({ acknowledged: false, answers: right });
    expect(unticked.status).toBe(400);
    expect(unticked.body).toMatchObject({ code: 'ACKNOWLEDGEMENT_REQUIRED', errors: [{ field: 'acknowledged' }] });
    const absent = await http().post(`/api/v1/training/enrolments/${id}/complete`).set(bearer.hanako).send({});
    expect(absent.body.code).toBe('ACKNOWLEDGEMENT_REQUIRED');
    const notPassed = await http().post(`/api/v1/training/enrolments/${id}/complete`).set(bearer.hanako).send({ acknowledged: true });
    expect(notPassed.status).toBe(409);
    expect(notPassed.body.code).toBe('QUIZ_NOT_PASSED');
    const failing = await http().post(`/api/v1/training/enrolments/${id}/complete`).set(bearer.hanako).send({ acknowledged: true, answers: wrong });
    expect(failing.status).toBe(409);
    // an attempt like any other (the quiz cannot be guessed here for free), told with its score
    expect(failing.body).toMatchObject({ code: 'QUIZ_NOT_PASSED', score: 33, attemptsLeft: 2, errors: [{ field: 'answers' }] });
    expect(failing.text).not.toContain('correct');
    expect(await attemptsOf(id)).toBe(1);
    const certificate = await http().get(`/api/v1/training/enrolments/${id}/certificate`).set(bearer.hanako);
    expect(certificate.status).toBe(409);
    expect(certificate.body.code).toBe('ENROLMENT_NOT_COMPLETED');
    const row = await t.dataSource.getRepository(Enrolment).findOneByOrFail({ id });
    expect(row).toMatchObject({ completedAt: null, quizAttempts: 1, score: 33 });
  });

  it('scores a failed attempt, then a passed one; completes once however often it is sent: one record, one audit row, one mail', async () => {
    const id = enrolmentOf.hanako;
    const failed = await http().post(`/api/v1/training/enrolments/${id}/quiz-attempts`).set(bearer.hanako).send({ answers: wrong });
    expect(failed.status).toBe(201);
    expect(failed.body).toEqual({
      attempt: { attempt: 2, score: 33, passed: false, at: expect.any(String) },
      score: 33,
      passed: false,
      attemptsLeft: 1,
      recorded: true,
    });
    expect(failed.text).not.toContain('correct');
    const passed = await http().post(`/api/v1/training/enrolments/${id}/quiz-attempts`).set(bearer.hanako).send({ answers: right });
    expect(passed.body).toMatchObject({ attempt: { attempt: 3, score: 100, passed: true }, score: 100, passed: true, attemptsLeft: 0 });
    expect(await audits('enrolment.quiz_attempt', id)).toBe(3);

    const completed = await http().post(`/api/v1/training/enrolments/${id}/complete`).set(bearer.hanako).send({ acknowledged: true });
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ id, state: 'completed', late: false, score: 100, quizAttempts: 3, completedAt: expect.any(String) });
    const again = await http().post(`/api/v1/training/enrolments/${id}/complete`).set(bearer.hanako).send({ acknowledged: true, answers: wrong });
    expect(again.status).toBe(200);
    expect(again.body.completedAt).toBe(completed.body.completedAt);
    expect(await audits('enrolment.complete', id)).toBe(1);
    expect(await completedMails(id)).toBe(1);
    const row = await t.dataSource.getRepository(Enrolment).findOneByOrFail({ id });
    expect(row).toMatchObject({ completedVia: 'self', statementVersion: 1, completedById: people.hanako.staff.id, clientAddress: expect.any(String) });

    // attempting after completion is harmless: the best attempt, nothing new
    const after = await http().post(`/api/v1/training/enrolments/${id}/quiz-attempts`).set(bearer.hanako).send({ answers: wrong });
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ attempt: { attempt: 3, score: 100, passed: true }, passed: true, recorded: false });
    expect(await attemptsOf(id)).toBe(3);

    const mails = await mailsTo(t, people.hanako.email);
    expect(mails.filter((mail) => mail.subject.startsWith('【受講完了】'))).toHaveLength(1);
  });

  it('gives the certificate of a completion: the department it was done in, the statement signed, the score', async () => {
    const id = enrolmentOf.hanako;
    // moving afterwards does not change where it was done
    await t.get(StaffService).update(actorOf(admin), people.hanako.staff.id, { departmentId: kikaku.id });
    const certificate = await http().get(`/api/v1/training/enrolments/${id}/certificate`).set(bearer.hanako).expect(200);
    expect(certificate.body).toEqual({
      certificateNumber: id,
      organization: 'テスト町',
      person: { name: '試験 太郎', employeeNumber: people.hanako.staff.employeeNumber },
      department: { id: somu.id, code: 'SOMU', name: '総務課', nameEn: 'General Affairs Division' },
      course: { id: courseId, title: '情報セキュリティ研修（全職員）', titleEn: 'Information security training', kind: 'e_learning', fiscalYear: fy },
      completedAt: expect.any(String),
      late: false,
      via: 'self',
      statement: { version: 1, text: '研修の内容を理解し、情報セキュリティポリシーを遵守します。', textEn: null },
      score: 100,
    });
    // the statement changes later: the certificate and the course's page keep the version signed
    await http().patch(`/api/v1/training/courses/${courseId}`).set(officerBearer).send({ statement: '新しい誓約文です。' }).expect(200);
    expect((await http().get(`/api/v1/training/enrolments/${id}/certificate`).set(bearer.hanako)).body.statement.version).toBe(1);
    expect((await http().get(`/api/v1/training/enrolments/${id}`).set(bearer.hanako)).body.statement).toMatchObject({ version: 1 });
    expect((await http().get(`/api/v1/training/enrolments/${enrolmentOf.jiro}`).set(bearer.jiro)).body.statement).toMatchObject({
      version: 2,
      text: '新しい誓約文です。',
    });
  });

  it('refuses attempts beyond the limit, also through the completion', async () => {
    const id = enrolmentOf.ichiro;
    for (const attempt of [1, 2, 3]) {
      const response = await http().post(`/api/v1/training/enrolments/${id}/quiz-attempts`).set(bearer.ichiro).send({ answers: wrong });
      expect(response.body).toMatchObject({ attempt: { attempt }, passed: false, attemptsLeft: 3 - attempt });
    }
    const fourth = await http().post(`/api/v1/training/enrolments/${id}/quiz-attempts`).set(bearer.ichiro).send({ answers: right });
    expect(fourth.status).toBe(409);
    expect(fourth.body.code).toBe('QUIZ_NO_ATTEMPTS_LEFT');
    const complete = await http().post(`/api/v1/training/enrolments/${id}/complete`).set(bearer.ichiro).send({ acknowledged: true, answers: right });
    expect(complete.status).toBe(409);
    expect(complete.body.code).toBe('QUIZ_NO_ATTEMPTS_LEFT');
    expect(await attemptsOf(id)).toBe(3);
    expect((await t.dataSource.getRepository(Enrolment).findOneByOrFail({ id })).completedAt).toBeNull();
  });

  it('completes with passing answers given with the acknowledgement, recording them as an attempt in the same change', async () => {
    const id = enrolmentOf.jiro;
    const completed = await http().post(`/api/v1/training/enrolments/${id}/complete`).set(bearer.jiro).send({ acknowledged: true, answers: right });
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ state: 'completed', score: 100, quizAttempts: 1, attemptsLeft: 2 });
    expect(await attemptsOf(id)).toBe(1);
    // the statement signed is the one in force (version 2 since the change above)
    expect((await t.dataSource.getRepository(Enrolment).findOneByOrFail({ id })).statementVersion).toBe(2);
  });

  it('records a completion after the due date as complete and late', async () => {
    const id = enrolmentOf.late;
    await t.dataSource.getRepository(Enrolment).update({ id }, { dueOn: addDays(tokyoToday(), -2) });
    const listed = await http().get('/api/v1/training/me').set(bearer.late).expect(200);
    expect(listed.body.items[0]).toMatchObject({ id, overdue: true, state: 'open' });
    const completed = await http().post(`/api/v1/training/enrolments/${id}/complete`).set(bearer.late).send({ acknowledged: true, answers: right });
    expect(completed.body).toMatchObject({ state: 'completed', late: true, overdue: false });
    expect((await http().get(`/api/v1/training/enrolments/${id}/certificate`).set(bearer.late)).body.late).toBe(true);
  });

  it('refuses an exempt enrolment, a course not open yet, and attempts at a course without a quiz', async () => {
    const id = enrolmentOf.exempt;
    await t.dataSource.getRepository(Enrolment).update({ id }, { exemptAt: new Date(), exemptionKind: 'long_leave', exemptionReason: '育児休業' });
    const exempt = await http().post(`/api/v1/training/enrolments/${id}/complete`).set(bearer.exempt).send({ acknowledged: true, answers: right });
    expect(`${exempt.status} ${exempt.body.code}`).toBe('409 ENROLMENT_NOT_OPEN');
    const attempt = await http().post(`/api/v1/training/enrolments/${id}/quiz-attempts`).set(bearer.exempt).send({ answers: right });
    expect(`${attempt.status} ${attempt.body.code}`).toBe('409 ENROLMENT_NOT_OPEN');
    expect((await http().get('/api/v1/training/me').set(bearer.exempt)).body.items.at(-1)).toMatchObject({ id, state: 'exempt' });

    const plain = (await http().get('/api/v1/training/me').set(bearer.saburo)).body.items.find(
      (item: { course: { id: string } }) => item.course.id === plainCourseId,
    );
    expect(plain.course.hasQuiz).toBe(false);
    const noQuiz = await http().post(`/api/v1/training/enrolments/${plain.id}/quiz-attempts`).set(bearer.saburo).send({ answers: right });
    expect(`${noQuiz.status} ${noQuiz.body.code}`).toBe('409 COURSE_HAS_NO_QUIZ');
    await t.dataSource.query(`UPDATE courses SET opens_on = $2, due_on = $3 WHERE id = $1`, [
      plainCourseId,
      addDays(tokyoToday(), 1),
      addDays(tokyoToday(), 30),
    ]);
    const early = await http().post(`/api/v1/training/enrolments/${plain.id}/complete`).set(bearer.saburo).send({ acknowledged: true });
    expect(`${early.status} ${early.body.code}`).toBe('409 ENROLMENT_NOT_YET_OPEN');
    await t.dataSource.query(`UPDATE courses SET opens_on = $2 WHERE id = $1`, [plainCourseId, tokyoToday()]);
    const done = await http().post(`/api/v1/training/enrolments/${plain.id}/complete`).set(bearer.saburo).send({ acknowledged: true });
    expect(done.body).toMatchObject({ state: 'completed', score: null });
  });

  it("lists the courses owed on the person's my page", async () => {
    const duties = await t.get(MyPageService).duties(actorOf(people.saburo));
    expect(duties.filter((duty) => duty.kind === 'training')).toEqual([
      {
        kind: 'training',
        title: '情報セキュリティ研修（全職員）',
        titleEn: 'Information security training',
        dueAt: expect.any(Date),
        href: `/training/enrolments/${enrolmentOf.saburo}`,
      },
    ]);
    // 花子 completed the course with the quiz; she still owes the other one
    const hanako = await t.get(MyPageService).duties(actorOf(people.hanako));
    expect(hanako.filter((duty) => duty.kind === 'training').map((duty) => duty.title)).toEqual(['対策基準の確認']);
  });
});
