import { Button, Checkbox, Divider, Field, Input, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { PredictWithContextRequest, PredictWithContextResponse, Scenario } from '../../../shared/schemas';
import type { ApiClient } from '../api/client';
import { Advanced, BasisNote, nextStep } from '../components/basis';
import { StatCard, StatusBadge } from '../components/cards';
import { ErrorMessage, Loading } from '../components/feedback';
import { fmt, money, percent } from '../components/format';
import { useAction } from '../components/hooks';
import { StoreProductPickers } from '../components/pickers';
import { useStyles } from '../components/styles';
import { GRAIN_GRANULARITY, periodLabel } from '../results/periods';
import { levelFraction } from '../results/sheets';

type SmartApi = Pick<ApiClient, 'stores' | 'products' | 'predictWithContext'>;

/** Feature contributions as horizontal bars, largest effect first. */
export function Explanation({ contributions, summary }: { contributions: PredictWithContextResponse['explanation']; summary?: string }) {
  const s = useStyles();
  const top = [...contributions].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)).slice(0, 8);
  const max = Math.max(1e-9, ...top.map((c) => Math.abs(c.contribution)));
  return (
    <div className={s.section} role="group" aria-label="Explanation">
      <Text weight="semibold">Why</Text>
      {summary ? <Text size={200}>{summary}</Text> : null}
      {top.length === 0 ? (
        <Text size={200} className={s.muted}>
          The model gave no explanation for this prediction.
        </Text>
      ) : null}
      {top.map((c) => (
        <div key={c.feature} style={{ display: 'grid', gridTemplateColumns: '120px 1fr 56px', gap: 6, alignItems: 'center', fontSize: 12 }}>
          <span title={c.feature} style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
            {c.feature}
          </span>
          <span style={{ display: 'flex', justifyContent: c.contribution < 0 ? 'flex-end' : 'flex-start', background: '#f3f2f1' }}>
            <span
              style={{
                width: `${(Math.abs(c.contribution) / max) * 100}%`,
                height: 10,
                background: c.contribution < 0 ? '#D13438' : '#107C10',
              }}
            />
          </span>
          <span className={s.number}>
            {c.contribution > 0 ? '+' : ''}
            {fmt(c.contribution, 2)}
          </span>
        </div>
      ))}
    </div>
  );
}

const num = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

/** The period the interval is of: "daily", or the week or month a weekly or monthly store starts its forecast with. */
function intervalPeriod(r: PredictWithContextResponse): string {
  const { date, period_end: end } = r.confidence_interval;
  return date && end && date !== end ? periodLabel(date, end, GRAIN_GRANULARITY[r.basis.grain]) : 'daily';
}

export function scenarioFrom(priceChange: string, discount: string, promotion: boolean): Scenario | undefined {
  const day: Scenario[number] = {};
  if (num(priceChange) !== undefined) day.price_change_pct = num(priceChange);
  if (num(discount) !== undefined) day.discount = num(discount);
  if (promotion) day.promotion = true;
  return Object.keys(day).length ? [day] : undefined;
}

