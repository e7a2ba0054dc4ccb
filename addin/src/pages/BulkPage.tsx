// Long file: the store plan page and its expanded product row share the plan's state, columns and wording; apart they would pass a dozen props both ways.
// Bulk: every product of a store planned at once. What is downloaded is exactly the plan on screen (the same run,
// with the parameters it was made with in a header block); a field changed since the run says "Run again" and holds
// the download back; a failed run clears the old plan. In a narrow pane (350-450 px) a row shows the product, its
// status, order and value, the rest in the expanded row.
import {
  Button,
  Field,
  Input,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  mergeClasses,
} from '@fluentui/react-components';
import { Fragment, useEffect, useMemo, useState } from 'react';
import { MAX_HORIZON_DAYS, type BulkPrediction, type BulkPredictRequest, type BulkPredictResponse } from '../../../shared/schemas';
import type { ApiClient } from '../api/client';
import { BasisNote, ConfidenceBadge } from '../components/basis';
import { StatCard, StatusBadge } from '../components/cards';
import { useDates } from '../components/dates';
import { DemoBanner, ErrorMessage, Loading, Notice } from '../components/feedback';
import { fmt, money, moneyOrUnknown, wholeUnits } from '../components/format';
import { useAction } from '../components/hooks';
import { productLabel, StorePicker } from '../components/pickers';
import { useStyles } from '../components/styles';
import { fileStem } from '../files/download';
import type { PaneHost } from '../pane-host';
import { isSimpleMethod } from '../results/basis';
import { doubtsAmong, orderTotals, orderValueText, perDayVsWeek, revenueAtRisk, unpricedNote, type PlanParameters } from '../results/plan';
import { bulkPredictionsSheet, confidenceSummary, purchasePlanSheet, reorderPlanSheet } from '../results/sheets';
import { BudgetOrder } from '../components/BudgetOrder';
import { SupplierForm } from '../components/SupplierForm';
import { allOk, checkDays, checkHorizon, checkServiceLevel, defaultHint, defaultsOf, fieldState, orDefault } from '../settings/fields';
import { Explanation } from '../components/Explanation';

type BulkApi = Pick<
  ApiClient,
  'stores' | 'bulkPredict' | 'predictWithContext' | 'purchasePlan' | 'setSupplier' | 'removeDemo' | 'defaults'
>;

type SortKey =
  'product_id' | 'status' | 'current_stock' | 'predicted_demand' | 'order_quantity' | 'order_value' | 'revenue_at_risk' | 'days_of_cover';
interface Column {
  key: SortKey;
  label: string;
  numeric?: boolean;
  /** Shown in a narrow pane too (the rest moves into the expanded row). */
  compact?: boolean;
}
const COLUMNS: Column[] = [
  { key: 'product_id', label: 'Product', compact: true },
  { key: 'status', label: 'Status', compact: true },
  { key: 'current_stock', label: 'Stock', numeric: true },
  { key: 'predicted_demand', label: 'Demand', numeric: true },
  { key: 'order_quantity', label: 'Order', numeric: true, compact: true },
  { key: 'order_value', label: 'Value', numeric: true, compact: true },
  { key: 'revenue_at_risk', label: 'At risk', numeric: true },
  { key: 'days_of_cover', label: 'Cover (d)', numeric: true },
];

export function sortPredictions(
  rows: readonly BulkPrediction[],
  key: SortKey | null,
  direction: 'ascending' | 'descending',
): BulkPrediction[] {
  if (!key) return [...rows]; // the service's order: priority, then revenue at risk
  const sign = direction === 'ascending' ? 1 : -1;
  const value = (p: BulkPrediction) => (key === 'status' ? p.priority : p[key]);
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === y) return 0;
    if (x === null) return 1; // blanks last either way
    if (y === null) return -1;
    return (x < y ? -1 : 1) * sign;
  });
}

/** A pane this narrow shows the compact list. */
export const NARROW_PANE = '(max-width: 460px)';

