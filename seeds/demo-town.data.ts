/**
 * The demo town 守町 (Mamori Town): deterministic data only, no database access.
 * `demo-town.seed.ts` writes it; `seeds/README.md` documents the demo accounts.
 *
 * Everything here is fixed or derived from a seeded PRNG, so every run (and every machine)
 * produces the same departments, people and credentials.
 */
import type { Role } from '../src/common/roles.js';
import type { EmploymentStatus } from '../src/staff/staff.entity.js';
import type { EmploymentType } from '../src/staff/employment.js';

export const DEMO_ORGANIZATION = { code: 'mamori-town', name: '守町' } as const;

/** Every demo address lives under this (reserved, non-routable) domain. */
export const DEMO_EMAIL_DOMAIN = 'demo.mamori.example';

/** When the privileged demo accounts "confirmed" their authenticator (fixed, so reruns agree). */
export const DEMO_TOTP_CONFIRMED_AT = new Date('2022-04-01T00:00:00.000Z');

// ---------------------------------------------------------------------------------------------
// Departments
// ---------------------------------------------------------------------------------------------

export interface DemoDepartment {
  /** short upper-case ASCII code, unique in the organisation */
  code: string;
  name: string;
  nameEn: string;
  /** code of the parent department, which is listed (and created) before this one */
  parentCode?: string;
  /** how many of the generated staff work here (the headcounts add up to GENERATED_STAFF_COUNT) */
  headcount: number;
}

export const DEMO_DEPARTMENTS: readonly DemoDepartment[] = [
  { code: 'SOMU', name: '総務課', nameEn: 'General Affairs Division', headcount: 24 },
  { code: 'KIKAKU', name: '企画課', nameEn: 'Planning Division', headcount: 14 },
  { code: 'ZAISEI', name: '財政課', nameEn: 'Finance Division', headcount: 12 },
  { code: 'ZEIMU', name: '税務課', nameEn: 'Taxation Division', headcount: 32 },
  { code: 'CHOMIN', name: '町民環境課', nameEn: 'Residents and Environment Division', headcount: 35 },
  { code: 'KENKO', name: '健康推進課', nameEn: 'Health Promotion Division', headcount: 30 },
  { code: 'FUKUSHI', name: '福祉課', nameEn: 'Welfare Division', headcount: 44 },
  { code: 'KODOMO', name: '子ども家庭課', nameEn: 'Children and Families Division', headcount: 40 },
  { code: 'NOSEI', name: '農政課', nameEn: 'Agricultural Policy Division', headcount: 18 },
  { code: 'SHOKO', name: '商工観光課', nameEn: 'Commerce, Industry and Tourism Division', headcount: 14 },
  { code: 'TOSHI', name: '都市建設課', nameEn: 'Urban Planning and Construction Division', headcount: 32 },
  { code: 'SUIDO', name: '上下水道課', nameEn: 'Water and Sewerage Division', headcount: 22 },
  { code: 'KAIKEI', name: '会計課', nameEn: 'Accounting Division', headcount: 8 },
  { code: 'KYOIKU', name: '教育総務課', nameEn: 'Board of Education General Affairs Division', headcount: 26 },
  { code: 'SHOGAI', name: '生涯学習課', nameEn: 'Lifelong Learning Division', headcount: 24 },
  { code: 'GIKAI', name: '議会事務局', nameEn: 'Town Assembly Secretariat', headcount: 5 },
  { code: 'JOHO', name: '情報政策室', nameEn: 'Information Policy Office', parentCode: 'SOMU', headcount: 8 },
  { code: 'KIKI', name: '危機管理室', nameEn: 'Crisis Management Office', parentCode: 'SOMU', headcount: 6 },
  { code: 'SENKAN', name: '選挙管理委員会事務局', nameEn: 'Election Administration Commission Secretariat', headcount: 3 },
  { code: 'KANSA', name: '監査委員事務局', nameEn: 'Audit Commissioners Secretariat', headcount: 3 },
];

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

export interface NameWithKana {
  name: string;
  kana: string;
}

export interface GivenName extends NameWithKana {
  gender: 'male' | 'female';
}

