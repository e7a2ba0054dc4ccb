// History and forecast on one time axis, the prediction interval drawn as a band (recharts).
import { tokens } from '@fluentui/react-components';
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ForecastPoint, HistoryPoint } from '../../../shared/schemas';
import { historyPerDay } from '../results/history';
import { levelFraction } from '../results/sheets';

interface ChartRow {
  date: string;
  sold?: number;
  expected?: number;
  band?: [number, number];
}

/** Merges history and forecast by date; the band uses the widest level asked for (or `level`). */
export function chartRows(history: readonly HistoryPoint[], forecast: readonly ForecastPoint[], level?: number): ChartRow[] {
  const rows = new Map<string, ChartRow>();
  // Weekly and monthly history as its average per day, in the units of the daily forecast.
  for (const h of historyPerDay(history)) rows.set(h.date, { date: h.date, sold: h.units_sold });
  for (const p of forecast) {
    const intervals = [...p.intervals].sort((a, b) => a.level - b.level);
    const chosen =
      (level !== undefined ? intervals.find((i) => Math.abs(levelFraction(i.level) - levelFraction(level)) < 1e-9) : undefined) ??
      intervals[intervals.length - 1];
    const row = rows.get(p.date) ?? { date: p.date };
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
  height = 240,
  title = 'History and forecast',
}: {
  history: readonly HistoryPoint[];
  forecast: readonly ForecastPoint[];
  level?: number;
  height?: number;
  title?: string;
}) {
  const rows = chartRows(history, forecast, level);
  const bandLevel = forecast[0]?.intervals.length ? (level ?? Math.max(...forecast[0].intervals.map((i) => i.level))) : undefined;
  return (
    <figure aria-label={title} data-testid="forecast-chart" style={{ margin: 0 }}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 320, height }}>
        <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke={tokens.colorNeutralStroke2} />
          <XAxis dataKey="date" tick={{ fontSize: 10 }} minTickGap={24} />
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
        {title}: {history.length} days of history, {forecast.length} forecast days
      </figcaption>
    </figure>
  );
}
