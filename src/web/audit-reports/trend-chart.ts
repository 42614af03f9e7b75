/**
 * The conformance trend's chart: a bar per fiscal year (its rate, 0–100%), drawn by the server as
 * SVG. Like the completion board's, it has no viewBox: lengths across are percentages of the page's
 * width and text keeps its size, so it fits a phone and a desktop alike.
 */

export interface TrendBar {
  label: string;
  rate: number | null;
}

export interface TrendChartRow {
  label: string;
  /** the rate as the page writes it: 95.0% (— when there is none) */
  value: string;
  /** the bar's width across, a percentage of the chart */
  width: string;
  labelY: number;
  barY: number;
}

export interface TrendChart {
  height: number;
  rows: TrendChartRow[];
  full: string;
  lineBottom: number;
  barHeight: number;
}

/** the share of the width a 100% bar takes (its end line shows whole) */
const FULL = 99;
const ROW = 44;
const TOP = 26;
const BAR = 14;

export function trendChart(bars: readonly TrendBar[], percent: (rate: number | null) => string): TrendChart {
  const rows = bars.map((bar, i) => {
    const top = TOP + i * ROW;
    const rate = Math.min(1, Math.max(0, bar.rate ?? 0));
    return {
      label: bar.label,
      value: percent(bar.rate),
      width: `${(Math.round(rate * FULL * 100) / 100).toString()}%`,
      labelY: top + 15,
      barY: top + 21,
    };
  });
  const height = TOP + bars.length * ROW + 4;
  return { height, rows, full: `${FULL}%`, lineBottom: height - 4, barHeight: BAR };
}
