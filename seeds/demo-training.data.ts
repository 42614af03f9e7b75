/**
 * The demo town's training (研修) over the years: fixed course texts and the rates the seed writes.
 * `demo-training.seed.ts` writes them; no database access here.
 *
 * The plan's baseline is FY2017's e-learning at 84%; the town's completion rises each year toward
 * 100%, fewer people finish late, and more of them report the targeted-mail drill's mail.
 */
import type { Quiz } from '../src/training/course.entity.js';

/** The past fiscal years the demo town has training records for. */
export const DEMO_TRAINING_YEARS = [2019, 2020, 2021, 2022] as const;

/** Of the people enrolled and not exempt, the share who completed (the all-staff, managers' and new-hire courses alike). */
export const DEMO_COMPLETION_RATE: Readonly<Record<number, number>> = { 2019: 0.86, 2020: 0.91, 2021: 0.96, 2022: 0.99 };
/** Of the completions, the share made after the due day. */
export const DEMO_LATE_SHARE: Readonly<Record<number, number>> = { 2019: 0.15, 2020: 0.1, 2021: 0.06, 2022: 0.03 };
/** The current fiscal year's all-staff course: about this share has completed it so far. */
export const DEMO_CURRENT_COMPLETION_RATE = 0.62;
/** Of an all-staff course's enrolments, about this share is exempt (secondment, long leave) besides the people on leave now. */
export const DEMO_EXEMPT_SHARE = 0.006;

/** The targeted-mail drill of each year, over the people it was sent to: opened, clicked, data submitted (of those who clicked), reported. */
export const DEMO_DRILL_RATES: Readonly<Record<number, { opened: number; clicked: number; submitted: number; reported: number }>> = {
  2019: { opened: 0.62, clicked: 0.24, submitted: 0.45, reported: 0.12 },
  2020: { opened: 0.64, clicked: 0.17, submitted: 0.4, reported: 0.24 },
  2021: { opened: 0.66, clicked: 0.11, submitted: 0.35, reported: 0.38 },
  2022: { opened: 0.7, clicked: 0.07, submitted: 0.3, reported: 0.55 },
};

/** Why someone was exempt: long leave (the people on leave now, in FY2022) or, for a few others, a secondment or leave. */
export const DEMO_EXEMPTION_REASONS = {
  onLeave: ['病気休暇（長期）のため受講を免除', '育児休業のため受講を免除', '介護休暇のため受講を免除'],
  secondment: ['県への派遣（出向）のため受講を免除', '広域連合への派遣のため受講を免除'],
  longLeave: ['育児休業のため受講を免除', '病気休暇（長期）のため受講を免除'],
} as const;

/** The theme of a year's all-staff e-learning: its Markdown (ja, en) and a 3-question quiz. */
export interface DemoELearning {
  topic: string;
  topicEn: string;
  body: string;
  bodyEn: string;
  quiz: Quiz;
}

const question = (id: string, text: string, textEn: string, choices: [string, string, string][], correct: string): Quiz['questions'][number] => ({
  id,
  text,
  textEn,
  choices: choices.map(([choiceId, choiceText, choiceTextEn]) => ({ id: choiceId, text: choiceText, textEn: choiceTextEn })),
  correct: [correct],
});

/** Pass mark: two questions of three. */
const PASS_MARK = 60;