function useNarrow(): boolean {
  const media = () => (typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia(NARROW_PANE) : null);
  const [narrow, setNarrow] = useState(() => media()?.matches ?? false);
  useEffect(() => {
    const query = media();
    if (!query) return;
    const changed = () => setNarrow(query.matches);
    query.addEventListener?.('change', changed);
    return () => query.removeEventListener?.('change', changed);
  }, []);
  return narrow;
}

/** A row's cells, as the table shows them: no forecast, no demand and no order (its zeros would read as "enough"). */
function cells(p: BulkPrediction): Record<SortKey, string> {
  const none = p.basis.confidence === 'none';
  return {
    product_id: p.product_id,
    status: p.status,
    current_stock: fmt(p.current_stock),
    predicted_demand: fmt(p.predicted_demand, 1),
    order_quantity: none ? '—' : wholeUnits(p.order_quantity),
    order_value: none ? '—' : p.order_quantity > 0 ? moneyOrUnknown(p.order_value) : money(p.order_value),
    revenue_at_risk: none || p.current_stock === null ? '—' : moneyOrUnknown(p.revenue_at_risk),
    days_of_cover: fmt(p.days_of_cover, 1),
  };
}

/** Money columns say their currency in the header, not in every cell. */
const MONEY: ReadonlySet<SortKey> = new Set(['order_value', 'revenue_at_risk']);

/** The plan on screen, with what it was asked (its request, to tell when the fields have moved on). */
interface Run {
  key: string;
  asked: PlanParameters;
  plan: BulkPredictResponse;
}

