/**
 * The demo town's audits, FY2019–FY2022 (seeds/demo-audits.seed.ts writes them): each year an
 * internal audit (内部監査) by the demo auditor (監査委員事務局) with the demo security officer
 * (情報政策室) on the team, over two or three chapters in five departments that are neither of
 * theirs, and a self-inspection (自己点検) of every department on the essential controls, led by the
 * demo security officer and answered by each department's manager.
 *
 * Every item not listed is conformant. Non-conformities raise a finding each; their corrective
 * actions end `verified`, except the few carried over into the current fiscal year (`fate`).
 */
import type { ChecklistResult } from '../src/audits/checklist-item.entity.js';

export type DemoAuditKind = 'internal_audit' | 'self_inspection';

/** Where a finding's corrective action stands now. */
export type DemoActionFate =
  /** done and verified by the auditor (or the security office for a self-inspection) */
  | 'verified'
  /** reported done a few days ago, waiting for the auditor's check */
  | 'done'
  /** reported done, then reopened by the auditor: the fix did not hold */
  | 'reopened'
  /** planned and not done yet (overdue) */
  | 'planned';

export interface DemoAction {
  description: string;
  /** days after the finding was raised that the action is due; `end_of_this_year` = 31 March of the current fiscal year */
  dueDays: number | 'end_of_this_year';
  fate: DemoActionFate;
  /** what the department wrote when it reported the action done */
  doneNote?: string;
  /** what the auditor wrote (verified, or reopened) */
  verifyNote?: string;
  /** done this many days after it was due (late), instead of before */
  lateDays?: number;
}

export interface DemoNonconformity {
  control: string;
  department: string;
  result: Extract<ChecklistResult, 'minor_nonconformity' | 'major_nonconformity'>;
  note: string;
  actions: DemoAction[];
}

export interface DemoRemark {
  control: string;
  department: string;
  note: string;
}

export interface DemoAudit {
  fiscalYear: number;
  kind: DemoAuditKind;
  title: string;
  /** chapters in scope (an internal audit); a self-inspection takes every chapter, essential only */
  chapters?: number[];
  /** department codes in scope (an internal audit); a self-inspection takes every department */
  departments?: string[];
  /** Asia/Tokyo days: planned, and when it started, was answered (first and last day), reported and accepted */
  plannedStart: string;
  plannedEnd: string;
  answeredFrom: string;
  answeredTo: string;
  reported: string;
  accepted: string;
  summary: string;
  acceptanceNote: string;
  nonconformities: DemoNonconformity[];
  observations: DemoRemark[];
  /** not applicable, with the reason (besides the town-wide ones, DEMO_NOT_APPLICABLE) */
  notApplicable?: DemoRemark[];
}

/** Controls the security office and 総務課 carry out for the whole town: not applicable to the other departments. */
export const TOWN_WIDE_CONTROLS = ['1-01', '1-03', '1-04', '3-04', '3-05', '7-03', '7-04', '9-01', '9-04', '9-05'];
export const TOWN_WIDE_DEPARTMENTS = ['SOMU', 'JOHO'];
export const TOWN_WIDE_REASON = '全庁で総務課・情報政策室が実施する事項のため、課としての対策事項はない';

/** Departments with no My Number work (no terminal of the My Number network): 3-01 to 3-03 do not apply. */
export const NO_MY_NUMBER_DEPARTMENTS = ['KIKAKU', 'NOSEI', 'SHOKO', 'TOSHI', 'SHOGAI', 'GIKAI', 'SENKAN', 'KANSA', 'KIKI'];
export const NO_MY_NUMBER_CONTROLS = ['3-01', '3-02', '3-03'];
export const NO_MY_NUMBER_REASON = '課内にマイナンバー利用事務系の端末がなく、特定個人情報を扱う事務もないため対象外';

