// "Why": what moves a forecast, in a buyer's words. The service labels each model column with its buyer-facing group
// ("average daily sales, last 4 weeks", "price vs usual price: -10%", "promotion"); the pane sums the columns of a
// group and shows the groups, biggest first, in units per period. Raw column names only under "Advanced".
import { Button, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { PredictWithContextResponse } from '../../../shared/schemas';
import { fmt } from './format';
import { useStyles } from './styles';

type Contribution = PredictWithContextResponse['explanation'][number];

export interface WhyLine {
  group: string;
  label: string;
  contribution: number;
  unit: string;
}

/** Lines shown before "Show details". */
export const WHY_LINES = 6;

/** The groups of an explanation, contributions summed, biggest effect first (items without a label: "other factors"). */
export function whyLines(contributions: Contribution[]): WhyLine[] {
  const byGroup = new Map<string, WhyLine>();
  for (const c of contributions) {
    const group = c.label ? (c.group ?? c.label) : 'other';
    const line = byGroup.get(group);
    if (line) line.contribution += c.contribution;
    else byGroup.set(group, { group, label: c.label ?? 'other factors', contribution: c.contribution, unit: c.unit ?? 'units' });
  }
  return [...byGroup.values()].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
}

/** "+6.2 units/day", "-12 units/week": one decimal under 10, whole units from 10; "about 0" when it rounds to nothing. */
export function signedUnits(value: number, unit: string): string {
  const digits = Math.abs(value) >= 9.95 ? 0 : 1;
  const shown = fmt(Math.abs(value), digits);
  if (Number(Math.abs(value).toFixed(digits)) === 0) return `about 0 ${unit}`;
  return `${value > 0 ? '+' : '-'}${shown} ${unit}`;
}

function Line({ line, max }: { line: WhyLine; max: number }) {
  const s = useStyles();
  const negative = line.contribution < 0;
  return (
    <li style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) 48px auto', gap: 6, alignItems: 'center', fontSize: 12 }}>
      <span style={{ overflowWrap: 'anywhere' }}>{line.label}</span>
      <span aria-hidden style={{ display: 'flex', justifyContent: negative ? 'flex-end' : 'flex-start', background: '#f3f2f1' }}>
        <span
          style={{ width: `${(Math.abs(line.contribution) / max) * 100}%`, height: 10, background: negative ? '#D13438' : '#107C10' }}
        />
      </span>
      <span className={s.number} style={{ whiteSpace: 'nowrap' }}>
        {signedUnits(line.contribution, line.unit)}
      </span>
    </li>
  );
}

/** What moves the forecast, grouped and labelled, biggest first; the model's own columns under "Advanced". */
export function Explanation({ contributions, summary }: { contributions: PredictWithContextResponse['explanation']; summary?: string }) {
  const s = useStyles();
  const [details, setDetails] = useState(false);
  const lines = whyLines(contributions);
  const shown = details ? lines : lines.slice(0, WHY_LINES);
  const max = Math.max(1e-9, ...lines.map((l) => Math.abs(l.contribution)));
  const columns = [...contributions].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const list = { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: 4 } as const;
  return (
    <div className={s.section} role="group" aria-label="Explanation">
      <Text weight="semibold">Why</Text>
      {summary ? <Text size={200}>{summary}</Text> : null}
      {lines.length === 0 ? (
        <Text size={200} className={s.muted}>
          The model gave no explanation for this prediction.
        </Text>
      ) : (
        <>
          <Text size={200} className={s.muted}>
            How much each moves the expected units of the first forecast period, from the model&apos;s average.
          </Text>
          <ul style={list} aria-label="What moves the forecast">
            {shown.map((line) => (
              <Line key={line.group} line={line} max={max} />
            ))}
          </ul>
          {lines.length > WHY_LINES ? (
            <div>
              <Button size="small" appearance="subtle" aria-expanded={details} onClick={() => setDetails(!details)}>
                {details ? 'Show fewer' : `Show details (${lines.length - WHY_LINES} more)`}
              </Button>
            </div>
          ) : null}
          <details style={{ fontSize: 12 }}>
            <summary>Advanced: model columns</summary>
            <ul style={list}>
              {columns.map((c) => (
                <li key={c.feature} style={{ display: 'flex', gap: 6, justifyContent: 'space-between' }}>
                  <span style={{ overflowWrap: 'anywhere' }}>{c.feature}</span>
                  <span className={s.number} style={{ whiteSpace: 'nowrap' }}>
                    {c.value === undefined ? '' : `value ${c.value.toLocaleString('en-US', { maximumFractionDigits: 4 })} · `}
                    {c.contribution > 0 ? '+' : ''}
                    {fmt(c.contribution, 3)}
                  </span>
                </li>
              ))}
            </ul>
          </details>
        </>
      )}
    </div>
  );
}
