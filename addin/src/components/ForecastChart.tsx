// History and forecast on one time axis, each prediction interval asked for drawn as a band (recharts). Straight
// segments between the points (a curve would invent peaks and dips between them), a line at the last stored day, the
// y axis in units per period, whole units in the tooltip and dates in the pane's locale (the workbook's in Excel),
// written by the pane's one date formatter (results/dates.ts).
import { tokens } from '@fluentui/react-components';
import { Area, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ForecastPoint, Granularity, HistoryPoint } from '../../../shared/schemas';
import { dateFormatter, type DateFormatter } from '../results/dates';
import { historyPerDay } from '../results/history';
import { periodsText, pointEnd, salesInPeriods } from '../results/periods';
import { levelFraction } from '../results/sheets';
import { useDates } from './dates';

interface ChartRow {
  date: string;
  /** The last day of the period, for weeks and months (a month begun or ended part way is named by its days). */
  end?: string;
  sold?: number;
  expected?: number;
  band?: [number, number];
  /** With `allBands`: one [lower, upper] per level of `chartLevels`, in that order. */
  bands?: ([number, number] | undefined)[];
}

/**
 * Merges history and forecast by date; the band uses the widest level asked for (or `level`). A forecast in weeks or
 * months gets the sales of the same periods before it (from `from` on), each row named.
 */
const sameLevel = (a: number, b: number) => Math.abs(levelFraction(a) - levelFraction(b)) < 1e-9;

/** Every interval level of the forecast, widest first (the order the bands are drawn in, so narrower ones show on top). */
export function chartLevels(forecast: readonly ForecastPoint[]): number[] {
  const levels: number[] = [];
  for (const p of forecast) for (const i of p.intervals) if (!levels.some((l) => sameLevel(l, i.level))) levels.push(i.level);
  return levels.sort((a, b) => levelFraction(b) - levelFraction(a));
}

/** "80% range". */
export const rangeName = (level: number) => `${Math.round(levelFraction(level) * 1000) / 10}% range`;

/** "units per week". */
export const unitsPer = (granularity: Granularity) => `units per ${granularity}`;

/** An axis tick: "7 Jul" for days and weeks, "Jul 25" for months. */
export const tickLabel = (iso: string, granularity: Granularity, dates: DateFormatter = dateFormatter()) => dates.tick(iso, granularity);

/** A tooltip's heading: "Tue, 1 Jul 2025", "Week of 7 Jul 2025", "July 2025" (a month not whole by its days). */
export function pointLabel(row: Pick<ChartRow, 'date' | 'end'>, granularity: Granularity, dates: DateFormatter = dateFormatter()): string {
  return dates.period(row.date, row.end ?? pointEnd(row, granularity), granularity);
}

const unitFormats = new Map<string, Intl.NumberFormat>();
/** Whole units, grouped as the user's locale groups them. */
export function wholeUnits(value: number, locale?: string): string {
  let f = unitFormats.get(locale ?? '');
  if (!f) unitFormats.set(locale ?? '', (f = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })));
  // -0 reads as "-0".
  return f.format(Math.round(value) || 0);
}

/** A tooltip value: whole units, a range as "4–9". */
export function tooltipValue(value: unknown, locale?: string): string {
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) {
    return `${wholeUnits(value[0] as number, locale)}–${wholeUnits(value[1] as number, locale)}`;
  }
  return typeof value === 'number' ? wholeUnits(value, locale) : String(value ?? '');
}

/** The axis tick of a large number: 12K rather than 12000, so that it fits the axis. */
const axisUnits = (value: number, locale?: string) =>
  Math.abs(value) >= 10_000
    ? new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(value)
    : wholeUnits(value, locale);

export function chartRows(
  history: readonly HistoryPoint[],
  forecast: readonly ForecastPoint[],
  level?: number,
  periods: { granularity?: Granularity; from?: string; allBands?: boolean } = {},
): ChartRow[] {
  const levels = periods.allBands ? chartLevels(forecast) : [];
  const granularity = periods.granularity ?? 'day';
  const rows = new Map<string, ChartRow>();
  if (granularity === 'day' || forecast.length === 0) {
    // Weekly and monthly history as its average per day, in the units of the daily forecast.
    for (const h of historyPerDay(history)) rows.set(h.date, { date: h.date, sold: h.units_sold });
  } else {
    for (const h of salesInPeriods(history, forecast[0].date, granularity, periods.from)) {
      rows.set(h.date, { date: h.date, end: h.period_end, sold: h.units_sold });
    }
  }
  for (const p of forecast) {
    const intervals = [...p.intervals].sort((a, b) => a.level - b.level);
    const chosen =
      (level !== undefined ? intervals.find((i) => Math.abs(levelFraction(i.level) - levelFraction(level)) < 1e-9) : undefined) ??
      intervals[intervals.length - 1];
    const row = rows.get(p.date) ?? { date: p.date };
    if (granularity !== 'day') row.end = pointEnd(p, granularity);
    row.expected = p.expected_demand;
    if (chosen) row.band = [chosen.lower, chosen.upper];
    if (levels.length) {
      row.bands = levels.map((l) => {
        const i = p.intervals.find((x) => sameLevel(x.level, l));
        return i ? [i.lower, i.upper] : undefined;
      });
    }
    rows.set(p.date, row);
  }
  // Join the lines: the last history day also starts the forecast line.
  const sorted = [...rows.values()].sort((a, b) => a.date.localeCompare(b.date));
  const firstForecast = sorted.findIndex((r) => r.expected !== undefined);
  if (firstForecast > 0 && sorted[firstForecast - 1].sold !== undefined && sorted[firstForecast - 1].expected === undefined) {
    sorted[firstForecast - 1] = { ...sorted[firstForecast - 1], expected: sorted[firstForecast - 1].sold };
  }
  return sorted;
}