export function BulkPage({ api, host }: { api: BulkApi; host: PaneHost }) {
  const s = useStyles();
  const dates = useDates();
  const narrow = useNarrow();
  const defaults = defaultsOf(api);
  const [generation, setGeneration] = useState(0);
  const [storeId, setStoreId] = useState('');
  const [date, setDate] = useState('');
  const [horizon, setHorizon] = useState('7');
  const [leadTime, setLeadTime] = useState('');
  const [review, setReview] = useState('');
  const [serviceLevel, setServiceLevel] = useState('');
  const [run, setRun] = useState<Run | null>(null);
  const [sortKey, setSortKey] = useState<SortKey | null>(null);
  const [direction, setDirection] = useState<'ascending' | 'descending'>('descending');
  const [open, setOpen] = useState<string | null>(null);
  const [written, setWritten] = useState<string | null>(null);

  const checks = {
    horizon: checkHorizon(horizon, MAX_HORIZON_DAYS),
    leadTime: checkDays(leadTime, 'Lead time'),
    review: checkDays(review, 'Review period'),
    serviceLevel: checkServiceLevel(serviceLevel),
  };
  const valid = allOk(...Object.values(checks));
  // Empty fields take the buyer's defaults; what is still empty is the product's own value, else the service's.
  const asked: PlanParameters = Object.fromEntries(
    Object.entries({
      lead_time_days: orDefault(checks.leadTime, defaults.leadTimeDays),
      review_days: orDefault(checks.review, defaults.reviewDays),
      service_level: orDefault(checks.serviceLevel, defaults.serviceLevel),
    }).filter(([, v]) => v !== undefined),
  );
  const request: BulkPredictRequest = {
    store_id: storeId,
    ...(date ? { prediction_date: date } : {}),
    horizon_days: checks.horizon.ok ? checks.horizon.value : undefined,
    ...asked,
    // Every plan shown here may be written to a sheet and ordered on: it is saved, so the sales uploaded later check
    // it (GET /accuracy, the Dashboard's "Forecast vs what sold").
    save: true,
  };
  const key = JSON.stringify(request);
  const stale = run !== null && (!valid || key !== run.key);

  const predict = useAction(async () => {
    // A failed run leaves no old plan under its error.
    setRun(null);
    setWritten(null);
    setOpen(null);
    const sent = { key, asked };
    const plan = await api.bulkPredict(request);
    setRun({ ...sent, plan });
  });
  const plan = run?.plan ?? null;
  const currency = defaults.currency ?? plan?.summary.currency ?? '';
  const write = useAction(async () => {
    if (!run) return;
    const how = { asked: run.asked, currency };
    setWritten(
      await host.writeSheets(
        [bulkPredictionsSheet(run.plan, how), reorderPlanSheet(run.plan, how)],
        fileStem('bulk-predictions', run.plan.store_id, run.plan.prediction_date),
      ),
    );
  });

  const rows = useMemo(() => (plan ? sortPredictions(plan.predictions, sortKey, direction) : []), [plan, sortKey, direction]);
  const sortBy = (key: SortKey) => {
    if (sortKey === key) setDirection(direction === 'ascending' ? 'descending' : 'ascending');
    else {
      setSortKey(key);
      setDirection(key === 'product_id' ? 'ascending' : 'descending');
    }
  };
  const columns = narrow ? COLUMNS.filter((c) => c.compact) : COLUMNS;
  const trust = plan ? confidenceSummary(plan) : '';

  return (
    <section className={s.page} aria-label="Bulk Predictions">
      <Text weight="semibold" size={400}>
        Bulk predictions
      </Text>
      <DemoBanner
        api={api}
        onRemoved={() => {
          setRun(null);
          setStoreId('');
          setGeneration((g) => g + 1);
        }}
      />
      <div className={s.row}>
        <div className={s.grow}>
          <StorePicker key={generation} api={api} value={storeId} onChange={setStoreId} />
        </div>
        <Field label="Planning day" hint="Empty: the day after the last sale">
          <Input type="date" value={date} onChange={(_, d) => setDate(d.value)} aria-label="Planning day" />
        </Field>
      </div>
      <div className={s.fields}>
        <Field label="Horizon (days)" {...fieldState(checks.horizon)}>
          <Input
            type="number"
            min={1}
            max={MAX_HORIZON_DAYS}
            value={horizon}
            onChange={(_, d) => setHorizon(d.value)}
            aria-label="Horizon (days)"
          />
        </Field>
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
            min={50}
            max={99.9}
            step="any"
            value={serviceLevel}
            placeholder={defaultHint(defaults.serviceLevel, '%', 'default')}
            onChange={(_, d) => setServiceLevel(d.value)}
            aria-label="Service level (%)"
          />
        </Field>
      </div>
      <div className={s.row}>
        <Button appearance="primary" onClick={() => void predict.run()} disabled={!storeId || !valid || predict.busy}>
          Run predictions
        </Button>
      </div>
      {predict.busy ? <Loading label="Predicting every product…" /> : null}
      <ErrorMessage error={predict.error} title="Bulk prediction failed" />
      {run && plan ? (
        <>
          {stale ? (
            <Notice intent="warning">
              The fields have changed since this plan was made: Run again to apply the changes. Until then the plan below (and its download)
              is the one made with the earlier values.
            </Notice>
          ) : null}
          <Text size={200} className={s.muted}>
            Store {plan.store_id}, planning day {dates.day(plan.prediction_date)}, {plan.horizon_days}-day horizon, model{' '}
            {plan.model_version}
          </Text>
          <PlanCards plan={plan} currency={currency} />
          {trust ? <Notice intent="warning">{trust}. Their rows are flagged; open one to see why.</Notice> : null}
          <div className={s.row}>
            <Button appearance="primary" onClick={() => void write.run()} disabled={write.busy || stale}>
              {host.mode === 'excel' ? 'Write to sheets' : 'Download'}
            </Button>
            <Text size={200} className={s.muted}>
              The plan and the reorder sheet, with what they were made with{stale ? ' (run again first)' : ''}.
            </Text>
          </div>
          {write.busy ? <Loading label={host.mode === 'excel' ? 'Writing sheets…' : 'Preparing the workbook…'} /> : null}
          {!stale ? (
            <BudgetOrder
              currency={currency}
              fullCost={plan.summary.total_order_value}
              writeText={host.mode === 'excel' ? 'Write the purchase plan' : 'Download the purchase plan'}
              onPlan={(budget) =>
                api.purchasePlan({
                  store_id: plan.store_id,
                  prediction_date: plan.prediction_date,
                  horizon_days: plan.horizon_days,
                  ...run.asked,
                  budget,
                })
              }
              onWrite={(purchase) =>
                host.writeSheets(
                  [purchasePlanSheet(purchase)],
                  fileStem('purchase-plan', purchase.store_ids.join('-'), purchase.prediction_date),
                )
              }
            />
          ) : null}
          {written ? <Notice>{written}</Notice> : null}
          <ErrorMessage error={write.error} title={host.mode === 'excel' ? 'Could not write the sheets' : 'Could not download'} />
          <div className={s.tableWrap}>
            <Table
              size="extra-small"
              aria-label="Products"
              sortable
              style={{ tableLayout: 'auto', width: narrow ? '100%' : 'max-content', minWidth: '100%', whiteSpace: 'nowrap' }}
            >
              <TableHeader>
                <TableRow>
                  {/* Not sortable: in a sortable table a header cell is a button, and this one needs a name a screen reader reads. */}
                  <TableHeaderCell style={{ width: 28 }} aria-label="Details" button={{ 'aria-label': 'Details', tabIndex: -1 }} />
                  {columns.map((c) => (
                    <TableHeaderCell key={c.key} sortDirection={sortKey === c.key ? direction : undefined} onClick={() => sortBy(c.key)}>
                      {c.label}
                      {MONEY.has(c.key) && currency ? ` (${currency})` : ''}
                    </TableHeaderCell>
                  ))}
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((p) => {
                  const shown = cells(p);
                  const none = p.basis.confidence === 'none';
                  return (
                    <Fragment key={p.product_id}>
                      <TableRow data-product={p.product_id}>
                        <TableCell>
                          <Button
                            size="small"
                            appearance="subtle"
                            aria-expanded={open === p.product_id}
                            aria-label={`Details of ${p.product_id}`}
                            onClick={() => setOpen(open === p.product_id ? null : p.product_id)}
                          >
                            {open === p.product_id ? '▾' : '▸'}
                          </Button>
                        </TableCell>
                        {columns.map((c) => (
                          <TableCell
                            key={c.key}
                            className={c.numeric ? s.number : undefined}
                            // In a narrow pane a long product name wraps rather than widening the list.
                            style={narrow && c.key === 'product_id' ? { whiteSpace: 'normal', overflowWrap: 'anywhere' } : undefined}
                          >
                            {c.key === 'status' ? (
                              <StatusBadge status={p.status} />
                            ) : c.key === 'product_id' ? (
                              <>
                                {p.product_id}
                                {p.product_name ? <span className={s.muted}>{` · ${p.product_name}`}</span> : null}
                                {p.basis.confidence === 'normal' ? null : (
                                  <>
                                    {' '}
                                    <ConfidenceBadge basis={p.basis} />
                                  </>
                                )}
                              </>
                            ) : (
                              shown[c.key]
                            )}
                          </TableCell>
                        ))}
                      </TableRow>
                      {none ? (
                        <TableRow aria-label={`Note on ${p.product_id}`}>
                          <TableCell colSpan={columns.length + 1}>
                            <div className={mergeClasses(s.muted, !narrow && s.inView)} style={{ fontSize: 12, whiteSpace: 'normal' }}>
                              {p.note ?? p.basis.reasons.join(' ')}
                            </div>
                          </TableCell>
                        </TableRow>
                      ) : null}
                      {open === p.product_id ? (
                        <TableRow>
                          <TableCell colSpan={columns.length + 1} className={s.detail} style={{ whiteSpace: 'normal' }}>
                            <ProductDetail p={p} plan={plan} api={api} currency={currency} compact={narrow} />
                          </TableCell>
                        </TableRow>
                      ) : null}
                    </Fragment>
                  );
                })}
              </TableBody>
            </Table>
          </div>
        </>
      ) : null}
    </section>
  );
}

