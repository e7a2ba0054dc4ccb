// "Adjust this forecast": a buyer's override of a product's forecast over some days (multiply it, or set the units
// per period), with the reason, and the adjustments in force with a button to end each. Takes data and callbacks;
// the page talks to the service.
import { Button, Field, Input, Radio, RadioGroup, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { ForecastOverride, OverrideRequest } from '../../../shared/schemas';
import { overrideChange } from '../results/basis';
import { ErrorMessage, Loading } from './feedback';
import { useAction } from './hooks';
import { useStyles } from './styles';

type Kind = 'multiplier' | 'quantity';

/** What the form asks of a value: a number from 0 (a multiplier at most 100). */
export function checkAdjustment(kind: Kind, text: string): { ok: true; value: number } | { ok: false; message: string } {
  const value = Number(text.trim().replace(',', '.'));
  if (text.trim() === '' || !Number.isFinite(value)) return { ok: false, message: 'A number, e.g. 1.2 for 20% more' };
  if (value < 0) return { ok: false, message: 'Not below 0' };
  if (kind === 'multiplier' && value > 100) return { ok: false, message: 'At most 100 times the forecast' };
  return { ok: true, value };
}

/** An adjustment in words: "x1.5 from 2025-07-01 to 2025-07-07: Leaflet (anna)". */
export const adjustmentWords = (o: ForecastOverride) =>
  `${o.multiplier !== null ? overrideChange('multiplier', o.multiplier, o.from, o.to) : overrideChange('quantity', o.quantity!, o.from, o.to)}` +
  `${o.category !== null ? ` for all of ${o.category}` : ''}: ${o.reason}${o.created_by ? ` (${o.created_by})` : ''}`;

export function ForecastAdjustment({
  storeId,
  productId,
  from,
  to,
  inForce,
  onCreate,
  onEnd,
}: {
  storeId: string;
  productId: string;
  /** The forecast's first and last day: the range the form starts with. */
  from: string;
  to: string;
  /** Adjustments in force that can touch this product. */
  inForce: ForecastOverride[];
  onCreate: (request: OverrideRequest) => Promise<void>;
  onEnd: (overrideId: number) => Promise<void>;
}) {
  const s = useStyles();
  const [kind, setKind] = useState<Kind>('multiplier');
  const [valueText, setValueText] = useState('');
  const [fromDay, setFromDay] = useState(from);
  const [toDay, setToDay] = useState(to);
  const [reason, setReason] = useState('');
  const value = checkAdjustment(kind, valueText);
  const rangeOk = fromDay !== '' && toDay !== '' && fromDay <= toDay;
  const create = useAction(async () => {
    if (!value.ok || !rangeOk || reason.trim() === '') return;
    const amount = kind === 'multiplier' ? { multiplier: value.value } : { quantity: value.value };
    await onCreate({ store_id: storeId, product_id: productId, from: fromDay, to: toDay, ...amount, reason: reason.trim() });
    setValueText('');
    setReason('');
  });
  const end = useAction(onEnd);
  return (
    <div className={s.section} role="group" aria-label="Adjust this forecast">
      <Text weight="semibold">Adjust this forecast</Text>
      <Text size={200}>
        What you know that the sales do not show (a promotion, a local event): every forecast, plan and cell for these days uses it and says
        so, and once the sales are in, the Dashboard shows whether it helped.
      </Text>
      <RadioGroup
        layout="horizontal"
        value={kind}
        onChange={(_, d) => setKind(d.value as Kind)}
        aria-label="Adjustment"
        style={{ flexWrap: 'wrap' }}
      >
        <Radio value="multiplier" label="Multiply" />
        <Radio value="quantity" label="Set the units" />
      </RadioGroup>
      <div className={s.fields}>
        <Field
          label={kind === 'multiplier' ? 'Multiply by' : 'Units per period'}
          validationState={valueText === '' || value.ok ? 'none' : 'error'}
          validationMessage={valueText === '' || value.ok ? undefined : value.message}
        >
          <Input
            value={valueText}
            onChange={(_, d) => setValueText(d.value)}
            aria-label={kind === 'multiplier' ? 'Multiply by' : 'Units per period'}
          />
        </Field>
        <Field label="From">
          <Input type="date" value={fromDay} onChange={(_, d) => setFromDay(d.value)} aria-label="From" />
        </Field>
        <Field label="To" validationState={rangeOk ? 'none' : 'error'} validationMessage={rangeOk ? undefined : 'Not before "From"'}>
          <Input type="date" value={toDay} onChange={(_, d) => setToDay(d.value)} aria-label="To" />
        </Field>
      </div>
      <Field label="Reason">
        <Input value={reason} onChange={(_, d) => setReason(d.value)} aria-label="Reason" placeholder="e.g. leaflet promotion" />
      </Field>
      <div className={s.row}>
        <Button onClick={() => void create.run()} disabled={!value.ok || !rangeOk || reason.trim() === '' || create.busy}>
          Apply adjustment
        </Button>
      </div>
      {create.busy ? <Loading label="Saving the adjustment…" /> : null}
      <ErrorMessage error={create.error} title="Could not save the adjustment" />
      <ErrorMessage error={end.error} title="Could not end the adjustment" />
      {inForce.length > 0 ? (
        <div className={s.section} role="list" aria-label="Adjustments in force">
          {inForce.map((o) => (
            <div key={o.id} role="listitem" className={s.row}>
              <Text size={200}>{adjustmentWords(o)}</Text>
              <Button size="small" onClick={() => void end.run(o.id)} disabled={end.busy} aria-label={`End adjustment ${o.id}`}>
                End
              </Button>
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
