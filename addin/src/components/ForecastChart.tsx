// History and forecast on one time axis, the prediction interval drawn as a band (recharts).
import { tokens } from '@fluentui/react-components';
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ForecastPoint, Granularity, HistoryPoint } from '../../../shared/schemas';
import { historyPerDay } from '../results/history';
import { periodLabel, periodsText, pointEnd, salesInPeriods } from '../results/periods';
import { levelFraction } from '../results/sheets';

interface ChartRow {
  date: string;
  /** The period's name, for weeks and months (the x axis then shows it). */
  label?: string;
  sold?: number;
  expected?: number;
  band?: [number, number];
}

/**
 * Merges history and forecast by date; the band uses the widest level asked for (or `level`). A forecast in weeks or
 * months gets the sales of the same periods before it (from `from` on), each row named.
 */
export function chartRows(
  history: readonly HistoryPoint[],
  forecast: readonly ForecastPoint[],
  level?: number,
  periods: { granularity?: Granularity; from?: string } = {},
): ChartRow[] {
  const granularity = periods.granularity ?? 'day';
  const rows = new Map<string, ChartRow>();
  if (granularity === 'day' || forecast.length === 0) {
    // Weekly and monthly history as its average per day, in the units of the daily forecast.
    for (const h of historyPerDay(history)) rows.set(h.date, { date: h.date, sold: h.units_sold });
  } else {
    for (const h of salesInPeriods(history, forecast[0].date, granularity, periods.from)) {
      rows.set(h.date, { date: h.date, label: periodLabel(h.date, h.period_end, granularity), sold: h.units_sold });
    }
  }
  for (const p of forecast) {
    const intervals = [...p.intervals].sort((a, b) => a.level - b.level);
    const chosen =
      (level !== undefined ? intervals.find((i) => Math.abs(levelFraction(i.level) - levelFraction(level)) < 1e-9) : undefined) ??
      intervals[intervals.length - 1];
    const row = rows.get(p.date) ?? { date: p.date };
    if (granularity !== 'day') row.label = periodLabel(p.date, pointEnd(p, granularity), granularity);
    row.expected = p.expected_demand;
    if (chosen) row.band = [chosen.lower, chosen.upper];
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

export function ForecastChart({
  history,
  forecast,
  level,
  granularity = 'day',
  from,
  height = 240,
  title = 'History and forecast',
}: {
  history: readonly HistoryPoint[];
  forecast: readonly ForecastPoint[];
  level?: number;
  /** The forecast's periods: weeks and months are drawn against the sales of the same periods. */
  granularity?: Granularity;
  /** The first day of history fetched (a period starting before it is left out). */
  from?: string;
  height?: number;
  title?: string;
}) {
  const rows = chartRows(history, forecast, level, { granularity, from });
  const past = rows.filter((r) => r.sold !== undefined).length;
  const bandLevel = forecast[0]?.intervals.length ? (level ?? Math.max(...forecast[0].intervals.map((i) => i.level))) : undefined;
  return (
    <figure aria-label={title} data-testid="forecast-chart" style={{ margin: 0 }}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 320, height }}>
        <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke={tokens.colorNeutralStroke2} />
          <XAxis dataKey={granularity === 'day' ? 'date' : 'label'} tick={{ fontSize: 10 }} minTickGap={24} />
          <YAxis tick={{ fontSize: 10 }} allowDecimals={false} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {bandLevel !== undefined ? (
            <Area
              type="monotone"
              dataKey="band"
              name={`${Math.round(levelFraction(bandLevel) * 1000) / 10}% interval`}
              stroke="none"
              fill="#106EBE"
              fillOpacity={0.18}
              isAnimationActive={false}
            />
          ) : null}
          <Line type="monotone" dataKey="sold" name="Units sold" stroke="#605E5C" dot={false} strokeWidth={1.5} isAnimationActive={false} />
          <Line type="monotone" dataKey="expected" name="Forecast" stroke="#106EBE" dot={false} strokeWidth={2} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption style={{ position: 'absolute', left: -10000 }}>
        {title}: {periodsText(past, granularity)} of history, {periodsText(forecast.length, granularity)} forecast
      </figcaption>
    </figure>
  );
}