/** Sixty common family names (苗字) with their katakana readings. */
export const FAMILY_NAMES: readonly NameWithKana[] = [
  ['佐藤', 'サトウ'],
  ['鈴木', 'スズキ'],
  ['高橋', 'タカハシ'],
  ['田中', 'タナカ'],
  ['伊藤', 'イトウ'],
  ['渡辺', 'ワタナベ'],
  ['山本', 'ヤマモト'],
  ['中村', 'ナカムラ'],
  ['小林', 'コバヤシ'],
  ['加藤', 'カトウ'],
  ['吉田', 'ヨシダ'],
  ['山田', 'ヤマダ'],
  ['佐々木', 'ササキ'],
  ['山口', 'ヤマグチ'],
  ['松本', 'マツモト'],
  ['井上', 'イノウエ'],
  ['木村', 'キムラ'],
  ['林', 'ハヤシ'],
  ['斎藤', 'サイトウ'],
  ['清水', 'シミズ'],
  ['山崎', 'ヤマザキ'],
  ['森', 'モリ'],
  ['池田', 'イケダ'],
  ['橋本', 'ハシモト'],
  ['阿部', 'アベ'],
  ['石川', 'イシカワ'],
  ['山下', 'ヤマシタ'],
  ['中島', 'ナカジマ'],
  ['石井', 'イシイ'],
  ['小川', 'オガワ'],
  ['前田', 'マエダ'],
  ['岡田', 'オカダ'],
  ['長谷川', 'ハセガワ'],
  ['藤田', 'フジタ'],
  ['後藤', 'ゴトウ'],
  ['近藤', 'コンドウ'],
  ['村上', 'ムラカミ'],
  ['遠藤', 'エンドウ'],
  ['青木', 'アオキ'],
  ['坂本', 'サカモト'],
  ['斉藤', 'サイトウ'],
  ['福田', 'フクダ'],
  ['太田', 'オオタ'],
  ['西村', 'ニシムラ'],
  ['藤井', 'フジイ'],
  ['金子', 'カネコ'],
  ['岡本', 'オカモト'],
  ['藤原', 'フジワラ'],
  ['中野', 'ナカノ'],
  ['三浦', 'ミウラ'],
  ['原田', 'ハラダ'],
  ['中川', 'ナカガワ'],
  ['松田', 'マツダ'],
  ['竹内', 'タケウチ'],
  ['小野', 'オノ'],
  ['田村', 'タムラ'],
  ['中山', 'ナカヤマ'],
  ['和田', 'ワダ'],
  ['石田', 'イシダ'],
  ['森田', 'モリタ'],
].map(([name, kana]) => ({ name, kana }));

/** Sixty given names (名), thirty usually male and thirty usually female, with katakana readings. */
export const GIVEN_NAMES: readonly GivenName[] = [
  ...[
    ['翔太', 'ショウタ'],
    ['大輔', 'ダイスケ'],
    ['健一', 'ケンイチ'],
    ['誠', 'マコト'],
    ['拓也', 'タクヤ'],
    ['直樹', 'ナオキ'],
    ['浩二', 'コウジ'],
    ['隆', 'タカシ'],
    ['一郎', 'イチロウ'],
    ['和也', 'カズヤ'],
    ['達也', 'タツヤ'],
    ['健太', 'ケンタ'],
    ['亮', 'リョウ'],
    ['陽介', 'ヨウスケ'],
    ['修', 'オサム'],
    ['博之', 'ヒロユキ'],
    ['剛', 'ツヨシ'],
    ['秀樹', 'ヒデキ'],
    ['聡', 'サトシ'],
    ['悠斗', 'ユウト'],
    ['蓮', 'レン'],
    ['大樹', 'ダイキ'],
    ['裕太', 'ユウタ'],
    ['智也', 'トモヤ'],
    ['雅人', 'マサト'],
    ['茂', 'シゲル'],
    ['勇気', 'ユウキ'],
    ['慎吾', 'シンゴ'],
    ['康弘', 'ヤスヒロ'],
    ['学', 'マナブ'],
  ].map(([name, kana]) => ({ name, kana, gender: 'male' as const })),
  ...[
    ['陽子', 'ヨウコ'],
    ['恵子', 'ケイコ'],
    ['美穂', 'ミホ'],
    ['由美', 'ユミ'],
    ['真由美', 'マユミ'],
    ['幸子', 'サチコ'],
    ['久美子', 'クミコ'],
    ['智子', 'トモコ'],
    ['裕子', 'ユウコ'],
    ['直美', 'ナオミ'],
    ['明美', 'アケミ'],
    ['愛', 'アイ'],
    ['彩', 'アヤ'],
    ['舞', 'マイ'],
    ['美咲', 'ミサキ'],
    ['さくら', 'サクラ'],
    ['結衣', 'ユイ'],
    ['陽菜', 'ヒナ'],
    ['葵', 'アオイ'],
    ['優子', 'ユウコ'],
    ['千尋', 'チヒロ'],
    ['麻衣', 'マイ'],
    ['香織', 'カオリ'],
    ['恵美', 'エミ'],
    ['紀子', 'ノリコ'],
    ['早紀', 'サキ'],
    ['奈々', 'ナナ'],
    ['理恵', 'リエ'],
    ['純子', 'ジュンコ'],
    ['京子', 'キョウコ'],
  ].map(([name, kana]) => ({ name, kana, gender: 'female' as const })),
];