/** Departments with a server room or server cabinet of their own (4-01 applies to them only). */
export const SERVER_ROOM_DEPARTMENTS = ['JOHO', 'SUIDO', 'ZEIMU'];
export const NO_SERVER_ROOM_REASON = '課内にサーバ室・サーバ機器を設置していないため対象外';

/** 3-06 (α′/β/β′ models): the town uses the α model. */
export const ALPHA_MODEL_REASON = '本町はαモデルを採用しているため対象外';

const verified = (description: string, dueDays: number, doneNote: string, verifyNote: string, lateDays?: number): DemoAction => ({
  description,
  dueDays,
  fate: 'verified',
  doneNote,
  verifyNote,
  ...(lateDays ? { lateDays } : {}),
});

export const DEMO_AUDITS: readonly DemoAudit[] = [
  // ------------------------------------------------------------------ FY2019 令和元年度
  {
    fiscalYear: 2019,
    kind: 'self_inspection',
    title: '令和元年度 情報セキュリティ自己点検',
    plannedStart: '2019-07-01',
    plannedEnd: '2019-08-30',
    answeredFrom: '2019-07-02',
    answeredTo: '2019-08-23',
    reported: '2019-09-06',
    accepted: '2019-09-19',
    summary:
      '全20課・室で必須の対策基準51項目を点検した。研修の未受講、共用パスワードの掲示、退職者アカウントの残存の3件を不適合とし、各課で是正計画を立てた。分類表示の不統一など3件を観察事項とした。',
    acceptanceNote: '不適合3件の是正を年内に完了し、情報セキュリティ委員会に報告すること。',
    nonconformities: [
      {
        control: '5-02',
        department: 'NOSEI',
        result: 'minor_nonconformity',
        note: '情報セキュリティ研修（全職員）の未受講者が課内に4名いる。',
        actions: [
          verified(
            '未受講者4名に期限を示して受講させ、課長が受講状況を確認する。',
            30,
            '4名とも受講を完了した（受講記録を添付）。',
            '受講記録で4名の完了を確認した。',
          ),
        ],
      },
      {
        control: '5-07',
        department: 'SHOKO',
        result: 'minor_nonconformity',
        note: '共用端末のパスワードを付箋に書いてモニターに貼っていた。',
        actions: [
          verified(
            '付箋を撤去し、共用IDを廃止して職員ごとのIDに切り替える。',
            45,
            '共用IDを廃止し、職員5名に個人IDを発行した。',
            '共用IDの無効化と付箋の撤去を現地で確認した。',
          ),
        ],
      },
      {
        control: '6-05',
        department: 'KYOIKU',
        result: 'minor_nonconformity',
        note: '3月末に退職した会計年度任用職員1名のアカウントが削除されていなかった。',
        actions: [
          verified(
            '当該アカウントを削除し、退職・異動時のアカウント削除申請を内示時に行う手順に改める。',
            30,
            'アカウントを削除し、課内の事務手順書を改訂した。',
            'アカウントの削除と手順書の改訂を確認した。',
          ),
        ],
      },
    ],
    observations: [
      { control: '2-02', department: 'SUIDO', note: '紙文書の分類表示が係によって不統一である。表示方法をそろえることが望ましい。' },
      { control: '4-04', department: 'TOSHI', note: '工事現場へ持ち出すノートPCのワイヤーロックが1本不足している。' },
      { control: '5-06', department: 'GIKAI', note: 'インシデント報告ルートの掲示が古い内線番号のままだった。' },
    ],
  },
  {
    fiscalYear: 2019,
    kind: 'internal_audit',
    title: '令和元年度 情報セキュリティ内部監査（情報資産・物理的セキュリティ）',
    chapters: [2, 4],
    departments: ['ZEIMU', 'CHOMIN', 'FUKUSHI', 'KENKO', 'KAIKEI'],
    plannedStart: '2019-10-15',
    plannedEnd: '2019-11-29',
    answeredFrom: '2019-10-16',
    answeredTo: '2019-11-22',
    reported: '2019-12-13',
    accepted: '2019-12-26',
    summary:
      '5課を対象に情報資産の管理と物理的セキュリティを監査した。媒体管理の重大な不適合1件、入退室記録・画面ロック・資産台帳の軽微な不適合3件を指摘した。窓口部門では画面ロックの徹底が課題である。',
    acceptanceNote: '指摘事項の是正状況を次年度の監査で確認すること。',
    nonconformities: [
      {
        control: '4-02',
        department: 'FUKUSHI',
        result: 'minor_nonconformity',
        note: '書庫（管理区域）の入退室記録に記入漏れが3件あった（9月分）。',
        actions: [
          verified(
            '入退室記録簿の記入を入室時に徹底するよう課内で周知し、月末に係長が記録を確認する。',
            30,
            '課内会議で周知し、10月分から係長の確認欄を設けた。',
            '10月・11月分の記録に漏れがないことを確認した。',
          ),
        ],
      },
      {
        control: '2-04',
        department: 'ZEIMU',
        result: 'major_nonconformity',
        note: '廃棄予定のUSBメモリ5本が未施錠の引出しに保管され、媒体管理台帳にも記載がなかった。',
        actions: [
          verified(
            'USBメモリを台帳に登録して施錠保管し、不要なものは情報政策室でデータを消去したうえで廃棄する。',
            60,
            '5本を台帳に登録し、うち4本は消去証明を取って廃棄した。',
            '台帳、消去証明書及び施錠保管を確認した。',
          ),
        ],
      },
      {
        control: '4-04',
        department: 'CHOMIN',
        result: 'minor_nonconformity',
        note: '窓口カウンター内の端末2台で、離席時の画面ロックが設定されていなかった。',
        actions: [
          verified(
            '全端末に5分で画面ロックがかかるよう設定し、離席時のロック操作を課内で周知する。',
            30,
            '全12台の設定を変更した。',
            '窓口端末の設定を抜き取りで確認した。',
          ),
        ],
      },
      {
        control: '2-01',
        department: 'KENKO',
        result: 'minor_nonconformity',
        note: '情報資産台帳が平成29年度から更新されておらず、健康管理システム更新後の機器が記載されていない。',
        actions: [
          verified(
            '情報資産台帳を現況に合わせて更新し、以後は毎年4月に見直す。',
            60,
            '台帳を更新し、情報政策室へ提出した。',
            '更新後の台帳と機器の現物を照合した。',
            12,
          ),
        ],
      },
    ],
    observations: [
      { control: '2-02', department: 'KAIKEI', note: '機密性2以上の文書に分類の表示がないものが一部あった。表示の徹底が望ましい。' },
      { control: '4-05', department: 'ZEIMU', note: '複合機のリース返却時のデータ消去証明書は保管されていたが、所在が担当者しか分からない状態であった。' },
    ],
  },
  // ------------------------------------------------------------------ FY2020 令和2年度
  {
    fiscalYear: 2020,
    kind: 'self_inspection',
    title: '令和2年度 情報セキュリティ自己点検',
    plannedStart: '2020-07-01',
    plannedEnd: '2020-08-31',
    answeredFrom: '2020-07-06',
    answeredTo: '2020-08-25',
    reported: '2020-09-08',
    accepted: '2020-09-24',
    summary:
      '全20課・室で必須の対策基準を点検した。のぞき見防止フィルターの未装着、媒体の台帳未登録、誓約書の未提出、異動者のアクセス権残存の4件を不適合とした。テレワーク開始に伴う持出し端末の管理は概ね良好であった。',
    acceptanceNote: '異動時のアクセス権変更は全庁的な課題として次年度の内部監査の重点とすること。',
    nonconformities: [
      {
        control: '4-04',
        department: 'CHOMIN',
        result: 'minor_nonconformity',
        note: '窓口の端末2台にのぞき見防止フィルターが装着されていなかった。',
        actions: [verified('のぞき見防止フィルターを購入し装着する。', 30, '2台に装着した。', '装着を現地で確認した。')],
      },
      {
        control: '2-04',
        department: 'KENKO',
        result: 'minor_nonconformity',
        note: '健診機関とのデータ受渡しに使用したUSBメモリ2本が媒体管理台帳に未登録だった。',
        actions: [
          verified(
            'USBメモリを台帳に登録し、受渡しは暗号化機能付きの媒体に限る。',
            30,
            '台帳に登録し、暗号化USBメモリに切り替えた。',
            '台帳への登録を確認した。',
          ),
        ],
      },
      {
        control: '5-01',
        department: 'SHOGAI',
        result: 'minor_nonconformity',
        note: '会計年度任用職員5名の誓約書が未提出だった。',
        actions: [verified('5名から誓約書を徴収し、任用時の書類に誓約書を加える。', 30, '5名分を徴収した。', '誓約書5名分を確認した。')],
      },
      {
        control: '6-05',
        department: 'FUKUSHI',
        result: 'minor_nonconformity',
        note: '人事異動後もグループフォルダへのアクセス権が旧所属のまま残っている職員が2名いた。',
        actions: [verified('2名のアクセス権を変更し、異動時に課長がフォルダ権限を確認する。', 30, 'アクセス権を変更した。', '権限設定の変更を確認した。')],
      },
    ],
    observations: [
      { control: '7-02', department: 'SOMU', note: '課内の遵守状況の確認を年1回から半期ごとにすることが望ましい。' },
      { control: '2-03', department: 'NOSEI', note: '農地台帳の紙資料を机上に置いたまま退庁している例があった。' },
    ],
  },
  {
    fiscalYear: 2020,
    kind: 'internal_audit',
    title: '令和2年度 情報セキュリティ内部監査（人的・技術的セキュリティ）',
    chapters: [5, 6],
    departments: ['KODOMO', 'KYOIKU', 'SUIDO', 'TOSHI', 'ZAISEI'],
    plannedStart: '2020-10-19',
    plannedEnd: '2020-12-04',
    answeredFrom: '2020-10-20',
    answeredTo: '2020-11-27',
    reported: '2021-01-15',
    accepted: '2021-01-28',
    summary:
      '5課を対象に人的・技術的セキュリティを監査した。アクセス権限の定期見直しが行われていない重大な不適合1件のほか、研修記録、更新プログラムの適用、ICカードの管理について軽微な不適合3件を指摘した。',
    acceptanceNote: 'アクセス権限の見直し手順を全庁に展開すること。',
    nonconformities: [
      {
        control: '6-01',
        department: 'KODOMO',
        result: 'major_nonconformity',
        note: '子ども・子育て支援システムで、異動した職員3名のアクセス権限が残っていた。年1回の権限見直しが行われていない。',
        actions: [
          verified(
            '不要な権限を削除し、毎年4月と10月に課長が権限一覧を確認して情報政策室へ報告する。',
            60,
            '3名の権限を削除し、4月・10月の確認を課の年間予定に入れた。',
            '権限一覧と確認記録を確認した。',
          ),
        ],
      },
      {
        control: '5-02',
        department: 'SUIDO',
        result: 'minor_nonconformity',
        note: '令和元年度の全職員研修の受講記録のうち2名分が確認できなかった。',
        actions: [verified('2名の受講状況を確認し、未受講であれば受講させる。', 30, '2名とも受講させた。', '受講記録を確認した。')],
      },
      {
        control: '6-07',
        department: 'TOSHI',
        result: 'minor_nonconformity',
        note: 'CAD用端末1台でOSの更新プログラムが半年間適用されていなかった。',
        actions: [
          verified(
            '更新プログラムを適用し、CAD端末を資産管理ツールの配信対象に加える。',
            30,
            '更新プログラムを適用し、配信対象に登録した。',
            '適用状況を資産管理ツールで確認した。',
            20,
          ),
        ],
      },
      {
        control: '5-07',
        department: 'KYOIKU',
        result: 'minor_nonconformity',
        note: 'ICカードを端末に挿したまま離席している職員が2名見られた。',
        actions: [verified('離席時にICカードを抜くことを課内で周知し、ストラップを配布する。', 30, '周知し、ストラップを配布した。', '抜き打ちで確認した。')],
      },
    ],
    observations: [
      { control: '6-04', department: 'ZAISEI', note: '財務会計システムの特権IDのパスワード変更記録が残っていない期間がある。' },
      { control: '5-04', department: 'KODOMO', note: '個人情報を扱う職員向けの研修の受講が課内の一部職員に限られている。' },
    ],
  },
  // ------------------------------------------------------------------ FY2021 令和3年度
  {
    fiscalYear: 2021,
    kind: 'self_inspection',
    title: '令和3年度 情報セキュリティ自己点検',
    plannedStart: '2021-07-01',
    plannedEnd: '2021-08-31',
    answeredFrom: '2021-07-05',
    answeredTo: '2021-08-24',
    reported: '2021-09-07',
    accepted: '2021-09-22',
    summary: '全20課・室で必須の対策基準を点検した。研修の未受講、ログの保存期間不足、媒体の未消去廃棄の3件を不適合とした。不適合の件数は前年度から減少した。',
    acceptanceNote: '了承する。',
    nonconformities: [
      {
        control: '5-02',
        department: 'KIKAKU',
        result: 'minor_nonconformity',
        note: '全職員研修の未受講者が2名いる（うち1名は長期研修派遣中）。',
        actions: [verified('派遣中の1名は免除の手続をとり、もう1名は受講させる。', 30, '1名受講、1名免除とした。', '受講記録と免除の理由を確認した。')],
      },
      {
        control: '6-02',
        department: 'SUIDO',
        result: 'minor_nonconformity',
        note: '水道料金システムの操作ログを3か月分しか保存していない（規程は1年以上）。',
        actions: [
          verified('保存期間を1年に設定変更し、委託先にログの保管を依頼する。', 60, 'システムの設定を変更した。', '設定画面とログの保存状況を確認した。'),
        ],
      },
      {
        control: '4-05',
        department: 'TOSHI',
        result: 'minor_nonconformity',
        note: '故障したデジタルカメラのSDカードを消去せずに廃棄業者へ引き渡していた。',
        actions: [
          verified('廃棄業者に当該SDカードの破砕証明を求め、以後は媒体を抜いて情報政策室で消去する。', 30, '破砕証明書を受領した。', '証明書を確認した。'),
        ],
      },
    ],
    observations: [
      { control: '5-06', department: 'KIKI', note: '夜間・休日の連絡先一覧が1名分古いままだった。' },
      { control: '6-06', department: 'GIKAI', note: '議会中継用PCのウイルス定義ファイルの更新が手動になっている。' },
    ],
  },
  {
    fiscalYear: 2021,
    kind: 'internal_audit',
    title: '令和3年度 情報セキュリティ内部監査（情報システム・物理的セキュリティ・外部委託）',
    chapters: [3, 4, 8],
    departments: ['ZEIMU', 'FUKUSHI', 'CHOMIN', 'SHOKO', 'KENKO'],
    plannedStart: '2021-10-11',
    plannedEnd: '2021-11-26',
    answeredFrom: '2021-10-12',
    answeredTo: '2021-11-19',
    reported: '2021-12-17',
    accepted: '2022-01-12',
    summary:
      '5課を対象に情報システムの分離、物理的セキュリティ及び外部委託を監査した。税務課書庫の入退室管理が行われていない重大な不適合1件と、委託先報告の未受領など軽微な不適合3件を指摘した。',
    acceptanceNote: '書庫の入退室管理装置は予算要求の結果を委員会に報告すること。',
    nonconformities: [
      {
        control: '4-02',
        department: 'ZEIMU',
        result: 'major_nonconformity',
        note: '税務課の書庫（管理区域）は共通鍵で施錠しているが、入退室の記録がなく、鍵の貸出しも管理されていない。',
        actions: [
          verified('鍵の貸出簿を設け、書庫の入退室を記録する（暫定措置）。', 30, '貸出簿と入退室記録簿の運用を開始した。', '12月分の記録を確認した。'),
          {
            description: '書庫の扉にICカード式の入退室管理装置を設置する（予算要求中）。',
            dueDays: 'end_of_this_year',
            fate: 'planned',
          },
        ],
      },
      {
        control: '8-02',
        department: 'SHOKO',
        result: 'minor_nonconformity',
        note: '観光案内サイトの運用委託先から、契約で定めた年次のセキュリティ対策報告書を受領していなかった。',
        actions: [verified('委託先に報告書の提出を求め、内容を確認する。', 30, '報告書を受領し、内容を確認した。', '報告書を確認した。')],
      },
      {
        control: '3-03',
        department: 'FUKUSHI',
        result: 'minor_nonconformity',
        note: 'マイナンバー利用事務系端末からの媒体持出しの申請記録に、承認者の押印漏れが2件あった。',
        actions: [verified('持出しの承認を課長が必ず行うよう手順を徹底する。', 30, '課内で周知した。', '以後の申請記録に漏れがないことを確認した。')],
      },
      {
        control: '4-04',
        department: 'KENKO',
        result: 'minor_nonconformity',
        note: '会議室に持ち出したノートPCが施錠されずに放置されていた。',
        actions: [verified('持出し端末は施錠保管することを周知する。', 30, '周知した。', '確認した。')],
      },
    ],
    observations: [
      { control: '8-01', department: 'CHOMIN', note: 'ごみ収集アプリの委託契約に、再委託の事前承認条項がない。次回更新時に追加されたい。' },
      { control: '3-02', department: 'ZEIMU', note: '二要素認証のICカードを共有の引出しに保管している。各自の管理が望ましい。' },
    ],
  },
  // ------------------------------------------------------------------ FY2022 令和4年度
  {
    fiscalYear: 2022,
    kind: 'self_inspection',
    title: '令和4年度 情報セキュリティ自己点検',
    plannedStart: '2022-07-01',
    plannedEnd: '2022-08-31',
    answeredFrom: '2022-07-04',
    answeredTo: '2022-08-26',
    reported: '2022-09-09',
    accepted: '2022-09-21',
    summary:
      '全20課・室で必須の対策基準を点検した。任用終了者のアカウント残存、画面ロック時間の設定誤り、媒体台帳の棚卸し未実施、研修未受講の4件を不適合とした。',
    acceptanceNote: 'アカウントの削除漏れは早急に是正すること。',
    nonconformities: [
      {
        control: '6-05',
        department: 'KODOMO',
        result: 'minor_nonconformity',
        note: '保育所の臨時職員2名のアカウントが任用終了後も有効だった。',
        actions: [{ description: '2名のアカウントを削除し、任用終了時の削除を保育所長が確認する。', dueDays: 30, fate: 'planned' }],
      },
      {
        control: '4-04',
        department: 'CHOMIN',
        result: 'minor_nonconformity',
        note: '窓口端末の画面ロック時間が15分に設定されていた（規程は5分）。',
        actions: [verified('画面ロックを5分に設定し直す。', 14, '全端末を5分に設定した。', '設定を確認した。')],
      },
      {
        control: '2-04',
        department: 'NOSEI',
        result: 'minor_nonconformity',
        note: 'USBメモリ管理台帳の棚卸しが年度内に行われていない。',
        actions: [verified('棚卸しを行い、結果を台帳に記録する。', 30, '棚卸しを実施した（差異なし）。', '棚卸しの記録を確認した。')],
      },
      {
        control: '5-02',
        department: 'SHOKO',
        result: 'minor_nonconformity',
        note: '全職員研修の未受講者が1名いる。',
        actions: [verified('未受講者を受講させる。', 30, '受講を完了した。', '受講記録を確認した。')],
      },
    ],
    observations: [
      { control: '6-01', department: 'KAIKEI', note: '財務会計システムの権限見直しの結果を文書で残すことが望ましい。' },
      { control: '4-02', department: 'SUIDO', note: '浄水場監視室の入退室記録に委託業者の記入がない日が1日あった（業者に確認し入室なしと判明）。' },
    ],
  },
  {
    fiscalYear: 2022,
    kind: 'internal_audit',
    title: '令和4年度 情報セキュリティ内部監査（情報資産・人的セキュリティ・運用）',
    chapters: [2, 5, 7],
    departments: ['SOMU', 'ZAISEI', 'KENKO', 'KYOIKU', 'SHOGAI'],
    plannedStart: '2022-10-17',
    plannedEnd: '2022-12-02',
    answeredFrom: '2022-10-18',
    answeredTo: '2022-11-25',
    reported: '2022-12-23',
    accepted: '2023-01-20',
    summary:
      '5課を対象に情報資産、人的セキュリティ及び運用を監査した。特定個人情報の取扱者名簿の未更新（重大）1件と、持出し記録・初期パスワード・分類表示・例外措置の記録について軽微な不適合4件を指摘した。',
    acceptanceNote: '健康推進課の取扱者名簿の是正を最優先とすること。',
    nonconformities: [
      {
        control: '2-05',
        department: 'KENKO',
        result: 'major_nonconformity',
        note: '予防接種台帳（特定個人情報を含む）を扱う事務の取扱者名簿が更新されておらず、異動した職員2名が記載されたままだった。',
        actions: [
          {
            description: '取扱者名簿を更新し、人事異動の都度、課長が名簿を更新する手順を定める。',
            dueDays: 60,
            fate: 'done',
            doneNote: '名簿を更新し、手順書を定めた（手順書を添付）。',
          },
        ],
      },
      {
        control: '7-02',
        department: 'KYOIKU',
        result: 'minor_nonconformity',
        note: '学校から持ち帰った校務用PCの持出し記録に、返却日の記入漏れが6件あった。',
        actions: [
          {
            description: '持出し記録簿の様式を改め、返却時に確認者欄に押印する。',
            dueDays: 45,
            fate: 'reopened',
            doneNote: '様式を改め、1月から運用している。',
            verifyNote: '様式は改められたが、2月分にも返却日の記入漏れが2件あった。運用の定着を確認するまで継続とする。',
          },
        ],
      },
      {
        control: '5-07',
        department: 'SOMU',
        result: 'minor_nonconformity',
        note: '総務課の共用プリンタの管理者パスワードが初期値のままだった。',
        actions: [verified('管理者パスワードを変更し、情報政策室で管理する。', 14, '変更した。', '初期パスワードでログインできないことを確認した。')],
      },
      {
        control: '2-02',
        department: 'ZAISEI',
        result: 'minor_nonconformity',
        note: '予算査定資料（機密性2）を分類表示なしで庁内共有フォルダに置いていた。',
        actions: [verified('資料に分類を表示し、アクセス権を財政課に限る。', 30, '表示し、アクセス権を変更した。', '確認した。')],
      },
      {
        control: '7-06',
        department: 'SHOGAI',
        result: 'minor_nonconformity',
        note: '図書館の利用者用PCでUSBメモリの利用を許可しているが、例外措置の申請・承認の記録がない。',
        actions: [verified('例外措置の申請を行い、承認を得て台帳に記録する。', 30, '申請し、CISOの承認を得た。', '例外措置台帳への記載を確認した。')],
      },
    ],
    observations: [
      { control: '5-04', department: 'SOMU', note: '管理職向け研修の受講状況を課内会議で報告している点は良好。対象を係長級に広げることが望ましい。' },
      { control: '7-05', department: 'KENKO', note: '緊急時対応訓練に課から参加していない年があった。' },
    ],
  },
];
