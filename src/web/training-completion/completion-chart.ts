/**
 * The completion board's chart: a bar per department against the 100% line, drawn by the server as
 * SVG. It has no viewBox: lengths across are percentages of the page's width and text keeps its size,
 * so it fits a phone and a desktop alike without scaling the words down.
 */

/** One department's bar. */
export interface ChartBar {
  label: string;
  rate: number | null;
  completed: number;
  owed: number;
}

export interface ChartRow {
  label: string;
  /** the rate as the page writes it: 95.0% (— when nobody is owed) */
  value: string;
  /** the bar's width across, a percentage of the chart ("0" when none) */
  width: string;
  full: boolean;
  labelY: number;
  barY: number;
}

export interface Chart {
  height: number;
  rows: ChartRow[];
  /** where the 100% line stands across (the bars' full length) */
  target: string;
  lineBottom: number;
  barHeight: number;
}

/** The share of the width the bars may take: the 100% line stands there, inside the edge so that it shows whole. */
const FULL = 99;
const ROW = 44;
const TOP = 26;
const BAR = 14;
/** names longer than this are shortened in the chart (the table and the text alternative say them whole) */
const LONGEST_LABEL = 16;

export function completionChart(bars: readonly ChartBar[], percent: (rate: number | null) => string): Chart {
  const rows = bars.map((bar, i) => {
    const top = TOP + i * ROW;
    const rate = bar.rate ?? 0;
    return {
      label: [...bar.label].length > LONGEST_LABEL ? `${[...bar.label].slice(0, LONGEST_LABEL - 1).join('')}…` : bar.label,
      value: percent(bar.rate),
      width: `${(Math.round(Math.min(1, Math.max(0, rate)) * FULL * 100) / 100).toString()}%`,
      full: bar.rate !== null && bar.rate >= 1,
      labelY: top + 15,
      barY: top + 21,
    };
  });
  const height = TOP + bars.length * ROW + 4;
  return { height, rows, target: `${FULL}%`, lineBottom: height - 4, barHeight: BAR };
}
