// "Forecast vs what sold": the store's saved plans against the sales uploaded since, week by week (or month by month),
// with what the simple method would have said, the service's plain sentences about it, and the products it missed
// most. Takes the report; fetching is the page's.
import { Text, tokens } from '@fluentui/react-components';
import { CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AccuracyResponse } from '../../../shared/schemas';
import { Advanced } from './basis';
import { useDates } from './dates';
import { fmt, percent } from './format';
import { useStyles } from './styles';

export function TrackedAccuracy({ report }: { report: AccuracyResponse }) {
  const s = useStyles();
  const dates = useDates();
  const rows = report.over_time.map((p) => ({
    period: report.over_time_unit === 'month' ? dates.month(p.from) : dates.range(p.from, p.to),
    Forecast: p.forecast,
    Sold: p.actual,
    'Simple method': p.reference_forecast ?? undefined,
  }));
  const o = report.overall;
  return (
    <section aria-label="Forecast vs what sold" className={s.page}>
      <Text weight="semibold">Forecast vs what sold</Text>
      {rows.length > 0 ? (
        <div data-testid="tracked-accuracy-chart" style={{ width: '100%', height: 220 }}>
          <ResponsiveContainer>
            <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="period" tick={{ fontSize: 11 }} />
              <YAxis tick={{ fontSize: 11 }} width={44} />
              <Tooltip formatter={(value) => `${fmt(Math.round(Number(value)))} units`} />
              <Legend />
              <Line type="linear" dataKey="Sold" stroke={tokens.colorNeutralForeground1} strokeWidth={2} isAnimationActive={false} />
              <Line type="linear" dataKey="Forecast" stroke={tokens.colorBrandForeground1} strokeWidth={2} isAnimationActive={false} />
              <Line
                type="linear"
                dataKey="Simple method"
                stroke={tokens.colorNeutralForeground3}
                strokeDasharray="4 3"
                isAnimationActive={false}
              />
            </ComposedChart>
          </ResponsiveContainer>
        </div>
      ) : null}
      {report.notes.map((note) => (
        <Text key={note} size={200}>
          {note}
        </Text>
      ))}
      {report.largest_error.length > 0 ? (
        <Text size={200}>
          Missed most:{' '}
          {report.largest_error
            .map((p) => `${p.product_id} (forecast ${fmt(Math.round(p.forecast))}, sold ${fmt(Math.round(p.actual))})`)
            .join(', ')}
          .
        </Text>
      ) : null}
      {report.scored_periods > 0 ? (
        <Advanced>
          <span>WAPE: {o.wape === null ? '—' : percent(o.wape, 1)}</span>
          <span>Bias: {o.bias === null ? '—' : percent(o.bias, 1)}</span>
          <span>
            Interval coverage: {o.coverage === null ? '—' : percent(o.coverage, 0)}
            {o.interval_level === null ? '' : ` (nominal ${o.interval_level}%)`}
          </span>
          <span>
            Simple method ({report.reference ?? '—'}) WAPE: {o.reference_wape === null ? '—' : percent(o.reference_wape, 1)}
          </span>
          <span>
            Scored {fmt(report.scored_periods)} product-periods; {fmt(report.pending_periods)} wait for sales
          </span>
        </Advanced>
      ) : null}
    </section>
  );
}