export const DEMO_E_LEARNING: Readonly<Record<number, DemoELearning>> = {
  2019: {
    topic: 'パスワードと認証',
    topicEn: 'Passwords and sign-in',
    body: `# パスワードと認証

町のシステムに入るための鍵は、職員一人ひとりのパスワードです。

- パスワードは **12文字以上** とし、他のサービスと使い回さない
- 付箋に書いて端末に貼らない。共有しない
- 不審な認証要求（身に覚えのない確認コード）は情報政策室へ連絡する

最後に確認テスト（3問）に答え、誓約に同意してください。`,
    bodyEn: `# Passwords and sign-in

Each member of staff's password is the key to the town's systems.

- Use **at least 12 characters**, and never reuse it for another service
- Never write it on a sticky note on the terminal, and never share it
- Report any sign-in request you did not make to the Information Policy Office

Then answer the three questions and accept the statement.`,
    quiz: {
      passMark: PASS_MARK,
      maxAttempts: 3,
      questions: [
        question(
          'q1',
          '適切なパスワードはどれですか。',
          'Which password is suitable?',
          [
            ['a', '誕生日の8桁', 'Your birthday, 8 digits'],
            ['b', '他のサービスと同じもの', 'The one you use elsewhere'],
            ['c', '12文字以上で使い回さないもの', '12+ characters, used nowhere else'],
          ],
          'c',
        ),
        question(
          'q2',
          '同僚にパスワードを聞かれたら？',
          'A colleague asks for your password. You…',
          [
            ['a', '教えない', 'do not tell them'],
            ['b', '口頭なら教える', 'tell them out loud only'],
            ['c', 'メールで送る', 'e-mail it'],
          ],
          'a',
        ),
        question(
          'q3',
          '身に覚えのない確認コードが届いたら？',
          'A sign-in code arrives that you did not ask for. You…',
          [
            ['a', '無視する', 'ignore it'],
            ['b', '情報政策室に連絡する', 'tell the Information Policy Office'],
            ['c', 'コードを返信する', 'reply with the code'],
          ],
          'b',
        ),
      ],
    },
  },
  2020: {
    topic: 'テレワークと持ち出し',
    topicEn: 'Remote work and taking data out',
    body: `# テレワークと情報の持ち出し

テレワークでも庁内と同じルールが適用されます。

- 貸与端末以外で業務データを扱わない
- USBメモリ等での持ち出しは **所属長の許可** と記録が必要
- 公共の場所では画面をのぞかれないようにする

最後に確認テスト（3問）に答え、誓約に同意してください。`,
    bodyEn: `# Remote work and taking data out

The office's rules apply at home too.

- Handle work data on the town's terminal only
- Taking data out on a USB stick needs **your manager's permission** and a record
- In public places, keep your screen out of sight

Then answer the three questions and accept the statement.`,
    quiz: {
      passMark: PASS_MARK,
      maxAttempts: 3,
      questions: [
        question(
          'q1',
          '自宅で業務データを扱える端末は？',
          'At home, work data may be handled on…',
          [
            ['a', '家族共用のパソコン', 'the family computer'],
            ['b', '町の貸与端末', "the town's terminal"],
            ['c', '私物のスマートフォン', 'your own phone'],
          ],
          'b',
        ),
        question(
          'q2',
          'USBメモリでデータを持ち出すには？',
          'To take data out on a USB stick you need…',
          [
            ['a', '所属長の許可と記録', "your manager's permission and a record"],
            ['b', '何も要らない', 'nothing'],
            ['c', '同僚の了解', "a colleague's agreement"],
          ],
          'a',
        ),
        question(
          'q3',
          'カフェで作業するときは？',
          'Working in a café, you…',
          [
            ['a', '画面を気にしない', "don't mind the screen"],
            ['b', '公衆無線LANで共有する', 'share over public Wi-Fi'],
            ['c', '画面をのぞかれないようにする', 'keep the screen out of sight'],
          ],
          'c',
        ),
      ],
    },
  },
  2021: {
    topic: '標的型メールへの対応',
    topicEn: 'Targeted e-mail',
    body: `# 標的型メールへの対応

町を狙ったメールは、取引先や県を装って届きます。

- 差出人・件名・リンク先を確かめる。急がせる文面に注意
- 添付ファイルやリンクを開いてしまったら、**すぐに情報政策室へ報告**
- 「報告」は責められません。早い報告が被害を防ぎます

最後に確認テスト（3問）に答え、誓約に同意してください。`,
    bodyEn: `# Targeted e-mail

Mail aimed at the town arrives looking like a supplier or the prefecture.

- Check the sender, the subject and where links go; beware of urgency
- If you opened an attachment or a link, **report it to the Information Policy Office at once**
- Nobody is blamed for reporting: an early report stops the damage

Then answer the three questions and accept the statement.`,
    quiz: {
      passMark: PASS_MARK,
      maxAttempts: 3,
      questions: [
        question(
          'q1',
          '不審なメールのリンクを開いてしまったら？',
          'You opened a link in a suspicious mail. You…',
          [
            ['a', '黙っておく', 'keep quiet'],
            ['b', 'すぐに報告する', 'report it at once'],
            ['c', 'パソコンを再起動して忘れる', 'restart and forget it'],
          ],
          'b',
        ),
        question(
          'q2',
          '標的型メールの特徴は？',
          'A targeted mail often…',
          [
            ['a', '急がせる文面', 'urges you to hurry'],
            ['b', '町長の署名がある', "has the mayor's signature"],
            ['c', '必ず英語で書かれている', 'is always in English'],
          ],
          'a',
        ),
        question(
          'q3',
          '報告した職員は？',
          'Someone who reports it…',
          [
            ['a', '処分される', 'is disciplined'],
            ['b', '研修をやり直す', 'redoes the training'],
            ['c', '責められない', 'is not blamed'],
          ],
          'c',
        ),
      ],
    },
  },
  2022: {
    topic: '個人情報の取扱い',
    topicEn: 'Handling personal data',
    body: `# 個人情報の取扱い

町が預かる住民の個人情報は、漏えいすれば取り返しがつきません。

- 必要な人だけが、必要な範囲で扱う
- 誤送信を防ぐため、宛先と添付を **送信前に確認**
- 漏えいのおそれがあれば、すぐにインシデントとして報告する

最後に確認テスト（3問）に答え、誓約に同意してください。`,
    bodyEn: `# Handling personal data

Residents' personal data in the town's care cannot be taken back once leaked.

- Only those who need it handle it, and only as far as they need
- **Check the recipients and attachments before sending**
- If a leak may have happened, report it as an incident at once

Then answer the three questions and accept the statement.`,
    quiz: {
      passMark: PASS_MARK,
      maxAttempts: 3,
      questions: [
        question(
          'q1',
          '住民の個人情報を扱えるのは？',
          "Residents' personal data may be handled by…",
          [
            ['a', '職員なら誰でも', 'any member of staff'],
            ['b', '業務上必要な人だけ', 'those whose work needs it'],
            ['c', '委託先なら誰でも', "anyone at a contractor's"],
          ],
          'b',
        ),
        question(
          'q2',
          'メール送信前に確認するのは？',
          'Before sending a mail, check…',
          [
            ['a', '宛先と添付', 'the recipients and attachments'],
            ['b', '天気', 'the weather'],
            ['c', '何も確認しない', 'nothing'],
          ],
          'a',
        ),
        question(
          'q3',
          '漏えいのおそれに気づいたら？',
          'You notice personal data may have leaked. You…',
          [
            ['a', '様子を見る', 'wait and see'],
            ['b', '自分で対処して終わる', 'fix it yourself and move on'],
            ['c', 'すぐにインシデントとして報告する', 'report it as an incident at once'],
          ],
          'c',
        ),
      ],
    },
  },
};

