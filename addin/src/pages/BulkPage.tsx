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
import { Fragment, useMemo, useState } from 'react';
import { MAX_HORIZON_DAYS, type BulkPrediction, type BulkPredictRequest, type BulkPredictResponse } from '../../../shared/schemas';
import type { ApiClient, BulkExportQuery } from '../api/client';
import { BasisNote, ConfidenceBadge } from '../components/basis';
import { StatCard, StatusBadge } from '../components/cards';
import { ErrorMessage, Loading, Notice } from '../components/feedback';
import { fmt, money } from '../components/format';
import { useAction } from '../components/hooks';
import { StorePicker } from '../components/pickers';
import { useStyles } from '../components/styles';
import { fileStem } from '../files/download';
import { writeLabel, type PaneHost } from '../pane-host';
import { isSimpleMethod } from '../results/basis';
import { bulkPredictionsSheet, confidenceSummary, reorderPlanSheet } from '../results/sheets';
import { Explanation } from './SmartPage';

type BulkApi = Pick<ApiClient, 'stores' | 'bulkPredict' | 'bulkExport' | 'predictWithContext'>;

type SortKey =
  'product_id' | 'status' | 'current_stock' | 'predicted_demand' | 'order_quantity' | 'order_value' | 'revenue_at_risk' | 'days_of_cover';
const COLUMNS: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: 'product_id', label: 'Product' },
  { key: 'status', label: 'Status' },
  { key: 'current_stock', label: 'Stock', numeric: true },
  { key: 'predicted_demand', label: 'Demand', numeric: true },
  { key: 'order_quantity', label: 'Order', numeric: true },
  { key: 'order_value', label: 'Value', numeric: true },
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

const num = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