/** The summary cards, each saying how many of its products are rough estimates, and money that is unknown as such. */
function PlanCards({ plan, currency }: { plan: BulkPredictResponse; currency: string }) {
  const s = useStyles();
  const rows = plan.predictions;
  const totals = orderTotals(plan);
  const risk = revenueAtRisk(plan);
  const of = (status: BulkPrediction['status']) => rows.filter((p) => p.status === status);
  /** The card's own doubts, as a flag and a line under its hint. */
  const doubts = (among: readonly BulkPrediction[]) => {
    const text = doubtsAmong(among);
    const low = among.some((p) => p.basis.confidence === 'low');
    return { text, flag: low ? { confidence: 'low' as const, reasons: [text] } : null };
  };
  const line = (...parts: string[]) => parts.filter(Boolean).join(' · ');
  const all = doubts(rows);
  const critical = doubts(of('CRITICAL'));
  const low = doubts(of('LOW'));
  const ordering = doubts(rows.filter((p) => p.basis.confidence !== 'none' && p.order_quantity > 0));
  const noForecast = rows.filter((p) => p.basis.confidence === 'none').length;
  return (
    <div className={s.cards}>
      <StatCard
        label="Products"
        value={fmt(plan.summary.total_products)}
        hint={line(
          `${plan.summary.adequate} adequate, ${plan.summary.excess} excess${plan.summary.unknown ? `, ${plan.summary.unknown} stock unknown` : ''}`,
          all.text,
        )}
        flag={all.flag}
      />
      <StatCard label="Critical" value={fmt(plan.summary.critical)} hint={line('order now', critical.text)} flag={critical.flag} />
      <StatCard label="Low" value={fmt(plan.summary.low)} hint={line('below reorder point', low.text)} flag={low.flag} />
      <StatCard
        label="Order value"
        value={orderValueText(totals, currency)}
        hint={line(
          `${wholeUnits(totals.units)} units to order now`,
          unpricedNote(totals),
          ordering.text,
          noForecast ? `${fmt(noForecast)} without a forecast: no order` : '',
        )}
        flag={ordering.flag}
      />
      <StatCard
        label="Revenue at risk"
        value={risk.value === null ? 'unknown' : money(risk.value, currency)}
        hint={line(
          'sales the stock may miss before an order arrives',
          risk.unknown && risk.value !== null
            ? `${fmt(risk.unknown)} product${risk.unknown === 1 ? '' : 's'} without a price not counted`
            : '',
        )}
      />
    </div>
  );
}

