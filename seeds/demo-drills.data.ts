/**
 * The demo town's drills of the emergency response plan (plan item III-5: the plan is written in
 * FY2021, drills are held from FY2022); seeds/demo-drills.seed.ts writes them.
 *
 * - FY2022 (令和4年度): the first drill, a tabletop drill (机上訓練) of the ransomware scenario. It was
 *   held with the network left out of it, so its record was entered the next day from the printed
 *   checklist. Two steps were late (the report to the mayor, the check of the backup), every other
 *   step on time; ten of the twelve invited were there. Two findings were raised at the review a
 *   week later, each with its corrective actions, all verified by FY2023.
 * - FY2023 (令和5年度): a functional drill (機能訓練) of the same scenario: the restore from the backup
 *   done for real with the procedure written after FY2022's drill; every step on time.
 * - The current fiscal year: a tabletop drill of the core-system outage, scheduled for January.
 *
 * Times are Tokyo times (`YYYY-MM-DDTHH:mm`). People are named by demo account (`security`, the part
 * of the e-mail address before @) or as the head of a department (`manager:ZEIMU`).
 */
import type { DrillKind } from '../src/response-plan/drill.entity.js';
import type { DrillEventKind } from '../src/response-plan/drill-record.entity.js';
import type { FindingSeverity } from '../src/findings/finding.entity.js';
import type { Role } from '../src/common/roles.js';

/** A demo account (`security`) or a department's head (`manager:ZEIMU`). */
export type DemoPerson = string;

export interface DemoDrillAction {
  description: string;
  /** who does it (a demo person) */
  assignee: DemoPerson;
  dueDate: string;
  /** the day it was reported done, and what was written */
  doneOn: string;
  doneNote: string;
  /** the day the security officer verified it, and what was checked */
  verifiedOn: string;
  verifyNote: string;
}

export interface DemoDrillFinding {
  title: string;
  description: string;
  severity: FindingSeverity;
  /** the department that fixes it (code) */
  owner: string;
  /** control codes it concerns (linked when the catalogue is loaded) */
  controls: string[];
  dueDate: string;
  actions: DemoDrillAction[];
}

export interface DemoDrillRecord {
  startedAt: string;
  finishedAt: string;
  /** the day the paper checklist was entered */
  recordedOn: string;
  /** the invitees who were not there (everyone else invited was) */
  absent: DemoPerson[];
  /** each playbook step done, by position, at a time of the drill's day (HH:mm) */
  steps: { position: number; at: string; note?: string }[];
  events: { kind: DrillEventKind; at: string; text: string }[];
  lessons: string;
  /** findings raised at the review (振り返り会議) on `raisedOn` */
  raisedOn?: string;
  findings?: DemoDrillFinding[];
}

export interface DemoDrill {
  /** the scenario's key (policies/response-plan/scenarios) */
  scenario: string;
  kind: DrillKind;
  title: string;
  /** the day it was scheduled (its invitation went out) */
  scheduledOn: string;
  startsAt: string;
  endsAt: string;
  location: string;
  facilitator: DemoPerson;
  invitees: { roles: Role[]; people: DemoPerson[] };
  /** held: the record from the paper checklist; none: still scheduled */
  record?: DemoDrillRecord;
}

/** The title of the current fiscal year's drill is named by its year. */
export function currentYearDrill(fiscalYear: number, era: string): DemoDrill {
  return {
    scenario: 'core-system-outage',
    kind: 'tabletop',
    title: `${era}度 情報セキュリティ緊急時対応 机上訓練（基幹業務システムの停止）`,
    scheduledOn: `${fiscalYear}-11-04`,
    startsAt: `${fiscalYear + 1}-01-20T14:00`,
    endsAt: `${fiscalYear + 1}-01-20T16:00`,
    location: '本庁舎3階 第1会議室',
    facilitator: 'security',
    invitees: {
      roles: ['ciso', 'security_officer', 'csirt'],
      people: ['admin', 'manager', 'manager:JOHO', 'manager:ZEIMU', 'manager:CHOMIN', 'manager:KENKO'],
    },
  };
}