/** The current fiscal year's all-staff e-learning (any year after FY2022). */
export const DEMO_CURRENT_E_LEARNING: DemoELearning = {
  topic: '生成AIと情報セキュリティ',
  topicEn: 'Generative AI and information security',
  body: `# 生成AIと情報セキュリティ

生成AIは便利ですが、入力した内容が外部に残ることがあります。

- 住民の個人情報や非公開の情報を **入力しない**
- 町が利用を認めたサービスだけを使う
- 出力は必ず職員が確かめてから使う

最後に確認テスト（3問）に答え、誓約に同意してください。`,
  bodyEn: `# Generative AI and information security

Generative AI is useful, but what you type may stay outside the town.

- **Never enter** residents' personal data or anything not public
- Use only the services the town has approved
- A member of staff checks every output before it is used

Then answer the three questions and accept the statement.`,
  quiz: {
    passMark: PASS_MARK,
    maxAttempts: 3,
    questions: [
      question(
        'q1',
        '生成AIに入力してよいのは？',
        'What may you enter into a generative AI?',
        [
          ['a', '住民の氏名と住所', "residents' names and addresses"],
          ['b', '公開済みの情報', 'information already public'],
          ['c', '非公開の会議資料', 'papers of a closed meeting'],
        ],
        'b',
      ),
      question(
        'q2',
        '使ってよいサービスは？',
        'Which services may you use?',
        [
          ['a', '町が認めたもの', 'those the town approved'],
          ['b', '無料のもの全部', 'any free one'],
          ['c', '同僚が勧めたもの', 'one a colleague likes'],
        ],
        'a',
      ),
      question(
        'q3',
        'AIの出力は？',
        "The AI's output is…",
        [
          ['a', 'そのまま公開する', 'published as it is'],
          ['b', '使わない', 'never used'],
          ['c', '職員が確かめてから使う', 'checked by a member of staff first'],
        ],
        'c',
      ),
    ],
  },
};

/** The managers' classroom course, each year. */
export const DEMO_CLASSROOM = {
  title: '情報セキュリティ管理者研修（集合研修）',
  titleEn: 'Information security for managers (classroom)',
  body: `# 管理者研修（集合研修）

所属の情報セキュリティ責任者として、課の研修受講と事故対応を確認します。

- 会場：役場3階 大会議室
- 日程：7月・8月の2回（いずれか1回に出席）、欠席者は10月の補講
- 持ち物：所属の情報資産台帳`,
  bodyEn: `# Managers' course (classroom)

As your division's security lead: your staff's training and what to do in an incident.

- Where: Town Hall, 3F main meeting room
- When: two sessions, July and August (attend one); a make-up session in October
- Bring: your division's information asset register`,
} as const;

/** The new staff's course, each year. */
export const DEMO_NEW_HIRE = {
  title: '新規採用職員研修（情報セキュリティ）',
  titleEn: 'Information security for new staff',
  body: `# 新規採用職員研修

町の情報セキュリティポリシーの要点と、困ったときの連絡先（情報政策室 内線 2101）を学びます。`,
  bodyEn: `# New staff

The essentials of the town's information security policy, and whom to call (Information Policy Office, ext. 2101).`,
} as const;

/** The all-staff e-learning, each year (the topic follows the title). */
export const DEMO_ALL_STAFF = { title: '情報セキュリティ研修（全職員）', titleEn: 'Information security training (all staff)' } as const;

/** The targeted-mail drill, each October. */
export const DEMO_DRILL = {
  title: '標的型メール訓練',
  titleEn: 'Targeted e-mail drill',
  body: `# 標的型メール訓練

県を装った訓練メールを全職員に送ります。開いたら、添付やリンクを開かずに情報政策室へ報告してください。`,
  bodyEn: `# Targeted e-mail drill

A drill mail looking like one from the prefecture goes to all staff. Report it to the Information Policy Office without opening its attachment or link.`,
} as const;
