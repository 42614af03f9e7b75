/**
 * The demo town's incidents and near misses, FY2019 to now (seeds/demo-incidents.seed.ts writes
 * them). Past fiscal years' dates are fixed; this year's are days before the day of the seed. Each
 * story is what the CSIRT did after the report, in minutes after it.
 */
import type { AffectedSystem, IncidentCategory, IncidentStatus, PersonalDataInvolvement, Severity } from '../src/incidents/incident.entity.js';
import type { ExternalRecipient, ExternalReportKind, ReportTrigger } from '../src/incidents/external-report.entity.js';

/** One step of the response, `after` minutes after the report, by the demo CSIRT account. */
export type DemoStep =
  | { after: number; kind: 'acknowledgement'; text?: string }
  | { after: number; kind: 'note' | 'action'; text: string }
  | { after: number; kind: 'contact'; text: string; contact: string }
  | { after: number; kind: 'transition'; to: IncidentStatus; text: string };

export interface DemoExternalReport {
  recipient: ExternalRecipient;
  kind: ExternalReportKind;
  triggers: ReportTrigger[];
  /** due this many days after detection */
  dueDays: number;
  /** sent this many minutes after the report */
  sentAfter: number;
  sentTo: string;
  sentVia: string;
}

export interface DemoIncident {
  /** unique among the demo's incidents: a second seed run knows it by its title */
  title: string;
  description: string;
  /** when reported: Asia/Tokyo date and time of a past fiscal year, or days before the seed's day at a time */
  reported: string | { daysAgo: number; at: string };
  /** it happened this many minutes before it was reported */
  occurredBefore: number;
  /** `staff` (a demo account, by its address's local part) or a department code: its first active generated member (`FUKUSHI#2`: the third) */
  reporter: string;
  system?: string;
  networkZone?: 'my_number' | 'lgwan' | 'internet' | 'cloud' | 'unknown';
  nearMiss?: boolean;
  personalDataSuspected?: boolean;
  affectedPeople?: number;
  // triage
  severity: Severity;
  category: IncidentCategory;
  personalData?: PersonalDataInvolvement;
  affectedSystems?: AffectedSystem[];
  /** where it stands now (the last transition of `steps`; `reported` when there is none) */
  status: IncidentStatus;
  steps: DemoStep[];
  review?: { after: number; cause: string; whatWorked: string; whatDidNot: string; lessons: string };
  externalReports?: DemoExternalReport[];
}

const LGWAN_MAIL = 'LGWAN メール';
const DAY = 24 * 60;

/** A suspicious mail nobody opened: reported, recorded as a near miss (L0) and closed the same day. */
function suspiciousMail(title: string, reported: DemoIncident['reported'], reporter: string, subject: string): DemoIncident {
  return {
    title,
    description: `件名「${subject}」のメールが届きました。差出人に心当たりがなく、添付ファイルは開いていません。`,
    reported,
    occurredBefore: 20,
    reporter,
    system: LGWAN_MAIL,
    networkZone: 'lgwan',
    nearMiss: true,
    severity: 'L0',
    category: 'targeted_mail',
    status: 'closed',
    steps: [
      { after: 25, kind: 'transition', to: 'triaged', text: 'ヒヤリハットとして記録（開封なし）' },
      { after: 40, kind: 'action', text: '同じ差出人からのメールを全庁で受信拒否に設定し、掲示板で注意喚起した' },
      { after: 60, kind: 'transition', to: 'closed', text: '被害なし。注意喚起を済ませたため終了' },
    ],
  };
}