export function SmartPage({ api }: { api: SmartApi }) {
  const s = useStyles();
  const [storeId, setStoreId] = useState('');
  const [productId, setProductId] = useState('');
  const [date, setDate] = useState('');
  const [stock, setStock] = useState('');
  const [onOrder, setOnOrder] = useState('');
  const [leadTime, setLeadTime] = useState('');
  const [serviceLevel, setServiceLevel] = useState('');
  const [unitCost, setUnitCost] = useState('');
  const [price, setPrice] = useState('');
  const [priceChange, setPriceChange] = useState('');
  const [discount, setDiscount] = useState('');
  const [promotion, setPromotion] = useState(false);
  const [result, setResult] = useState<{ answer: PredictWithContextResponse; baseline: PredictWithContextResponse | null } | null>(null);

  const run = useAction(async () => {
    const base: PredictWithContextRequest = {
      store_id: storeId,
      product_id: productId,
      ...(date ? { date } : {}),
      ...(num(stock) !== undefined ? { current_stock: num(stock) } : {}),
      ...(num(onOrder) !== undefined ? { on_order: num(onOrder) } : {}),
      ...(num(leadTime) !== undefined ? { lead_time_days: num(leadTime) } : {}),
      ...(num(serviceLevel) !== undefined ? { service_level: num(serviceLevel) } : {}),
      ...(num(unitCost) !== undefined ? { unit_cost: num(unitCost) } : {}),
      ...(num(price) !== undefined ? { price: num(price) } : {}),
    };
    const scenario = scenarioFrom(priceChange, discount, promotion);
    // With a what-if, ask for the plain answer too so the difference shows.
    const [answer, baseline] = await Promise.all([
      api.predictWithContext(scenario ? { ...base, scenario } : base),
      scenario ? api.predictWithContext(base) : Promise.resolve(null),
    ]);
    setResult({ answer, baseline });
  });

  const r = result?.answer;
  const b = result?.baseline;
  const vs = (x: number, y: number | undefined, digits = 1) => (y === undefined ? undefined : `without the what-if: ${fmt(y, digits)}`);

  return (
    <section className={s.page} aria-label="Smart Prediction">
      <Text weight="semibold" size={400}>
        Smart prediction
      </Text>
      <StoreProductPickers api={api} storeId={storeId} productId={productId} onStoreChange={setStoreId} onProductChange={setProductId} />
      <div className={s.fields}>
        <Field label="Planning day">
          <Input type="date" value={date} onChange={(_, d) => setDate(d.value)} aria-label="Planning day" />
        </Field>
        <Field label="Stock on hand">
          <Input
            type="number"
            min={0}
            value={stock}
            placeholder="last known"
            onChange={(_, d) => setStock(d.value)}
            aria-label="Stock on hand"
          />
        </Field>
        <Field label="On order">
          <Input type="number" min={0} value={onOrder} onChange={(_, d) => setOnOrder(d.value)} aria-label="On order" />
        </Field>
      </div>
      <div className={s.fields}>
        <Field label="Lead time (days)">
          <Input
            type="number"
            min={0}
            value={leadTime}
            placeholder="default"
            onChange={(_, d) => setLeadTime(d.value)}
            aria-label="Lead time (days)"
          />
        </Field>
        <Field label="Service level (%)">
          <Input
            type="number"
            value={serviceLevel}
            placeholder="default"
            onChange={(_, d) => setServiceLevel(d.value)}
            aria-label="Service level (%)"
          />
        </Field>
        <Field label="Unit cost">
          <Input
            type="number"
            min={0}
            value={unitCost}
            placeholder="from data"
            onChange={(_, d) => setUnitCost(d.value)}
            aria-label="Unit cost"
          />
        </Field>
        <Field label="Price">
          <Input type="number" min={0} value={price} placeholder="from data" onChange={(_, d) => setPrice(d.value)} aria-label="Price" />
        </Field>
      </div>
      <Divider>What if</Divider>
      <div className={s.fields}>
        <Field label="Price change (%)">
          <Input
            type="number"
            value={priceChange}
            placeholder="e.g. -10"
            onChange={(_, d) => setPriceChange(d.value)}
            aria-label="Price change (%)"
          />
        </Field>
        <Field label="Discount (%)">
          <Input type="number" min={0} max={100} value={discount} onChange={(_, d) => setDiscount(d.value)} aria-label="Discount (%)" />
        </Field>
        <Checkbox label="On promotion" checked={promotion} onChange={(_, d) => setPromotion(Boolean(d.checked))} />
      </div>
      <div className={s.row}>
        <Button appearance="primary" onClick={() => void run.run()} disabled={!storeId || !productId || run.busy}>
          Get recommendation
        </Button>
      </div>
      {run.busy ? <Loading label="Asking the model…" /> : null}
      <ErrorMessage error={run.error} title="Prediction failed" hint={nextStep(run.error)} />
      {r ? (
        <div className={s.section} role="group" aria-label="Recommendation">
          <Text>{r.summary}</Text>
          <BasisNote basis={r.basis} />
          <Text weight="semibold">Stock recommendation</Text>
          <div className={s.cards}>
            <StatCard
              label="Status"
              value={<StatusBadge status={r.stock_recommendation.status} />}
              hint={`priority ${r.stock_recommendation.priority}`}
            />
            <StatCard
              label="Order quantity"
              value={fmt(r.stock_recommendation.order_quantity)}
              hint={b ? vs(0, b.stock_recommendation.order_quantity, 0) : `up to ${fmt(r.stock_recommendation.order_up_to)}`}
            />
            <StatCard
              label="Reorder point"
              value={fmt(r.stock_recommendation.reorder_point, 1)}
              hint={`safety stock ${fmt(r.stock_recommendation.safety_stock, 1)}`}
            />
            <StatCard
              label="Days of cover"
              value={fmt(r.stock_recommendation.days_of_cover, 1)}
              hint={`stock ${fmt(r.stock_recommendation.current_stock)} · lead ${fmt(r.stock_recommendation.lead_time_days)} d`}
            />
          </div>
          <Text weight="semibold">Demand estimates</Text>
          <div className={s.cards}>
            <StatCard label="Daily" value={fmt(r.demand_estimates.daily, 1)} hint={b ? vs(0, b.demand_estimates.daily) : undefined} />
            <StatCard label="Weekly" value={fmt(r.demand_estimates.weekly, 1)} hint={b ? vs(0, b.demand_estimates.weekly) : undefined} />
            <StatCard
              label="Monthly"
              value={fmt(r.demand_estimates.monthly, 0)}
              hint={b ? vs(0, b.demand_estimates.monthly, 0) : undefined}
            />
            <StatCard label="Over lead time" value={fmt(r.demand_estimates.over_lead_time, 1)} />
          </div>
          <Text weight="semibold">Financial impact ({r.financial_impact.currency})</Text>
          <div className={s.cards}>
            <StatCard
              label="Expected revenue"
              value={money(r.financial_impact.expected_revenue)}
              hint={`price ${money(r.financial_impact.price)}`}
            />
            <StatCard label="Revenue at risk" value={money(r.financial_impact.revenue_at_risk)} />
            <StatCard
              label="Order value"
              value={money(r.financial_impact.order_value)}
              hint={`unit cost ${money(r.financial_impact.unit_cost)}`}
            />
            <StatCard label="Excess stock value" value={money(r.financial_impact.excess_stock_value)} />
          </div>
          <StatCard
            label={`${percent(levelFraction(r.confidence_interval.level), 0)} interval (${intervalPeriod(r)})`}
            value={`${fmt(r.confidence_interval.lower, 1)} – ${fmt(r.confidence_interval.upper, 1)}`}
            hint="units sold in that period"
          />
          <Explanation contributions={r.explanation} />
          {r.notes.length ? (
            <ul style={{ margin: 0, paddingLeft: 18, fontSize: 12 }}>
              {r.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
          <Advanced>
            <span>Method: {r.basis.method}</span>
            <span>Model version: {r.performance_context.model_version}</span>
            <span>
              Typical error (WAPE): {percent(r.performance_context.wape)} · best simple method
              {r.performance_context.best_baseline ? ` (${r.performance_context.best_baseline})` : ''}:{' '}
              {percent(r.performance_context.best_baseline_wape ?? r.performance_context.baseline_wape)}
            </span>
            <span>MASE: {fmt(r.performance_context.mase, 2)}</span>
          </Advanced>
        </div>
      ) : null}
    </section>
  );
}
