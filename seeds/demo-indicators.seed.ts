import type { INestApplicationContext } from '@nestjs/common';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import { FiscalYearsService } from '../src/indicators/fiscal-years.service.js';
import { IndicatorValue } from '../src/indicators/indicator-value.entity.js';
import { IndicatorsService } from '../src/indicators/indicators.service.js';
import { demoActor } from './demo-compliance.seed.js';

/** The plan's other measures, as the town's offices reported them at each year's end (entered by the security office). */
export const DEMO_MANUAL_VALUES: readonly { code: string; fiscalYear: number; value: number; sourceNote: string }[] = [
  { code: 'line_subscribers', fiscalYear: 2020, value: 2150, sourceNote: '企画課：LINE公式アカウント管理画面「友だち数」2021年3月31日時点' },
  { code: 'line_subscribers', fiscalYear: 2021, value: 2870, sourceNote: '企画課：LINE公式アカウント管理画面「友だち数」2022年3月31日時点' },
  { code: 'line_subscribers', fiscalYear: 2022, value: 4620, sourceNote: '企画課：LINE公式アカウント管理画面「友だち数」2023年3月31日時点' },
  { code: 'my_number_card_issuance', fiscalYear: 2021, value: 45.5, sourceNote: '総務省「マイナンバーカード交付状況」令和4年3月末時点（町民環境課）' },
  { code: 'my_number_card_issuance', fiscalYear: 2022, value: 76.8, sourceNote: '総務省「マイナンバーカード交付状況」令和5年3月末時点（町民環境課）' },
  { code: 'open_data_sets', fiscalYear: 2021, value: 9, sourceNote: '企画課：町ウェブサイト「オープンデータ一覧」の掲載数' },
  { code: 'open_data_sets', fiscalYear: 2022, value: 14, sourceNote: '企画課：町ウェブサイト「オープンデータ一覧」の掲載数' },
  { code: 'online_procedures', fiscalYear: 2021, value: 12, sourceNote: '情報政策室：電子申請システムの公開手続一覧' },
  { code: 'online_procedures', fiscalYear: 2022, value: 27, sourceNote: '情報政策室：電子申請システムの公開手続一覧（ぴったりサービス含む）' },
];

/** The years the CISO has closed after the promotion committee reviewed them; FY2022 is left for the demo's CISO to close. */
export const DEMO_CLOSED_YEARS = [2019, 2020, 2021] as const;

export interface DemoIndicatorsResult {
  valuesEntered: number;
  yearsClosed: number[];
}

/**
 * The demo town's indicators (loaded from policies/indicators.yaml by the policies sync): the manual
 * values of FY2020–FY2022, entered by the security office, and FY2019–FY2021 closed by the CISO.
 * Idempotent: a year that has a value, or is closed, is left as it is.
 */
export async function seedDemoIndicators(app: INestApplicationContext, organizationId: string): Promise<DemoIndicatorsResult> {
  const manager = app.get(UnitOfWork).manager;
  const officer = await demoActor(app, organizationId, 'security');
  const ciso = await demoActor(app, organizationId, 'ciso');
  const indicators = app.get(IndicatorsService);
  let valuesEntered = 0;
  for (const entry of DEMO_MANUAL_VALUES) {
    const indicator = await indicators.indicator(manager, organizationId, entry.code);
    if (await manager.getRepository(IndicatorValue).existsBy({ organizationId, indicatorId: indicator.id, fiscalYear: entry.fiscalYear })) continue;
    // entered before the year is closed below
    if (await indicators.closeInForce(manager, organizationId, entry.fiscalYear)) continue;
    await indicators.enterValue(officer, entry.code, entry.fiscalYear, { value: entry.value, sourceNote: entry.sourceNote });
    valuesEntered++;
  }
  const yearsClosed: number[] = [];
  for (const fiscalYear of DEMO_CLOSED_YEARS) {
    if (await indicators.closeInForce(manager, organizationId, fiscalYear)) continue;
    await app.get(FiscalYearsService).close(ciso, fiscalYear, '情報化推進委員会で年度の評価を確認');
    yearsClosed.push(fiscalYear);
  }
  return { valuesEntered, yearsClosed };
}