export function BulkPage({ api, host }: { api: BulkApi; host: PaneHost }) {
  const s = useStyles();
  const [storeId, setStoreId] = useState('');
  const [date, setDate] = useState('');
  const [horizon, setHorizon] = useState('7');
  const [leadTime, setLeadTime] = useState('');
  const [serviceLevel, setServiceLevel] = useState('');
  const [plan, setPlan] = useState<BulkPredictResponse | null>(null);
  const [sortKey, setSortKey] = useState<SortKey | null>(null);
  const [direction, setDirection] = useState<'ascending' | 'descending'>('descending');
  const [open, setOpen] = useState<string | null>(null);
  const [written, setWritten] = useState<string | null>(null);

  const request: BulkPredictRequest = {
    store_id: storeId,
    ...(date ? { prediction_date: date } : {}),
    horizon_days: num(horizon),
    ...(num(leadTime) !== undefined ? { lead_time_days: num(leadTime) } : {}),
    ...(num(serviceLevel) !== undefined ? { service_level: num(serviceLevel) } : {}),
  };
  const predict = useAction(async () => {
    setWritten(null);
    setOpen(null);
    setPlan(await api.bulkPredict(request));
  });
  const write = useAction(async () => {
    if (!plan) return;
    setWritten(
      await host.writeSheets(
        [bulkPredictionsSheet(plan), reorderPlanSheet(plan)],
        fileStem('bulk-predictions', plan.store_id, plan.prediction_date),
      ),
    );
  });
  const exportFile = useAction(async (format: 'csv' | 'xlsx') => {
    if (!plan) return;
    const query: BulkExportQuery = {
      prediction_date: plan.prediction_date,
      horizon_days: plan.horizon_days,
      lead_time_days: num(leadTime),
      service_level: num(serviceLevel),
    };
    const file = await api.bulkExport(plan.store_id, format, query);
    host.saveFile(file.data, file.fileName);
  });

  const rows = useMemo(() => (plan ? sortPredictions(plan.predictions, sortKey, direction) : []), [plan, sortKey, direction]);
  const sortBy = (key: SortKey) => {
    if (sortKey === key) setDirection(direction === 'ascending' ? 'descending' : 'ascending');
    else {
      setSortKey(key);
      setDirection(key === 'product_id' ? 'ascending' : 'descending');
    }
  };
  const currency = plan?.summary.currency ?? '';
  const trust = plan ? confidenceSummary(plan) : '';

  return (
    <section className={s.page} aria-label="Bulk Predictions">
      <Text weight="semibold" size={400}>
        Bulk predictions
      </Text>
      <div className={s.row}>
        <div className={s.grow}>
          <StorePicker api={api} value={storeId} onChange={setStoreId} />
        </div>
        <Field label="Planning day" hint="Empty: the day after the last sale">
          <Input type="date" value={date} onChange={(_, d) => setDate(d.value)} aria-label="Planning day" />
        </Field>
      </div>
      <div className={s.fields}>
        <Field label="Horizon (days)">
          <Input
            type="number"
            min={1}
            max={MAX_HORIZON_DAYS}
            value={horizon}
            onChange={(_, d) => setHorizon(d.value)}
            aria-label="Horizon (days)"
          />
        </Field>
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
            min={50}
            max={99.9}
            value={serviceLevel}
            placeholder="default"
            onChange={(_, d) => setServiceLevel(d.value)}
            aria-label="Service level (%)"
          />
        </Field>
      </div>
      <div className={s.row}>
        <Button appearance="primary" onClick={() => void predict.run()} disabled={!storeId || predict.busy}>
          Run predictions
        </Button>
      </div>
      {predict.busy ? <Loading label="Predicting every product…" /> : null}
      <ErrorMessage error={predict.error} title="Bulk prediction failed" />
      {plan ? (
        <>
          <Text size={200} className={s.muted}>
            Store {plan.store_id}, planning day {plan.prediction_date}, {plan.horizon_days}-day horizon, model {plan.model_version}
          </Text>
          <div className={s.cards}>
            <StatCard
              label="Products"
              value={fmt(plan.summary.total_products)}
              hint={`${plan.summary.adequate} adequate, ${plan.summary.excess} excess${plan.summary.unknown ? `, ${plan.summary.unknown} stock unknown` : ''}`}
            />
            <StatCard label="Critical" value={fmt(plan.summary.critical)} hint="order now" />
            <StatCard label="Low" value={fmt(plan.summary.low)} hint="below reorder point" />
            <StatCard
              label="Order value"
              value={money(plan.summary.total_order_value)}
              hint={`${fmt(plan.summary.total_order_quantity)} units · ${currency}`}
            />
            <StatCard label="Revenue at risk" value={money(plan.summary.total_revenue_at_risk)} hint={currency} />
          </div>
          {trust ? <Notice intent="warning">{trust}. Their rows are flagged; open one to see why.</Notice> : null}
          <div className={s.row}>
            <Button appearance="primary" onClick={() => void write.run()} disabled={write.busy}>
              {writeLabel(host)}
            </Button>
            <Button onClick={() => void exportFile.run('xlsx')} disabled={exportFile.busy}>
              Export .xlsx
            </Button>
            <Button onClick={() => void exportFile.run('csv')} disabled={exportFile.busy}>
              Export .csv
            </Button>
          </div>
          {write.busy ? <Loading label={host.mode === 'excel' ? 'Writing sheets…' : 'Preparing the workbook…'} /> : null}
          {exportFile.busy ? <Loading label="Exporting…" /> : null}
          {written ? <Notice>{written}</Notice> : null}
          <ErrorMessage error={write.error} title="Could not write the sheets" />
          <ErrorMessage error={exportFile.error} title="Export failed" />
          <div className={s.tableWrap}>
            <Table
              size="extra-small"
              aria-label="Products"
              sortable
              style={{ tableLayout: 'auto', width: 'max-content', minWidth: '100%', whiteSpace: 'nowrap' }}
            >
              <TableHeader>
                <TableRow>
                  <TableHeaderCell style={{ width: 28 }} aria-label="Details" />
                  {COLUMNS.map((c) => (
                    <TableHeaderCell key={c.key} sortDirection={sortKey === c.key ? direction : undefined} onClick={() => sortBy(c.key)}>
                      {c.label}
                    </TableHeaderCell>
                  ))}
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((p) => {
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
                        <TableCell>
                          {p.product_id}
                          {p.basis.confidence === 'normal' ? null : (
                            <>
                              {' '}
                              <ConfidenceBadge basis={p.basis} />
                            </>
                          )}
                        </TableCell>
                        <TableCell>
                          <StatusBadge status={p.status} />
                        </TableCell>
                        <TableCell className={s.number}>{fmt(p.current_stock)}</TableCell>
                        <TableCell className={s.number}>{fmt(p.predicted_demand, 1)}</TableCell>
                        {/* No forecast, no order: its zeros from the service would read as "nothing to order". */}
                        <TableCell className={s.number}>{none ? '—' : fmt(p.order_quantity)}</TableCell>
                        <TableCell className={s.number}>{none ? '—' : money(p.order_value)}</TableCell>
                        <TableCell className={s.number}>{money(p.revenue_at_risk)}</TableCell>
                        <TableCell className={s.number}>{fmt(p.days_of_cover, 1)}</TableCell>
                      </TableRow>
                      {none ? (
                        <TableRow aria-label={`Note on ${p.product_id}`}>
                          <TableCell colSpan={COLUMNS.length + 1}>
                            <div className={mergeClasses(s.muted, s.inView)} style={{ fontSize: 12 }}>
                              {p.note ?? p.basis.reasons.join(' ')}
                            </div>
                          </TableCell>
                        </TableRow>
                      ) : null}
                      {open === p.product_id ? (
                        <TableRow>
                          <TableCell colSpan={COLUMNS.length + 1} className={s.detail}>
                            <ProductDetail p={p} plan={plan} api={api} currency={currency} />
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

function ProductDetail({ p, plan, api, currency }: { p: BulkPrediction; plan: BulkPredictResponse; api: BulkApi; currency: string }) {
  const s = useStyles();
  const explain = useAction(() =>
    api.predictWithContext({ store_id: plan.store_id, product_id: p.product_id, date: plan.prediction_date }),
  );
  const [why, setWhy] = useState<Awaited<ReturnType<BulkApi['predictWithContext']>> | null>(null);
  const weeks = p.last_4_weeks.slice(-4);
  // Without a forecast the projections and stock levels are not zeros but unknown.
  const estimate = (value: number, digits: number) => (p.basis.confidence === 'none' ? '—' : fmt(value, digits));
  return (
    <div className={s.section} role="group" aria-label={`Details of ${p.product_id}`}>
      <div className={s.inView}>
        <BasisNote basis={p.basis} />
      </div>
      <div className={s.row} style={{ alignItems: 'flex-start', gap: '24px' }}>
        <div>
          <Text weight="semibold">Projections</Text>
          <div className={s.kv}>
            <span>Daily</span>
            <span className={s.number}>{estimate(p.demand_breakdown.daily, 1)}</span>
            <span>Weekly</span>
            <span className={s.number}>{estimate(p.demand_breakdown.weekly, 1)}</span>
            <span>Monthly</span>
            <span className={s.number}>{estimate(p.demand_breakdown.monthly, 0)}</span>
            <span>Quarterly</span>
            <span className={s.number}>{estimate(p.demand_breakdown.quarterly, 0)}</span>
            <span>{plan.horizon_days}-day range</span>
            <span className={s.number}>{p.lower === null || p.upper === null ? '—' : `${fmt(p.lower, 1)} – ${fmt(p.upper, 1)}`}</span>
          </div>
        </div>
        <div>
          <Text weight="semibold">Financial</Text>
          <div className={s.kv}>
            <span>Expected revenue</span>
            <span className={s.number}>{money(p.expected_revenue, currency)}</span>
            <span>Revenue at risk</span>
            <span className={s.number}>{money(p.revenue_at_risk, currency)}</span>
            <span>Order value</span>
            <span className={s.number}>{money(p.order_value, currency)}</span>
            <span>Reorder point</span>
            <span className={s.number}>{estimate(p.reorder_point, 1)}</span>
            <span>Safety stock</span>
            <span className={s.number}>{estimate(p.safety_stock, 1)}</span>
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
      ) : p.basis.confidence === 'none' || isSimpleMethod(p.basis) ? null : (
        <div>
          <Button size="small" onClick={async () => setWhy((await explain.run()) ?? null)} disabled={explain.busy}>
            Explain this prediction
          </Button>
        </div>
      )}
      {explain.busy ? <Loading label="Asking the model why…" /> : null}
      <ErrorMessage error={explain.error} title="No explanation" />
    </div>
  );
}