export const DEMO_DRILLS: DemoDrill[] = [
  {
    scenario: 'ransomware',
    kind: 'tabletop',
    title: '令和4年度 情報セキュリティ緊急時対応 机上訓練（ランサムウェア感染）',
    scheduledOn: '2022-10-03',
    startsAt: '2022-11-10T14:00',
    endsAt: '2022-11-10T16:00',
    location: '本庁舎3階 第1会議室',
    facilitator: 'security',
    invitees: {
      roles: ['ciso', 'security_officer', 'csirt'],
      // the system administrator, the recorder (記録係), 総務課長, and the heads of the offices and divisions in the story
      people: ['admin', 'staff', 'manager', 'manager:JOHO', 'manager:KIKI', 'manager:ZEIMU', 'manager:CHOMIN', 'manager:FUKUSHI', 'manager:KIKAKU'],
    },
    record: {
      startedAt: '2022-11-10T14:00',
      finishedAt: '2022-11-10T16:05',
      recordedOn: '2022-11-11',
      absent: ['manager:FUKUSHI', 'manager:KIKAKU'],
      steps: [
        { position: 1, at: '14:04', note: '税務課長役が端末のLANケーブルを抜いた。電源を切ろうとした職員を止めた' },
        { position: 2, at: '14:13', note: '同じ症状の端末は税務課の2台。影響範囲の記録用紙を使い始めた' },
        { position: 3, at: '14:27', note: 'ファイルサーバの暗号化を確認してL3と判定、副町長に報告' },
        {
          position: 4,
          at: '14:58',
          note: '町長（出張中の想定）の携帯番号が連絡網では旧番号で、秘書経由で報告。対策本部の設置が遅れた',
        },
        { position: 5, at: '14:50', note: '庁内放送の文案を読み上げて確認' },
        {
          position: 6,
          at: '15:46',
          note: 'バックアップ装置の切り離しは確認できたが、最新の世代が暗号化されていないかの確かめ方を知る職員が1名（休暇中の想定）で、手順書もなかった',
        },
        { position: 7, at: '15:38', note: '基幹業務システムの事業者役に電話で確認（異常なし）' },
        { position: 8, at: '15:20', note: '保全の手順を口頭で確認' },
        { position: 9, at: '15:15', note: '県 情報政策課の担当者が連絡網と違い（4月に異動済み）、代表番号からつないでもらった' },
        { position: 10, at: '15:48', note: '町ウェブサイトの掲載文案を確認（机上）' },
        { position: 11, at: '15:52', note: '速報の項目を確認（机上）' },
        { position: 12, at: '15:56', note: '復旧の判断はバックアップの確認結果を待つこととし、手順を口頭で確認' },
        { position: 13, at: '15:59' },
        { position: 14, at: '16:01' },
      ],
      events: [
        { kind: 'inject', at: '14:00', text: '（想定 9:10）税務課の端末で「ファイルが開けない」。画面に身代金を要求する表示' },
        { kind: 'inject', at: '14:18', text: '（想定 9:40）ファイルサーバの税務課・福祉課の共有フォルダも暗号化され始めている' },
        { kind: 'problem', at: '14:40', text: '町長の携帯番号が連絡網では旧番号のまま。秘書経由で連絡した' },
        { kind: 'inject', at: '15:00', text: '（想定 11:30）住民から電話「証明書がもらえないのはなぜか」。窓口に列ができている' },
        { kind: 'problem', at: '15:12', text: '県 情報政策課の担当者が連絡網と違う（4月に異動済み）' },
        { kind: 'problem', at: '15:30', text: '最新のバックアップが無事かを確かめる手順が書かれておらず、分かる職員が1名しかいない' },
        { kind: 'inject', at: '15:40', text: '（想定 翌日 9:00）報道機関から問い合わせ' },
      ],
      lessons: [
        '端末の隔離、L3の判定と副町長への報告、ネットワークの切り離しは目標の時間内にできた。',
        '町長への報告が連絡網の旧番号のため13分遅れた。県の担当者も異動前のままだった。連絡網を年2回（4月・10月）確かめる。',
        'バックアップの確認に目標より16分多くかかった。復旧手順書がなく、確かめられる職員が1名に限られていた。手順書を作り、複数の職員で復元を試す。',
        '窓口の課から、住民への案内文の雛形がほしいとの声があった。',
        '次年度は、バックアップからの復元を実際に行う機能訓練とする。',
      ].join('\n'),
      raisedOn: '2022-11-17',
      findings: [
        {
          title: '夜間・休日の連絡網が古い（県の担当者が異動済み）',
          description:
            '机上訓練（2022年11月10日）で、緊急連絡網の町長の携帯番号が旧番号のままで町長への報告が13分遅れた。県 情報政策課の担当者も4月の異動前のままだった。連絡網を見直す時期と担当が決まっていない。',
          severity: 'medium',
          owner: 'SOMU',
          controls: ['1-04'],
          dueDate: '2023-01-31',
          actions: [
            {
              description:
                '緊急連絡網（町長・副町長・県・県警・セキュリティクラウドの運用事業者・システム事業者）を更新し、毎年4月と10月に確かめることを総務課の事務分掌に加える',
              assignee: 'manager',
              dueDate: '2022-12-28',
              doneOn: '2022-12-22',
              doneNote: '連絡網を更新した（町長の携帯、県 情報政策課・県警の担当者を含む11件）。事務分掌に4月・10月の確認を加えた。',
              verifiedOn: '2023-01-11',
              verifyNote: '更新した連絡網で県 情報政策課と事業者2社に電話し、つながることを確かめた。',
            },
          ],
        },
        {
          title: 'バックアップからの復旧手順書がなく、復旧判断に時間がかかった',
          description:
            '机上訓練（2022年11月10日）で、最新のバックアップが暗号化されていないかの確かめ方と、どの世代から復元するかの判断基準が文書になっておらず、分かる職員が1名だけだった。バックアップの確認は目標90分に対して106分かかった。',
          severity: 'high',
          owner: 'JOHO',
          controls: ['6-03'],
          dueDate: '2023-06-30',
          actions: [
            {
              description: 'バックアップからの復旧手順書（世代の選び方、暗号化されていないことの確かめ方、復旧を決める者）を作成する',
              assignee: 'manager:JOHO',
              dueDate: '2023-02-28',
              doneOn: '2023-02-21',
              doneNote: '復旧手順書 第1版を作成し、情報政策室の全員で読み合わせた。',
              verifiedOn: '2023-03-08',
              verifyNote: '手順書の内容を確認した。復旧を決める者（情報政策室長、不在時は統括情報セキュリティ責任者）が明記されている。',
            },
            {
              description: '手順書に沿って、ファイルサーバの検証用の環境にバックアップから復元するテストを情報政策室の3名で行う',
              assignee: 'csirt',
              dueDate: '2023-06-30',
              doneOn: '2023-06-20',
              doneNote: '3名がそれぞれ手順書どおりに復元し、所要時間（約2時間）を記録した。手順書を第2版に改めた。',
              verifiedOn: '2023-07-05',
              verifyNote: '復元テストの記録と第2版の手順書を確認した。',
            },
          ],
        },
      ],
    },
  },
  {
    scenario: 'ransomware',
    kind: 'functional',
    title: '令和5年度 情報セキュリティ緊急時対応 機能訓練（バックアップからの復旧）',
    scheduledOn: '2023-10-02',
    startsAt: '2023-11-16T13:30',
    endsAt: '2023-11-16T16:30',
    location: '本庁舎2階 サーバ室、3階 第1会議室',
    facilitator: 'security',
    invitees: { roles: ['ciso', 'security_officer', 'csirt'], people: ['admin', 'manager', 'manager:JOHO', 'manager:KIKI', 'manager:ZEIMU'] },
    record: {
      startedAt: '2023-11-16T13:30',
      finishedAt: '2023-11-16T16:20',
      recordedOn: '2023-11-17',
      absent: [],
      steps: [
        { position: 1, at: '13:33' },
        { position: 2, at: '13:42' },
        { position: 3, at: '13:55', note: 'L3と判定し、副町長に報告' },
        { position: 4, at: '14:10', note: '更新した連絡網で町長に直接つながった' },
        { position: 5, at: '14:20' },
        { position: 6, at: '14:45', note: '復旧手順書（第2版）どおりに最新の世代を確かめた' },
        { position: 7, at: '15:15' },
        { position: 8, at: '15:30' },
        { position: 9, at: '15:35', note: '県 情報政策課の担当者に連絡網の番号でつながった' },
        { position: 10, at: '15:50' },
        { position: 11, at: '15:55' },
        { position: 12, at: '16:05', note: '検証用の環境への復元が完了し、税務課長がデータを確認' },
        { position: 13, at: '16:12' },
        { position: 14, at: '16:15' },
      ],
      events: [
        { kind: 'inject', at: '13:30', text: '（想定 9:10）税務課の端末に身代金を要求する画面。ファイルサーバも暗号化されている' },
        { kind: 'inject', at: '14:30', text: '（想定）最新の世代のバックアップの一部が読めない' },
        { kind: 'problem', at: '15:00', text: '一つ前の世代から戻すと前日分の入力がやり直しになることを、税務課への説明で補った' },
      ],
      lessons: [
        '全ての手順が目標の時間内にできた。更新した連絡網で町長、県に直接つながった。',
        '復旧手順書（第2版）どおりに、検証用の環境へ約2時間で復元できた。',
        '前の世代から戻すときに失われる入力を、各課に説明する文案を手順書に加える。',
      ].join('\n'),
    },
  },
];
