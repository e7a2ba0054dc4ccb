import { Button, Checkbox, Divider, Field, Input, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { PredictWithContextRequest, PredictWithContextResponse, Scenario } from '../../../shared/schemas';
import type { ApiClient } from '../api/client';
import { Advanced, BasisNote } from '../components/basis';
import { StatCard, StatusBadge } from '../components/cards';
import { Explanation } from '../components/Explanation';
import { useDates } from '../components/dates';
import { DemoBanner, ErrorMessage, Loading, Notice } from '../components/feedback';
import { fmt, moneyOrUnknown, percent, wholeUnits } from '../components/format';
import { useAction } from '../components/hooks';
import { StoreProductPickers } from '../components/pickers';
import { useStyles } from '../components/styles';
import type { DateFormatter } from '../results/dates';
import { GRAIN_GRANULARITY } from '../results/periods';
import { accuracyLine, accuracyWords } from '../results/accuracy';
import { perDayVsWeek } from '../results/plan';
import { levelFraction } from '../results/sheets';
import {
  allOk,
  checkDays,
  checkMoney,
  checkPercent,
  checkPercentChange,
  checkServiceLevel,
  checkUnits,
  defaultHint,
  defaultsOf,
  fieldState,
  orDefault,
  type Checked,
} from '../settings/fields';

type SmartApi = Pick<ApiClient, 'stores' | 'products' | 'predictWithContext' | 'removeDemo' | 'defaults'>;

/** The period the interval is of: "daily", or the week or month a weekly or monthly store starts its forecast with. */
function intervalPeriod(r: PredictWithContextResponse, dates: DateFormatter): string {
  const { date, period_end: end } = r.confidence_interval;
  return date && end && date !== end ? dates.period(date, end, GRAIN_GRANULARITY[r.basis.grain]) : 'daily';
}

/** The what-if of one day; a field that does not check out is left out (the page refuses to run until it does). */
export function scenarioFrom(priceChange: string, discount: string, promotion: boolean): Scenario | undefined {
  const day: Scenario[number] = {};
  const change = checkPercentChange(priceChange, 'Price change');
  const off = checkPercent(discount, 'Discount');
  if (change.ok && change.value !== undefined) day.price_change_pct = change.value;
  if (off.ok && off.value !== undefined) day.discount = off.value;
  if (promotion) day.promotion = true;
  return Object.keys(day).length ? [day] : undefined;
}

/** The model's holdout figures of an answer in words ("typical daily error 25%; 17% better than ..."). */
function accuracyOf(r: PredictWithContextResponse): string | null {
  const c = r.performance_context;
  const words = accuracyWords({
    wape: c.wape,
    mae: null,
    rmse: null,
    mase: c.mase,
    accuracy: c.accuracy,
    grain: r.basis.grain,
    baseline: { mae: null, rmse: null, wape: c.baseline_wape, mase: null },
    best_baseline:
      c.best_baseline && c.best_baseline_wape !== undefined
        ? {
            name: c.best_baseline,
            label: c.best_baseline.replace(/_/g, ' '),
            figures: { mae: null, rmse: null, wape: c.best_baseline_wape, mase: null },
          }
        : null,
  });
  return words ? accuracyLine(words) : null;
}

interface Answer {
  answer: PredictWithContextResponse;
  baseline: PredictWithContextResponse | null;
  /** The request it answered, to tell when the fields have moved on. */
  key: string;
}

export function SmartPage({ api }: { api: SmartApi }) {
  const s = useStyles();
  const dates = useDates();
  const defaults = defaultsOf(api);
  const [generation, setGeneration] = useState(0);
  const [storeId, setStoreId] = useState('');
  const [productId, setProductId] = useState('');
  const [date, setDate] = useState('');
  const [stock, setStock] = useState('');
  const [onOrder, setOnOrder] = useState('');
  const [leadTime, setLeadTime] = useState('');
  const [review, setReview] = useState('');
  const [serviceLevel, setServiceLevel] = useState('');
  const [unitCost, setUnitCost] = useState('');
  const [price, setPrice] = useState('');
  const [priceChange, setPriceChange] = useState('');
  const [discount, setDiscount] = useState('');
  const [promotion, setPromotion] = useState(false);
  const [result, setResult] = useState<Answer | null>(null);

  const checks = {
    stock: checkUnits(stock, 'Stock on hand'),
    onOrder: checkUnits(onOrder, 'On order'),
    leadTime: checkDays(leadTime, 'Lead time'),
    review: checkDays(review, 'Review period'),
    serviceLevel: checkServiceLevel(serviceLevel),
    unitCost: checkMoney(unitCost, 'Unit cost'),
    price: checkMoney(price, 'Price'),
    priceChange: checkPercentChange(priceChange, 'Price change'),
    discount: checkPercent(discount, 'Discount'),
  };
  const valid = allOk(...Object.values(checks));
  const given = (field: string, c: Checked, fallback?: number) => {
    const v = orDefault(c, fallback);
    return v === undefined ? {} : { [field]: v };
  };
  const base: PredictWithContextRequest = {
    store_id: storeId,
    product_id: productId,
    ...(date ? { date } : {}),
    ...given('current_stock', checks.stock),
    ...given('on_order', checks.onOrder),
    ...given('lead_time_days', checks.leadTime, defaults.leadTimeDays),
    ...given('review_days', checks.review, defaults.reviewDays),
    ...given('service_level', checks.serviceLevel, defaults.serviceLevel),
    ...given('unit_cost', checks.unitCost),
    ...given('price', checks.price),
  };
  const scenario = scenarioFrom(priceChange, discount, promotion);
  const key = JSON.stringify({ base, scenario });
  const stale = result !== null && (!valid || key !== result.key);

  const run = useAction(async () => {
    // A failed run leaves no old answer under its error.
    setResult(null);
    const asked = key;
    // With a what-if, ask for the plain answer too so the difference shows.
    const [answer, baseline] = await Promise.all([
      api.predictWithContext(scenario ? { ...base, scenario } : base),
      scenario ? api.predictWithContext(base) : Promise.resolve(null),
    ]);
    setResult({ answer, baseline, key: asked });
  });

  const r = result?.answer;
  const b = result?.baseline;
  const vs = (y: number | undefined, digits = 1) => (y === undefined ? undefined : `without the what-if: ${fmt(y, digits)}`);
  const currency = defaults.currency ?? r?.financial_impact.currency ?? '';
  const stockRec = r?.stock_recommendation;
  const accuracy = r ? accuracyOf(r) : null;
  const mismatch = r ? perDayVsWeek(r.demand_estimates.daily, r.demand_estimates.weekly) : null;

  return (
    <section className={s.page} aria-label="Smart Prediction">
      <Text weight="semibold" size={400}>
        Smart prediction
      </Text>
      <DemoBanner
        api={api}
        onRemoved={() => {
          setResult(null);
          setStoreId('');
          setProductId('');
          setGeneration((g) => g + 1);
        }}
      />
      <StoreProductPickers
        key={generation}
        api={api}
        storeId={storeId}
        productId={productId}
        onStoreChange={setStoreId}
        onProductChange={setProductId}
      />
      <div className={s.fields}>
        <Field label="Planning day">
          <Input type="date" value={date} onChange={(_, d) => setDate(d.value)} aria-label="Planning day" />
        </Field>
        <Field label="Stock on hand" {...fieldState(checks.stock)}>
          <Input
            type="number"
            min={0}
            value={stock}
            placeholder="last known"
            onChange={(_, d) => setStock(d.value)}
            aria-label="Stock on hand"
          />
        </Field>
        <Field label="On order" {...fieldState(checks.onOrder)}>
          <Input type="number" min={0} value={onOrder} onChange={(_, d) => setOnOrder(d.value)} aria-label="On order" />
        </Field>
      </div>
      <div className={s.fields}>
        <Field label="Lead time (days)" {...fieldState(checks.leadTime)}>
          <Input
            type="number"
            min={0}
            value={leadTime}
            placeholder={defaultHint(defaults.leadTimeDays, 'days')}
            onChange={(_, d) => setLeadTime(d.value)}
            aria-label="Lead time (days)"
          />
        </Field>
        <Field label="Review period (days)" {...fieldState(checks.review)}>
          <Input
            type="number"
            min={0}
            value={review}
            placeholder={defaultHint(defaults.reviewDays, 'days')}
            onChange={(_, d) => setReview(d.value)}
            aria-label="Review period (days)"
          />
        </Field>
        <Field label="Service level (%)" {...fieldState(checks.serviceLevel)}>
          <Input
            type="number"
            step="any"
            value={serviceLevel}
            placeholder={defaultHint(defaults.serviceLevel, '%', 'default')}
            onChange={(_, d) => setServiceLevel(d.value)}
            aria-label="Service level (%)"
          />
        </Field>
        <Field label="Unit cost" {...fieldState(checks.unitCost)}>
          <Input
            type="number"
            min={0}
            value={unitCost}
            placeholder="from data"
            onChange={(_, d) => setUnitCost(d.value)}
            aria-label="Unit cost"
          />
        </Field>
        <Field label="Price" {...fieldState(checks.price)}>
          <Input type="number" min={0} value={price} placeholder="from data" onChange={(_, d) => setPrice(d.value)} aria-label="Price" />
        </Field>
      </div>
      <Divider>What if</Divider>
      <div className={s.fields}>
        <Field label="Price change (%)" {...fieldState(checks.priceChange)}>
          <Input
            type="number"
            value={priceChange}
            placeholder="e.g. -10"
            onChange={(_, d) => setPriceChange(d.value)}
            aria-label="Price change (%)"
          />
        </Field>
        <Field label="Discount (%)" {...fieldState(checks.discount)}>
          <Input type="number" min={0} max={100} value={discount} onChange={(_, d) => setDiscount(d.value)} aria-label="Discount (%)" />
        </Field>
        <Checkbox label="On promotion" checked={promotion} onChange={(_, d) => setPromotion(Boolean(d.checked))} />
      </div>
      <div className={s.row}>
        <Button appearance="primary" onClick={() => void run.run()} disabled={!storeId || !productId || !valid || run.busy}>
          Get recommendation
        </Button>
      </div>
      {run.busy ? <Loading label="Asking the model…" /> : null}
      <ErrorMessage error={run.error} title="Prediction failed" />
      {r && stockRec ? (
        <div className={s.section} role="group" aria-label="Recommendation">
          {stale ? (
            <Notice intent="warning">
              The fields have changed since this recommendation was made: Run again to apply the changes (Get recommendation).
            </Notice>
          ) : null}
          <Text>{r.summary}</Text>
          <BasisNote basis={r.basis} />
          <Text weight="semibold">Stock recommendation</Text>
          <div className={s.cards}>
            <StatCard label="Status" value={<StatusBadge status={stockRec.status} />} hint={`priority ${stockRec.priority}`} />
            <StatCard
              label="Order quantity"
              value={wholeUnits(stockRec.order_quantity)}
              hint={
                b ? vs(b.stock_recommendation.order_quantity, 0) : `units, up to ${wholeUnits(stockRec.order_up_to)} in stock and on order`
              }
              flag={r.basis}
            />
            <StatCard
              label="Reorder point"
              value={wholeUnits(stockRec.reorder_point)}
              hint={`units, of which safety stock ${wholeUnits(stockRec.safety_stock)}`}
              flag={r.basis}
            />
            <StatCard
              label="Days of cover"
              value={fmt(stockRec.days_of_cover, 1)}
              hint={`stock ${fmt(stockRec.current_stock)} · lead time ${fmt(stockRec.lead_time_days)} d · review ${fmt(stockRec.review_days)} d · service level ${percent(levelFraction(stockRec.service_level), 1)}`}
            />
          </div>
          <Text weight="semibold">Demand estimates (units)</Text>
          <div className={s.cards}>
            <StatCard
              label="Per day (average)"
              value={fmt(r.demand_estimates.daily, 2)}
              hint={b ? vs(b.demand_estimates.daily, 2) : 'over the coming weeks'}
              flag={r.basis}
            />
            <StatCard
              label="Next 7 days"
              value={fmt(r.demand_estimates.weekly, 1)}
              hint={b ? vs(b.demand_estimates.weekly) : undefined}
              flag={r.basis}
            />
            <StatCard
              label="Next 30 days"
              value={fmt(r.demand_estimates.monthly, 0)}
              hint={b ? vs(b.demand_estimates.monthly, 0) : undefined}
            />
            <StatCard
              label="Over lead time"
              value={fmt(r.demand_estimates.over_lead_time, 1)}
              hint={`the next ${fmt(stockRec.lead_time_days)} day${stockRec.lead_time_days === 1 ? '' : 's'}, until an order placed now arrives`}
            />
          </div>
          {mismatch ? (
            <Text size={200} className={s.muted}>
              {mismatch}
            </Text>
          ) : null}
          <Text weight="semibold">Financial impact ({currency})</Text>
          <div className={s.cards}>
            <StatCard
              label="Expected revenue"
              value={moneyOrUnknown(r.financial_impact.expected_revenue)}
              hint={`over lead time + review (${fmt(stockRec.lead_time_days + stockRec.review_days)} days) · price ${moneyOrUnknown(r.financial_impact.price)}`}
            />
            <StatCard
              label="Revenue at risk"
              value={moneyOrUnknown(r.financial_impact.revenue_at_risk)}
              hint="before an order placed now arrives"
            />
            <StatCard
              label="Order value"
              value={moneyOrUnknown(r.financial_impact.order_value)}
              hint={`unit cost ${moneyOrUnknown(r.financial_impact.unit_cost)}`}
            />
            <StatCard label="Excess stock value" value={moneyOrUnknown(r.financial_impact.excess_stock_value)} />
          </div>
          <StatCard
            label={`${percent(levelFraction(r.confidence_interval.level), 0)} interval (${intervalPeriod(r, dates)})`}
            value={`${fmt(r.confidence_interval.lower, 1)} – ${fmt(r.confidence_interval.upper, 1)}`}
            hint="units sold in that period"
            flag={r.basis}
          />
          <Explanation contributions={r.explanation} />
          {r.notes.length ? (
            <ul style={{ margin: 0, paddingLeft: 18, fontSize: 12 }}>
              {r.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
          {accuracy ? (
            <Text size={200} className={s.muted}>
              Model accuracy: {accuracy}
            </Text>
          ) : null}
          <Advanced>
            <span>Method: {r.basis.method}</span>
            <span>Model version: {r.performance_context.model_version}</span>
            <span>
              WAPE: {percent(r.performance_context.wape)} · best simple method
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