function ProductDetail({
  p,
  plan,
  api,
  currency,
  compact,
}: {
  p: BulkPrediction;
  plan: BulkPredictResponse;
  api: BulkApi;
  currency: string;
  /** The columns the compact row leaves out are shown here. */
  compact: boolean;
}) {
  const s = useStyles();
  const explain = useAction(() =>
    api.predictWithContext({ store_id: plan.store_id, product_id: p.product_id, date: plan.prediction_date }),
  );
  const [why, setWhy] = useState<Awaited<ReturnType<BulkApi['predictWithContext']>> | null>(null);
  const weeks = p.last_4_weeks.slice(-4);
  // Without a forecast the projections and stock levels are not zeros but unknown.
  const none = p.basis.confidence === 'none';
  const estimate = (value: number, digits: number) => (none ? '—' : fmt(value, digits));
  const shown = cells(p);
  const mismatch = none ? null : perDayVsWeek(p.demand_breakdown.daily, p.demand_breakdown.weekly);
  const next = `next ${plan.horizon_days} day${plan.horizon_days === 1 ? '' : 's'}`;
  return (
    <div className={s.section} role="group" aria-label={`Details of ${p.product_id}`}>
      <div className={compact ? undefined : s.inView}>
        <Text weight="semibold" block>
          {productLabel({ product_id: p.product_id, description: p.product_name ?? null })}
        </Text>
        <BasisNote basis={p.basis} />
      </div>
      <div className={s.row} style={{ alignItems: 'flex-start', gap: '24px' }}>
        {compact ? (
          <div role="group" aria-label="Stock and demand">
            <Text weight="semibold">Stock and demand</Text>
            <div className={s.kv}>
              <span>Stock on hand</span>
              <span className={s.number}>{shown.current_stock}</span>
              <span>Demand, {next}</span>
              <span className={s.number}>{shown.predicted_demand}</span>
              <span>Revenue at risk</span>
              <span className={s.number}>{shown.revenue_at_risk}</span>
              <span>Days of cover</span>
              <span className={s.number}>{shown.days_of_cover}</span>
            </div>
          </div>
        ) : null}
        <div>
          <Text weight="semibold">Projections</Text>
          <div className={s.kv}>
            <span>Per day (average)</span>
            <span className={s.number}>{estimate(p.demand_breakdown.daily, 2)}</span>
            <span>Next 7 days</span>
            <span className={s.number}>{estimate(p.demand_breakdown.weekly, 1)}</span>
            <span>Next 30 days</span>
            <span className={s.number}>{estimate(p.demand_breakdown.monthly, 0)}</span>
            <span>Next 91 days</span>
            <span className={s.number}>{estimate(p.demand_breakdown.quarterly, 0)}</span>
            <span>Range, {next}</span>
            <span className={s.number}>{p.lower === null || p.upper === null ? '—' : `${fmt(p.lower, 1)} – ${fmt(p.upper, 1)}`}</span>
          </div>
          {mismatch ? (
            <Text size={200} className={s.muted} as="p" style={{ maxWidth: 320, margin: '4px 0 0' }}>
              {mismatch}
            </Text>
          ) : null}
        </div>
        <div>
          <Text weight="semibold">Order{currency ? ` (money in ${currency})` : ''}</Text>
          <div className={s.kv}>
            <span>Order now (units)</span>
            <span className={s.number}>{shown.order_quantity}</span>
            <span>Order value</span>
            <span className={s.number}>{shown.order_value}</span>
            <span>Reorder point (units)</span>
            <span className={s.number}>{none ? '—' : wholeUnits(p.reorder_point)}</span>
            <span>Safety stock (units)</span>
            <span className={s.number}>{none ? '—' : wholeUnits(p.safety_stock)}</span>
            <span>Expected revenue, over lead time + review</span>
            <span className={s.number}>{none ? '—' : moneyOrUnknown(p.expected_revenue)}</span>
            <span>Revenue at risk</span>
            <span className={s.number}>{shown.revenue_at_risk}</span>
          </div>
        </div>
        <div>
          <Text weight="semibold">Last 4 weeks</Text>
          <div className={s.kv}>
            {weeks.map((units, i) => (
              <Fragment key={i}>
                <span>{i === weeks.length - 1 ? 'Last week' : `${weeks.length - i} weeks ago`}</span>
                <span className={s.number}>{fmt(units)}</span>
              </Fragment>
            ))}
            {weeks.length === 0 ? <span>No sales recorded</span> : null}
          </div>
        </div>
      </div>
      {why ? (
        <Explanation contributions={why.explanation} summary={why.summary} />
      ) : none || isSimpleMethod(p.basis) ? null : (
        <div>
          <Button size="small" onClick={async () => setWhy((await explain.run()) ?? null)} disabled={explain.busy}>
            Explain this prediction
          </Button>
        </div>
      )}
      {explain.busy ? <Loading label="Asking the model why…" /> : null}
      <ErrorMessage error={explain.error} title="No explanation" />
      <SupplierForm onSave={(request) => api.setSupplier(plan.store_id, p.product_id, request)} />
    </div>
  );
}