// ---------------------------------------------------------------------------------------------
// Demo accounts (one per role; documented in seeds/README.md — demo only, never in production)
// ---------------------------------------------------------------------------------------------

/** What every seeded person has, demo account or generated. */
export interface SeedPerson {
  employeeNumber: string;
  email: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  departmentCode: string;
  roles: Role[];
  joinedOn: string;
}

export interface DemoAccount extends SeedPerson {
  /** the documented demo password */
  password: string;
  /** base32 TOTP secret (32 characters A–Z2–7) for privileged accounts; null for the others */
  totpSecret: string | null;
  /** what the account is for, as shown in the README */
  description: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    employeeNumber: 'D0001',
    email: `admin@${DEMO_EMAIL_DOMAIN}`,
    familyName: '小林',
    givenName: '誠',
    familyNameKana: 'コバヤシ',
    givenNameKana: 'マコト',
    departmentCode: 'JOHO',
    roles: ['admin', 'staff'],
    password: 'Mamori-admin-2026!',
    totpSecret: 'KSK6V7VCO52KWAZODWMA67OJX6V42QW5',
    joinedOn: '2005-04-01',
    description: 'system administrator (情報政策室)',
  },
  {
    employeeNumber: 'D0002',
    email: `ciso@${DEMO_EMAIL_DOMAIN}`,
    familyName: '佐藤',
    givenName: '隆',
    familyNameKana: 'サトウ',
    givenNameKana: 'タカシ',
    departmentCode: 'SOMU',
    roles: ['ciso', 'staff'],
    password: 'Mamori-ciso-2026!',
    totpSecret: 'KTAN5MF2NPHXSGXTWXZW4KVFTBKKUX5V',
    joinedOn: '1988-04-01',
    description: 'CISO (最高情報セキュリティ責任者, deputy mayor 副町長)',
  },
  {
    employeeNumber: 'D0003',
    email: `security@${DEMO_EMAIL_DOMAIN}`,
    familyName: '高橋',
    givenName: '美穂',
    familyNameKana: 'タカハシ',
    givenNameKana: 'ミホ',
    departmentCode: 'JOHO',
    roles: ['security_officer', 'staff'],
    password: 'Mamori-security-2026!',
    totpSecret: 'KRVGI2AAF5XWDFABPPRIZ4T6ODIGJUJJ',
    joinedOn: '2002-04-01',
    description: 'security office (統括情報セキュリティ責任者)',
  },
  {
    employeeNumber: 'D0004',
    email: `csirt@${DEMO_EMAIL_DOMAIN}`,
    familyName: '伊藤',
    givenName: '拓也',
    familyNameKana: 'イトウ',
    givenNameKana: 'タクヤ',
    departmentCode: 'JOHO',
    roles: ['csirt', 'staff'],
    password: 'Mamori-csirt-2026!',
    totpSecret: 'O3O2WLZ6BVTZGTKTPXVUVM576RMFWA45',
    joinedOn: '2012-04-01',
    description: 'incident response team (CSIRT)',
  },
  {
    employeeNumber: 'D0005',
    email: `auditor@${DEMO_EMAIL_DOMAIN}`,
    familyName: '渡辺',
    givenName: '恵子',
    familyNameKana: 'ワタナベ',
    givenNameKana: 'ケイコ',
    departmentCode: 'KANSA',
    roles: ['auditor', 'staff'],
    password: 'Mamori-auditor-2026!',
    totpSecret: '7UDYK7AKMKJALVIWVV3P26JOODURAVN2',
    joinedOn: '1996-04-01',
    description: 'internal auditor (監査委員事務局)',
  },
  {
    employeeNumber: 'D0006',
    email: `manager@${DEMO_EMAIL_DOMAIN}`,
    familyName: '中村',
    givenName: '浩二',
    familyNameKana: 'ナカムラ',
    givenNameKana: 'コウジ',
    departmentCode: 'SOMU',
    roles: ['manager', 'staff'],
    password: 'Mamori-manager-2026!',
    totpSecret: null,
    joinedOn: '1993-04-01',
    description: 'head of 総務課 (情報セキュリティ責任者)',
  },
  {
    employeeNumber: 'D0007',
    email: `staff@${DEMO_EMAIL_DOMAIN}`,
    familyName: '田中',
    givenName: 'さくら',
    familyNameKana: 'タナカ',
    givenNameKana: 'サクラ',
    departmentCode: 'SOMU',
    roles: ['staff'],
    password: 'Mamori-staff-2026!',
    totpSecret: null,
    joinedOn: '2019-04-01',
    description: 'member of staff (総務課)',
  },
];

