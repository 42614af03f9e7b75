import type { IndicatorStatus } from '../../indicators/indicator-status.js';
import type { IndicatorUnit } from '../../indicators/indicator.entity.js';

/**
 * An indicator's trend across fiscal years: a bar a year against the target's dashed line, drawn
 * by the server as SVG in a box of 100 × `height` stretched to the width of its place (bars and
 * lines only, no text, so the stretch does not distort words). The page gives the figures in words
 * beside it (the SVG's <title>/<desc>, and a table on an indicator's page).
 */

export interface TrendYear {
  fiscalYear: number;
  value: number | null;
  target: number | null;
  status: IndicatorStatus;
}

export interface TrendBar {
  x: string;
  y: string;
  width: string;
  height: string;
  status: IndicatorStatus;
  /** the year the page is about */
  current: boolean;
}

export interface TrendChart {
  height: number;
  bars: TrendBar[];
  /** the target's line (the target of the year the page is about), or none */
  targetY: string | null;
}

const fixed = (n: number): string => (Math.round(n * 100) / 100).toString();

export function trendChart(years: readonly TrendYear[], unit: IndicatorUnit, currentYear: number, height = 40): TrendChart {
  const current = years.find((y) => y.fiscalYear === currentYear) ?? years[years.length - 1];
  const top = unit === 'percent' ? 100 : unit === 'yes_no' ? 1 : Math.max(1, ...years.map((y) => y.value ?? 0), ...years.map((y) => y.target ?? 0));
  const slot = 100 / Math.max(1, years.length);
  const barWidth = slot * 0.6;
  // a value of 0 still shows: a sliver of the bar's height
  const scale = (value: number): number => Math.max(1.5, (Math.min(value, top) / top) * (height - 2));
  const bars = years.map((y, i): TrendBar => {
    const h = y.value === null ? 0 : scale(y.value);
    return {
      x: fixed(i * slot + (slot - barWidth) / 2),
      y: fixed(height - h),
      width: fixed(barWidth),
      height: fixed(h),
      status: y.status,
      current: y.fiscalYear === currentYear,
    };
  });
  const target = current?.target ?? null;
  return { height, bars, targetY: target === null ? null : fixed(height - (Math.min(target, top) / top) * (height - 2) - 1) };
}