const BAND_COLOUR = '#106EBE';
/** The bands' fills, widest first: the wider the range, the paler (and the legend shows the same colours). */
const BAND_FILLS = ['#DCEAF7', '#B4D3EF', '#8CBCE7', '#6AA6DE'];

export function ForecastChart({
  history,
  forecast,
  level,
  granularity = 'day',
  from,
  height = 240,
  title = 'History and forecast',
  locale,
}: {
  history: readonly HistoryPoint[];
  forecast: readonly ForecastPoint[];
  /** Draw only this interval level (default: every level the forecast has). */
  level?: number;
  /** The forecast's periods: weeks and months are drawn against the sales of the same periods. */
  granularity?: Granularity;
  /** The first day of history fetched (a period starting before it is left out). */
  from?: string;
  height?: number;
  title?: string;
  /** Dates and numbers in this locale; default the pane's (the workbook's inside Excel, the browser's outside it). */
  locale?: string;
}) {
  const pane = useDates();
  const dates = locale ? dateFormatter(locale) : pane;
  const numbers = dates.locale;
  const rows = chartRows(history, forecast, level, { granularity, from, allBands: true });
  const levels = chartLevels(forecast).filter((l) => level === undefined || sameLevel(l, level));
  const all = chartLevels(forecast);
  const past = rows.filter((r) => r.sold !== undefined).length;
  // The last stored day (or period): history ends there and the forecast begins after it.
  const today = [...rows].reverse().find((r) => r.sold !== undefined)?.date;
  const yLabel = unitsPer(granularity);
  return (
    <figure aria-label={title} data-testid="forecast-chart" style={{ margin: 0, minWidth: 0 }}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 320, height }}>
        <ComposedChart data={rows} margin={{ top: 16, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke={tokens.colorNeutralStroke2} />
          <XAxis dataKey="date" tick={{ fontSize: 10 }} minTickGap={24} tickFormatter={(d: string) => tickLabel(d, granularity, dates)} />
          <YAxis
            tick={{ fontSize: 10 }}
            allowDecimals={false}
            width={52}
            tickFormatter={(v: number) => axisUnits(v, numbers)}
            label={{ value: yLabel, angle: -90, position: 'insideLeft', offset: 4, fontSize: 10, style: { textAnchor: 'middle' } }}
          />
          <Tooltip
            labelFormatter={(d) => {
              const row = rows.find((r) => r.date === d);
              return row ? pointLabel(row, granularity, dates) : String(d);
            }}
            formatter={(value) => tooltipValue(value, numbers)}
            // Text in the text colour: the pale fill of a wide range would be unreadable.
            itemStyle={{ color: tokens.colorNeutralForeground1 }}
          />
          <Legend
            wrapperStyle={{ fontSize: 11 }}
            formatter={(value) => <span style={{ color: tokens.colorNeutralForeground1 }}>{value}</span>}
          />
          {levels.map((l) => {
            const index = all.findIndex((x) => sameLevel(x, l));
            return (
              <Area
                key={l}
                type="linear"
                dataKey={(r: ChartRow) => r.bands?.[index]}
                name={rangeName(l)}
                stroke="none"
                // Narrower ranges are drawn over wider ones, each darker than the one around it.
                fill={BAND_FILLS[Math.min(index, BAND_FILLS.length - 1)]}
                fillOpacity={1}
                legendType="square"
                isAnimationActive={false}
              />
            );
          })}
          <Line type="linear" dataKey="sold" name="Units sold" stroke="#605E5C" dot={false} strokeWidth={1.5} isAnimationActive={false} />
          <Line
            type="linear"
            dataKey="expected"
            name="Forecast"
            stroke={BAND_COLOUR}
            dot={false}
            strokeWidth={2}
            isAnimationActive={false}
          />
          {today !== undefined && forecast.length > 0 ? (
            <ReferenceLine
              x={today}
              stroke={tokens.colorNeutralForeground3}
              strokeDasharray="4 3"
              label={{ value: 'today', position: 'insideTopLeft', fontSize: 10, fill: tokens.colorNeutralForeground2 }}
            />
          ) : null}
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption style={{ position: 'absolute', left: -10000 }}>
        {title}: {periodsText(past, granularity)} of history, {periodsText(forecast.length, granularity)} forecast
        {today ? `, the last stored ${granularity} ${pointLabel({ date: today }, granularity, dates)}` : ''}; y axis: {yLabel}
        {levels.length ? `; ${levels.map(rangeName).join(', ')}` : ''}
      </figcaption>
    </figure>
  );
}