export const DEMO_INCIDENTS: readonly DemoIncident[] = [
  // FY2019
  {
    title: '健診結果通知の誤封入（3名）',
    description: '特定健診の結果通知を封入する際、別の方の結果を同封して郵送したと、受け取った方から電話がありました。',
    reported: '2019-07-10T10:20',
    occurredBefore: 5 * DAY,
    reporter: 'KENKO',
    personalDataSuspected: true,
    affectedPeople: 3,
    severity: 'L1',
    category: 'information_leak',
    personalData: { involved: true, affectedPeople: 3, sensitive: false, myNumber: false, financialHarm: false, unlawfulPurpose: false },
    status: 'closed',
    steps: [
      { after: 30, kind: 'acknowledgement', text: '確認しました。対応します' },
      { after: 90, kind: 'transition', to: 'triaged', text: '郵送物の誤封入。健診結果（要配慮ではない範囲）3名分' },
      { after: 240, kind: 'contact', text: '誤って届いた方を訪問し、通知を回収した', contact: '受け取った住民の方' },
      { after: 300, kind: 'transition', to: 'contained', text: '誤送付した通知を全て回収' },
      { after: 2 * DAY, kind: 'contact', text: '情報が記載されていた3名に経緯を説明し謝罪した', contact: '本人（3名）' },
      { after: 7 * DAY, kind: 'transition', to: 'recovered', text: '封入時の二人確認を手順に追加' },
      { after: 10 * DAY, kind: 'transition', to: 'closed', text: '再発防止策の実施を確認して終了' },
    ],
  },
  suspiciousMail('不審なメールを受信（件名：請求書送付のお知らせ）', '2019-11-18T09:05', 'SOMU', '請求書送付のお知らせ'),
  // FY2020
  {
    title: 'Emotet とみられる添付ファイルの実行',
    description: '取引先を名乗るメールの添付ファイル（Word）を開き、「コンテンツの有効化」を押しました。その後、端末の動作が遅くなりました。',
    reported: '2020-09-03T14:40',
    occurredBefore: 40,
    reporter: 'CHOMIN',
    system: 'インターネット閲覧端末',
    networkZone: 'internet',
    severity: 'L2',
    category: 'malware',
    affectedSystems: [{ name: 'インターネット閲覧端末（町民環境課）', zone: 'internet', classification: null }],
    personalData: { involved: false, affectedPeople: null },
    status: 'closed',
    steps: [
      { after: 10, kind: 'acknowledgement', text: '端末をLANから外すよう指示しました' },
      { after: 20, kind: 'action', text: '当該端末のLANケーブルを抜き、ネットワークから切り離した' },
      { after: 60, kind: 'transition', to: 'triaged', text: 'Emotet の感染が疑われる。アドレス帳の流出による二次被害に注意' },
      { after: 180, kind: 'transition', to: 'contained', text: '当該端末を隔離。同じメールを受信した職員なし' },
      { after: 2 * DAY, kind: 'contact', text: 'セキュリティクラウドの運用窓口に相談し、通信ログの確認を依頼した', contact: '県セキュリティクラウド運用窓口' },
      { after: 3 * DAY, kind: 'transition', to: 'eradicated', text: '端末を初期化し、OSを再導入' },
      { after: 4 * DAY, kind: 'transition', to: 'recovered', text: '端末を業務に戻した。なりすましメールへの注意をホームページで告知' },
      { after: 20 * DAY, kind: 'transition', to: 'closed', text: '事後レビューを終え、マクロの既定無効化を全端末に適用' },
    ],
    review: {
      after: 18 * DAY,
      cause: 'マクロ付き文書を開き、コンテンツを有効化したこと。マクロが既定で実行できる設定だった。',
      whatWorked: '報告から10分で端末をネットワークから外せた。',
      whatDidNot: '同じ差出人のメールを全庁で止めるまでに半日かかった。',
      lessons: 'マクロを既定で無効にし、添付ファイルの無害化を導入する。',
    },
  },
  suspiciousMail('不審なメールを受信（件名：【重要】アカウントの確認）', '2020-11-10T11:30', 'KODOMO', '【重要】アカウントの確認'),
  // FY2021
  {
    title: 'メールの誤送信（宛先間違い・1名）',
    description: '介護サービス事業所あての連絡メールを、名前の似た別の事業所に送ってしまいました。利用者1名の氏名が書かれています。',
    reported: '2021-07-14T16:10',
    occurredBefore: 30,
    reporter: 'FUKUSHI',
    system: LGWAN_MAIL,
    networkZone: 'lgwan',
    personalDataSuspected: true,
    affectedPeople: 1,
    severity: 'L1',
    category: 'mis_sent_mail',
    personalData: { involved: true, affectedPeople: 1, sensitive: false, myNumber: false, financialHarm: false, unlawfulPurpose: false },
    status: 'closed',
    steps: [
      { after: 15, kind: 'acknowledgement' },
      { after: 40, kind: 'transition', to: 'triaged', text: '宛先間違いによる誤送信（1名）' },
      { after: 70, kind: 'contact', text: '誤送信先の事業所にメールの削除を依頼し、削除の報告を受けた', contact: '誤送信先の事業所' },
      { after: 75, kind: 'transition', to: 'contained', text: '誤送信先で削除を確認' },
      { after: DAY, kind: 'transition', to: 'recovered', text: '本人に説明し謝罪した' },
      { after: 5 * DAY, kind: 'transition', to: 'closed', text: '送信前の宛先確認を課内で再周知して終了' },
    ],
  },
  {
    title: 'ホームページに接続しにくい（大量アクセス）',
    description: '町のホームページが表示されない、または非常に遅いという問合せが続いています。',
    reported: '2021-12-01T10:05',
    occurredBefore: 60,
    reporter: 'KIKAKU',
    system: 'ホームページ',
    networkZone: 'internet',
    severity: 'L1',
    category: 'denial_of_service',
    affectedSystems: [{ name: '町ホームページ（CMS）', zone: 'internet', classification: null }],
    status: 'closed',
    steps: [
      { after: 10, kind: 'acknowledgement' },
      { after: 30, kind: 'transition', to: 'triaged', text: '海外からの大量アクセス。改ざんの形跡なし' },
      { after: 90, kind: 'contact', text: 'ホスティング事業者に海外からのアクセス制限を依頼した', contact: 'ホスティング事業者' },
      { after: 150, kind: 'transition', to: 'contained', text: 'アクセス制限により表示が回復' },
      { after: 3 * DAY, kind: 'transition', to: 'recovered', text: '状況が落ち着いたため制限を段階的に解除' },
      { after: 7 * DAY, kind: 'transition', to: 'closed', text: '再発時の連絡手順を事業者と確認して終了' },
    ],
  },
  suspiciousMail('不審なメールを受信（件名：荷物のお届けについて）', '2022-02-08T08:50', 'TOSHI', '荷物のお届けについて'),
  // FY2022
  {
    title: '取引先を装ったメールの添付ファイルを開いた',
    description: 'いつもやりとりのある業者名のメールの添付ファイル（ZIP）を開きました。中のファイルは開いていませんが心配です。',
    reported: '2022-05-17T13:25',
    occurredBefore: 15,
    reporter: 'NOSEI',
    system: 'インターネット閲覧端末',
    networkZone: 'internet',
    severity: 'L1',
    category: 'targeted_mail',
    affectedSystems: [{ name: 'インターネット閲覧端末（農政課）', zone: 'internet', classification: null }],
    status: 'closed',
    steps: [
      { after: 8, kind: 'acknowledgement', text: '端末をネットワークから外してください' },
      { after: 12, kind: 'action', text: '端末をネットワークから切り離した' },
      { after: 45, kind: 'transition', to: 'triaged', text: '標的型メール。ZIP内の実行ファイルは未実行' },
      { after: 120, kind: 'action', text: 'ウイルス対策ソフトで全体を検査し、検知なしを確認した' },
      { after: 130, kind: 'transition', to: 'contained', text: '感染の形跡なし' },
      { after: DAY, kind: 'transition', to: 'recovered', text: '端末を業務に戻した' },
      { after: 3 * DAY, kind: 'transition', to: 'closed', text: '業者に送信元の確認を依頼し、なりすましと判明。終了' },
    ],
  },
  {
    title: '保育所入所案内メールを BCC でなく TO で送信（12名）',
    description: '保育所の入所説明会の案内メールを、保護者12名に BCC ではなく TO で送ってしまい、互いのメールアドレスが見える状態です。',
    reported: '2022-08-24T17:05',
    occurredBefore: 25,
    reporter: 'KODOMO',
    system: LGWAN_MAIL,
    networkZone: 'lgwan',
    personalDataSuspected: true,
    affectedPeople: 12,
    severity: 'L1',
    category: 'mis_sent_mail',
    personalData: { involved: true, affectedPeople: 12, sensitive: false, myNumber: false, financialHarm: false, unlawfulPurpose: false },
    status: 'closed',
    steps: [
      { after: 20, kind: 'acknowledgement' },
      { after: 50, kind: 'transition', to: 'triaged', text: 'メールアドレス12名分の漏えい。報告対象の要件には当たらない' },
      { after: 18 * 60, kind: 'contact', text: '12名全員に経緯を説明し、メールの削除をお願いした', contact: '保護者（12名）' },
      { after: 19 * 60, kind: 'transition', to: 'contained', text: '全員から削除の返信を受けた' },
      { after: 3 * DAY, kind: 'transition', to: 'recovered', text: '一斉送信はメール配信システムを使うよう課内で統一' },
      { after: 10 * DAY, kind: 'transition', to: 'closed', text: '対策の定着を確認して終了' },
    ],
  },
  {
    title: 'USBメモリの紛失（生涯学習講座の受講者名簿 230名）',
    description:
      '講座の会場から戻った後、受講者名簿（氏名・住所・電話番号 230名分）を保存したUSBメモリが見当たりません。会場と公用車を探しましたが見つかりません。',
    reported: '2022-10-06T09:15',
    occurredBefore: 17 * 60,
    reporter: 'SHOGAI',
    personalDataSuspected: true,
    affectedPeople: 230,
    severity: 'L2',
    category: 'lost_device',
    affectedSystems: [{ name: '持ち出し用USBメモリ（暗号化なし）', zone: 'unknown', classification: null }],
    personalData: { involved: true, affectedPeople: 230, sensitive: false, myNumber: false, financialHarm: false, unlawfulPurpose: false },
    status: 'closed',
    steps: [
      { after: 12, kind: 'acknowledgement', text: '情報政策室で対応します' },
      { after: 60, kind: 'transition', to: 'triaged', text: '個人データ230名分の紛失。100人を超えるため個人情報保護委員会への報告対象' },
      { after: 120, kind: 'contact', text: '会場の公民館と警察署に遺失届を出した', contact: '守町警察署' },
      { after: 2 * DAY, kind: 'transition', to: 'contained', text: '持ち出し記録を確認し、他に持ち出された媒体がないことを確認' },
      { after: 3 * DAY, kind: 'contact', text: '受講者230名に経緯を説明する文書を郵送した', contact: '受講者（230名）' },
      { after: 5 * DAY, kind: 'transition', to: 'eradicated', text: '暗号化されていないUSBメモリの使用を禁止' },
      { after: 14 * DAY, kind: 'transition', to: 'recovered', text: '暗号化USBメモリを配備し、持ち出し申請を電子化' },
      { after: 40 * DAY, kind: 'transition', to: 'closed', text: '確報の提出と事後レビューを終えて終了' },
    ],
    review: {
      after: 35 * DAY,
      cause: '暗号化されていないUSBメモリに名簿を保存して持ち出し、会場で置き忘れたとみられる。',
      whatWorked: '報告が翌朝にあり、当日中に遺失届と委員会への速報の準備ができた。',
      whatDidNot: '持ち出しの記録が紙で、何が持ち出されていたかの確認に2日かかった。',
      lessons: '持ち出しは暗号化媒体に限り、申請と返却を電子で記録する。名簿は必要最小限の項目にする。',
    },
    externalReports: [
      {
        recipient: 'ppc',
        kind: 'preliminary',
        triggers: ['over_100_people'],
        dueDays: 3,
        sentAfter: 2 * DAY,
        sentTo: '個人情報保護委員会',
        sentVia: '個人情報保護委員会ウェブサイトの報告フォーム',
      },
      {
        recipient: 'ppc',
        kind: 'final',
        triggers: ['over_100_people'],
        dueDays: 30,
        sentAfter: 27 * DAY,
        sentTo: '個人情報保護委員会',
        sentVia: '個人情報保護委員会ウェブサイトの報告フォーム',
      },
      { recipient: 'prefecture', kind: 'notice', triggers: ['severity'], dueDays: 3, sentAfter: DAY, sentTo: '県 市町村課', sentVia: 'メール' },
    ],
  },
  suspiciousMail('不審なメールを受信（件名：給与明細の確認）', '2022-06-02T08:40', 'ZEIMU', '給与明細の確認'),
  suspiciousMail('不審なメールを受信（件名：Microsoft 365 パスワードの有効期限）', '2022-07-21T10:15', 'KAIKEI', 'Microsoft 365 パスワードの有効期限'),
  suspiciousMail('不審なメールを受信（件名：ご注文の確認）', '2022-09-12T15:45', 'SUIDO', 'ご注文の確認'),
  suspiciousMail('不審なメールを受信（件名：会議資料の送付）', '2022-12-05T09:30', 'KIKAKU', '会議資料の送付'),
  suspiciousMail('不審なメールを受信（件名：未払い料金のお知らせ）', '2023-02-14T11:10', 'staff', '未払い料金のお知らせ'),
  // FY2023
  {
    title: '公用スマートフォンの紛失（翌日発見）',
    description: '外出先から戻ったところ、公用スマートフォンがありません。最後に使ったのは訪問先の駐車場です。',
    reported: '2023-06-02T17:40',
    occurredBefore: 120,
    reporter: 'ZAISEI',
    severity: 'L1',
    category: 'lost_device',
    affectedSystems: [{ name: '公用スマートフォン', zone: 'cloud', classification: null }],
    status: 'closed',
    steps: [
      { after: 10, kind: 'acknowledgement' },
      { after: 20, kind: 'action', text: 'MDMで端末をロックし、位置情報を確認した' },
      { after: 30, kind: 'transition', to: 'triaged', text: '端末は画面ロックあり。MDMでロック済み' },
      { after: 35, kind: 'transition', to: 'contained', text: '遠隔ロック済み' },
      { after: 16 * 60, kind: 'contact', text: '訪問先から、駐車場で拾ったとの連絡があり回収した', contact: '訪問先の事業所' },
      { after: 17 * 60, kind: 'transition', to: 'recovered', text: '端末を回収。不正な利用の形跡なし' },
      { after: 2 * DAY, kind: 'transition', to: 'closed', text: '終了' },
    ],
  },
  {
    title: 'ファイルサーバーに接続できない',
    description: '朝から課のファイルサーバーのフォルダが開けません。ほかの職員も同じです。',
    reported: '2024-01-22T08:35',
    occurredBefore: 10,
    reporter: 'SUIDO',
    system: 'ファイルサーバー',
    networkZone: 'lgwan',
    severity: 'L0',
    category: 'system_failure',
    status: 'rejected',
    steps: [
      { after: 15, kind: 'acknowledgement' },
      { after: 40, kind: 'note', text: '土曜日の計画停電の後、ネットワーク機器の1台が起動していなかった。機器を再起動して復旧' },
      { after: 45, kind: 'transition', to: 'rejected', text: '計画停電後の機器の起動漏れ。セキュリティインシデントではない' },
    ],
  },
  // FY2024
  {
    title: 'VPN機器への不正ログインの試行を検知',
    description: 'VPN機器のログに、海外からの管理画面へのログイン試行が大量に記録されています。',
    reported: '2024-09-30T09:50',
    occurredBefore: 8 * 60,
    reporter: 'JOHO',
    system: 'VPN機器',
    networkZone: 'internet',
    severity: 'L2',
    category: 'unauthorised_access',
    affectedSystems: [{ name: 'リモートアクセス用VPN機器', zone: 'internet', classification: null }],
    personalData: { involved: false, affectedPeople: null },
    status: 'closed',
    steps: [
      { after: 5, kind: 'acknowledgement' },
      { after: 30, kind: 'transition', to: 'triaged', text: '公表済みの脆弱性を狙った試行。侵入の有無を確認する' },
      { after: 60, kind: 'action', text: '管理画面へのアクセスを庁内からに限定した' },
      { after: 90, kind: 'transition', to: 'contained', text: '外部からの管理画面アクセスを遮断' },
      { after: DAY, kind: 'contact', text: '保守事業者にログの解析と修正版の適用を依頼した', contact: '保守事業者' },
      { after: 3 * DAY, kind: 'transition', to: 'eradicated', text: '修正版を適用。侵入の形跡なし' },
      { after: 4 * DAY, kind: 'transition', to: 'recovered', text: 'リモートアクセスを再開' },
      { after: 21 * DAY, kind: 'transition', to: 'closed', text: '事後レビューを終えて終了' },
    ],
    review: {
      after: 18 * DAY,
      cause: '公表された脆弱性の修正版の適用が、保守契約の手順待ちで遅れていた。',
      whatWorked: 'ログの監視で試行の段階で気付けた。',
      whatDidNot: '修正版の適用に保守事業者の作業日程の調整が必要で、3日かかった。',
      lessons: '緊急度の高い修正は、保守契約に定めた緊急手順で48時間以内に適用する。',
    },
  },
  suspiciousMail('不審なメールを受信（件名：ふるさと納税の返礼品について）', '2024-05-20T13:00', 'SHOKO', 'ふるさと納税の返礼品について'),
  // FY2025
  {
    title: 'クラウドストレージの共有設定が「リンクを知っている全員」になっていた',
    description: '学校との共有フォルダの設定を確認したところ、リンクを知っていれば誰でも見られる設定になっていました。',
    reported: '2025-06-18T15:20',
    occurredBefore: 3 * DAY,
    reporter: 'KYOIKU',
    system: 'グループウェア',
    networkZone: 'cloud',
    severity: 'L1',
    category: 'information_leak',
    affectedSystems: [{ name: 'クラウドストレージ（教育総務課）', zone: 'cloud', classification: null }],
    personalData: { involved: false, affectedPeople: null },
    status: 'closed',
    steps: [
      { after: 20, kind: 'acknowledgement' },
      { after: 30, kind: 'action', text: '共有設定を「組織内の指定した人」に変更した' },
      { after: 40, kind: 'transition', to: 'triaged', text: '個人情報を含むファイルなし。アクセスログに外部からの閲覧なし' },
      { after: 45, kind: 'transition', to: 'contained', text: '共有設定を変更済み' },
      { after: 2 * DAY, kind: 'transition', to: 'recovered', text: '全フォルダの共有設定を点検' },
      { after: 7 * DAY, kind: 'transition', to: 'closed', text: '共有設定の既定値を変更して終了' },
    ],
  },
  {
    title: '介護認定調査票の紛失（3名分）',
    description: '訪問調査から戻った後、調査票3名分（心身の状況を含む）が見当たりません。',
    reported: '2025-10-02T18:05',
    occurredBefore: 3 * 60,
    reporter: 'FUKUSHI#1',
    personalDataSuspected: true,
    affectedPeople: 3,
    severity: 'L2',
    category: 'lost_device',
    personalData: { involved: true, affectedPeople: 3, sensitive: true, myNumber: false, financialHarm: false, unlawfulPurpose: false },
    status: 'closed',
    steps: [
      { after: 15, kind: 'acknowledgement' },
      { after: 60, kind: 'transition', to: 'triaged', text: '要配慮個人情報を含むため、人数によらず個人情報保護委員会への報告対象' },
      { after: 180, kind: 'contact', text: '訪問先と経路を探し、警察署に遺失届を出した', contact: '守町警察署' },
      { after: DAY, kind: 'transition', to: 'contained', text: '同日の他の書類はすべて所在を確認' },
      { after: 2 * DAY, kind: 'contact', text: '3名とご家族に経緯を説明し謝罪した', contact: '本人とご家族（3名）' },
      { after: 10 * DAY, kind: 'transition', to: 'recovered', text: '調査票はタブレット入力に切り替え、紙の持ち出しをやめた' },
      { after: 35 * DAY, kind: 'transition', to: 'closed', text: '確報の提出と事後レビューを終えて終了' },
    ],
    review: {
      after: 30 * DAY,
      cause: '紙の調査票をクリップで留めただけで持ち歩き、公用車の乗り降りの際に落としたとみられる。',
      whatWorked: '要配慮個人情報の報告要件をすぐに判断できた。',
      whatDidNot: '持ち出した書類の一覧がなく、何を持っていたかの確認に時間がかかった。',
      lessons: '訪問調査はタブレットで入力し、紙を持ち出さない。やむを得ず持ち出す書類は一覧にして帰庁時に照合する。',
    },
    externalReports: [
      {
        recipient: 'ppc',
        kind: 'preliminary',
        triggers: ['sensitive'],
        dueDays: 3,
        sentAfter: 2 * DAY,
        sentTo: '個人情報保護委員会',
        sentVia: '個人情報保護委員会ウェブサイトの報告フォーム',
      },
      {
        recipient: 'ppc',
        kind: 'final',
        triggers: ['sensitive'],
        dueDays: 30,
        sentAfter: 28 * DAY,
        sentTo: '個人情報保護委員会',
        sentVia: '個人情報保護委員会ウェブサイトの報告フォーム',
      },
      { recipient: 'prefecture', kind: 'notice', triggers: ['severity'], dueDays: 3, sentAfter: DAY, sentTo: '県 市町村課', sentVia: 'メール' },
    ],
  },
  suspiciousMail('不審なメールを受信（件名：税務署からのお知らせ）', '2025-12-09T10:40', 'ZEIMU#1', '税務署からのお知らせ'),
  // this fiscal year: days before the seed's day
  {
    title: 'メールの誤送信（添付ファイルの取り違え）',
    description: '会議の出席者あてのメールに、別の会議の名簿（職員10名の氏名と内線番号）を添付して送ってしまいました。',
    reported: { daysAgo: 40, at: '11:30' },
    occurredBefore: 20,
    reporter: 'staff',
    system: LGWAN_MAIL,
    networkZone: 'lgwan',
    personalDataSuspected: true,
    affectedPeople: 10,
    severity: 'L1',
    category: 'mis_sent_mail',
    personalData: { involved: true, affectedPeople: 10, sensitive: false, myNumber: false, financialHarm: false, unlawfulPurpose: false },
    status: 'recovered',
    steps: [
      { after: 15, kind: 'acknowledgement' },
      { after: 45, kind: 'transition', to: 'triaged', text: '庁内の職員名簿の誤送付。送信先は庁内のみ' },
      { after: 90, kind: 'contact', text: '受信した出席者5名にメールの削除を依頼した', contact: '会議の出席者（5名）' },
      { after: 120, kind: 'transition', to: 'contained', text: '全員の削除を確認' },
      { after: 3 * DAY, kind: 'transition', to: 'recovered', text: '添付ファイルは送信前に開いて確認する手順を課内で共有' },
    ],
  },
  suspiciousMail('不審なメールを受信（件名：宅配便の不在通知）', { daysAgo: 12, at: '09:20' }, 'staff', '宅配便の不在通知'),
  {
    title: '公用タブレットの置き忘れ（回収済み）',
    description: '現場確認に使った公用タブレットを工事現場の詰所に置き忘れました。1時間後に取りに戻り、回収しています。',
    reported: { daysAgo: 6, at: '15:50' },
    occurredBefore: 90,
    reporter: 'TOSHI',
    severity: 'L1',
    category: 'lost_device',
    affectedSystems: [{ name: '公用タブレット（都市建設課）', zone: 'cloud', classification: null }],
    status: 'contained',
    steps: [
      { after: 20, kind: 'acknowledgement' },
      { after: 60, kind: 'transition', to: 'triaged', text: '置き忘れは約1時間。画面ロックあり' },
      { after: 80, kind: 'action', text: 'MDMで置き忘れの間の操作記録を確認。操作なし' },
      { after: 90, kind: 'transition', to: 'contained', text: '回収済み。操作の形跡なし' },
    ],
  },
  {
    title: '不審なSMSのURLを公用スマートフォンで開いた',
    description: '宅配業者を名乗るSMSのURLを開いてしまいました。表示されたページには何も入力していません。',
    reported: { daysAgo: 1, at: '10:10' },
    occurredBefore: 10,
    reporter: 'KENKO',
    severity: 'L1',
    category: 'targeted_mail',
    affectedSystems: [{ name: '公用スマートフォン', zone: 'cloud', classification: null }],
    status: 'triaged',
    steps: [
      { after: 12, kind: 'acknowledgement', text: '入力していなければ大丈夫です。念のため端末を確認します' },
      { after: 40, kind: 'transition', to: 'triaged', text: 'フィッシングサイトへのアクセス。入力なし' },
    ],
  },
];

/** The one open L2 the demo shows climbing its escalation (made through the services when the town has escalation policies). */
export const DEMO_LIVE_INCIDENT = {
  title: 'ファイルサーバーのファイルが開けず、拡張子が変わっている（ランサムウェアの疑い）',
  description: '課の共有フォルダのファイルが開けなくなり、名前の末尾が見慣れない拡張子に変わっています。フォルダに「README」というファイルが増えています。',
  reporter: 'FUKUSHI#2',
  system: 'ファイルサーバー（福祉課）',
  networkZone: 'lgwan' as const,
  personalDataInvolved: true,
  /** the form's one-time token: a second seed run files nothing new */
  idempotencyKey: 'demo-seed-ransomware',
  triage: {
    to: 'triaged' as const,
    reason: 'ランサムウェアの疑い。福祉課の共有フォルダに被害。感染端末の特定を急ぐ',
    severity: 'L2' as const,
    category: 'malware' as const,
    affectedSystems: [{ name: 'ファイルサーバー（福祉課）', zone: 'lgwan' as const }],
  },
  action: '福祉課の端末をすべてネットワークから切り離すよう指示した',
};