// ---------------------------------------------------------------------------------------------
// Generated staff
// ---------------------------------------------------------------------------------------------

export const GENERATED_STAFF_COUNT = 400;
export const GENERATED_EMPLOYEE_NUMBER_START = 10001;
/** Of the generated staff, this many are on long leave (3%) … */
export const GENERATED_ON_LEAVE_COUNT = 12;
/** … and this many have retired (2%), with a leaving date. */
export const GENERATED_RETIRED_COUNT = 8;
/** Seed of the PRNG that draws the generated staff; change it and every generated person changes. */
export const DEMO_PRNG_SEED = 0x6d616d6f; // "mamo"

export interface GeneratedStaffMember extends SeedPerson {
  status: EmploymentStatus;
  leftOn: string | null;
}

/**
 * The generated staff's employment type, from their employee number (not the PRNG, so the people
 * stay who they are): about one in four a fiscal-year appointee (会計年度任用職員, as in most
 * municipalities), a few temporary staff and contractors' people, the rest regular staff.
 */
export function demoEmploymentType(employeeNumber: string): EmploymentType {
  const n = Number(employeeNumber);
  if (n % 4 === 1) return 'fiscal_year_appointed';
  if (n % 50 === 7) return 'temporary';
  if (n % 50 === 23) return 'contractor';
  return 'regular';
}

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number): string => String(n).padStart(2, '0');
const isoDate = (year: number, month: number, day: number): string => `${year}-${pad(month)}-${pad(day)}`;

/**
 * The ~400 generated members of staff, always the same: names, department (by each department's
 * headcount, shuffled), status (exactly 3% on leave, 2% retired with a leaving date) and joining date
 * (1985–2022, mostly on April 1, when Japanese municipalities hire). They have no password.
 */
export function generatedStaff(): GeneratedStaffMember[] {
  const random = mulberry32(DEMO_PRNG_SEED);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];

  const shuffle = <T>(list: T[]): T[] => {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    return list;
  };

  // one slot per headcount, shuffled (Fisher–Yates), so every department gets exactly its headcount
  const slots = shuffle(DEMO_DEPARTMENTS.flatMap((department) => Array.from({ length: department.headcount }, () => department.code)));
  if (slots.length !== GENERATED_STAFF_COUNT) throw new Error(`demo department headcounts add up to ${slots.length}, not ${GENERATED_STAFF_COUNT}`);

  // exact numbers of people on leave and retired, spread over the list
  const statuses: EmploymentStatus[] = shuffle(
    Array.from({ length: GENERATED_STAFF_COUNT }, (_, index): EmploymentStatus =>
      index < GENERATED_RETIRED_COUNT ? 'retired' : index < GENERATED_RETIRED_COUNT + GENERATED_ON_LEAVE_COUNT ? 'on_leave' : 'active',
    ),
  );

  // each department's head (課長) is its first active member; 総務課's is the demo manager account
  const headed = new Set(DEMO_ACCOUNTS.filter((account) => account.roles.includes('manager')).map((account) => account.departmentCode));
  const isHead = (departmentCode: string, index: number): boolean => {
    if (headed.has(departmentCode) || statuses[index] !== 'active') return false;
    headed.add(departmentCode);
    return true;
  };

  return slots.map((departmentCode, index) => {
    const employeeNumber = String(GENERATED_EMPLOYEE_NUMBER_START + index);
    const family = pick(FAMILY_NAMES);
    const given = pick(GIVEN_NAMES);

    const joinYear = int(1985, 2022);
    const joinedOn = random() < 0.85 ? isoDate(joinYear, 4, 1) : isoDate(joinYear, int(1, 12), int(1, 28));

    const status = statuses[index];
    let leftOn: string | null = null;
    if (status === 'retired') {
      // left at the end of a fiscal year between FY2019 and FY2022, at least a year after joining
      const leftYear = Math.min(2023, Math.max(joinYear + 2, int(2020, 2023)));
      leftOn = isoDate(leftYear, 3, 31);
    }

    return {
      employeeNumber,
      email: `s${employeeNumber}@${DEMO_EMAIL_DOMAIN}`,
      familyName: family.name,
      givenName: given.name,
      familyNameKana: family.kana,
      givenNameKana: given.kana,
      departmentCode,
      roles: isHead(departmentCode, index) ? ['manager', 'staff'] : ['staff'],
      status,
      joinedOn,
      leftOn,
    };
  });
}
