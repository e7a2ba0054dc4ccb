import {
  Button,
  Field,
  Input,
  Radio,
  RadioGroup,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useState } from 'react';
import { MAX_AHEAD_DAYS, type ForecastRequest, type ForecastResponse, type Granularity, type HistoryPoint } from '../../../shared/schemas';
import { ApiError, type ApiClient } from '../api/client';
import { ForecastAdjustment } from '../components/ForecastAdjustment';
import { ForecastChart } from '../components/ForecastChart';
import { Advanced, BasisNote } from '../components/basis';
import { addDays, useDates } from '../components/dates';
import { DemoBanner, ErrorMessage, Loading, Notice } from '../components/feedback';
import { fmt } from '../components/format';
import { useAction, useLoad } from '../components/hooks';
import { StoreProductPickers, type StoreInfo } from '../components/pickers';
import { useStyles } from '../components/styles';
import { fileStem } from '../files/download';
import { writeLabel, type PaneHost } from '../pane-host';
import { canAnswerIn, GRAIN_GRANULARITY, historyFrom, periodsText, periodWord, pointEnd } from '../results/periods';
import { forecastSheet, levelFraction } from '../results/sheets';
import { checkHorizon, fieldState } from '../settings/fields';

type ForecastApi = Pick<
  ApiClient,
  'stores' | 'products' | 'forecast' | 'history' | 'removeDemo' | 'overrides' | 'createOverride' | 'endOverride'
>;

/** "80, 95" -> [80, 95]; null when a level is not a number. */
export function parseLevels(text: string): number[] | null {
  const parts = text.split(/[,;\s]+/).filter(Boolean);
  const levels = parts.map(Number);
  return levels.length && levels.every((x) => Number.isFinite(x)) ? levels : null;
}

type Periods = 'auto' | Granularity;
const PERIOD_CHOICES: { value: Granularity; label: string }[] = [
  { value: 'day', label: 'Days' },
  { value: 'week', label: 'Weeks' },
  { value: 'month', label: 'Months' },
];
/** A horizon that suits each kind of period. */
const DEFAULT_HORIZON: Record<Granularity, number> = { day: 28, week: 8, month: 3 };
const GRAIN_OF: Record<Granularity, keyof typeof MAX_AHEAD_DAYS> = { day: 'daily', week: 'weekly', month: 'monthly' };
/** The most periods the service forecasts: 180 days of a daily store, a year of a weekly or monthly one (whole weeks and months). */
function maxHorizon(unit: Granularity, own: Granularity | null): number {
  const days = MAX_AHEAD_DAYS[GRAIN_OF[own ?? 'day']];
  if (unit === 'day') return days;
  if (unit === 'week') return Math.floor((days + 6) / 7);
  return own === 'day' || own === null ? 6 : 12;
}

/** The request for the chosen periods: days as horizon_days (as before periods existed), weeks and months as periods. */
export function forecastRequest(
  ids: { store_id: string; product_id: string },
  periods: Periods,
  unit: Granularity,
  horizon: number,
  levels: number[] | null,
): ForecastRequest {
  return {
    ...ids,
    ...(unit === 'day' ? { horizon_days: horizon } : { horizon_periods: horizon }),
    ...(periods === 'auto' ? {} : { granularity: periods }),
    levels: levels ?? undefined,
  };
}

interface Result {
  forecast: ForecastResponse;
  history: HistoryPoint[];
  from: string;
  /** The request it answered, to tell when the fields have moved on. */
  key: string;
}

export function ForecastPage({ api, host }: { api: ForecastApi; host: PaneHost }) {
  const s = useStyles();
  const dates = useDates();
  const [storeId, setStoreId] = useState('');
  const [productId, setProductId] = useState('');
  const [store, setStore] = useState<StoreInfo | undefined>(undefined);
  const [periodsAsked, setPeriods] = useState<Periods>('auto');
  const [horizon, setHorizon] = useState(String(DEFAULT_HORIZON.day));
  const [levelsText, setLevelsText] = useState('80, 95');
  const [result, setResult] = useState<Result | null>(null);
  const [generation, setGeneration] = useState(0);
  const [written, setWritten] = useState<string | null>(null);
  const levels = parseLevels(levelsText);
  // The store's adjustments in force, for the product's "Adjust this forecast".
  const overrides = useLoad(storeId ? () => api.overrides({ store_id: storeId }) : null, [api, storeId]);

  // A weekly store has no days to show: a finer choice falls back to the store's own periods.
  const own = store ? GRAIN_GRANULARITY[store.grain] : undefined;
  const allowed = (g: Granularity) => !store || canAnswerIn(g, store.grain);
  const periods: Periods = periodsAsked !== 'auto' && !allowed(periodsAsked) ? 'auto' : periodsAsked;
  const unit: Granularity = periods === 'auto' ? (own ?? 'day') : periods;
  // The horizon is counted in the chosen periods: a new kind of period starts from its own default.
  const [horizonUnit, setHorizonUnit] = useState<Granularity>('day');
  if (unit !== horizonUnit) {
    setHorizonUnit(unit);
    setHorizon(String(DEFAULT_HORIZON[unit]));
  }
  const horizonLabel = `Horizon (${periodWord(unit)})`;
  const horizonCheck = checkHorizon(horizon, maxHorizon(unit, own ?? null), periodWord(unit));
  const request = horizonCheck.ok
    ? forecastRequest({ store_id: storeId, product_id: productId }, periods, unit, horizonCheck.value!, levels)
    : null;
  const key = JSON.stringify(request);
  const stale = result !== null && key !== result.key;

  const run = useAction(async () => {
    setWritten(null);
    // A failed run leaves no old forecast under its error.
    setResult(null);
    if (!request) return;
    const forecast = await api.forecast(request);
    const first = forecast.forecast[0]?.date ?? addDays(forecast.last_history_date, 1);
    const from = historyFrom(first, forecast.granularity);
    const history = await api.history(storeId, productId, { from });
    setResult({ forecast, history: history.history, from, key });
  });
  const write = useAction(async () => {
    if (!result || stale) return;
    const { forecast, history } = result;
    setWritten(await host.writeSheets([forecastSheet(forecast, history)], fileStem('forecast', forecast.store_id, forecast.product_id)));
  });

  const fc = result?.forecast;
  const total = fc?.forecast.reduce((n, p) => n + p.expected_demand, 0);
  const refused = run.error instanceof ApiError && run.error.code === 'insufficient_history';
  return (
    <section className={s.page} aria-label="Forecast">
      <Text weight="semibold" size={400}>
        Forecast
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
        onStoreInfo={setStore}
      />
      <Field
        label="Periods"
        hint={
          own && own !== 'day'
            ? `Auto: this store's own ${periodWord(own)}. Its sales are ${store?.grain}, so it is forecast in ${periodWord(own)} or longer.`
            : `Auto: the store's own periods${own ? ` (${periodWord(own)})` : ''}.`
        }
      >
        <RadioGroup
          layout="horizontal"
          value={periods}
          onChange={(_, d) => setPeriods(d.value as Periods)}
          aria-label="Periods"
          style={{ flexWrap: 'wrap' }}
        >
          <Radio value="auto" label="Auto" />
          {PERIOD_CHOICES.map((c) => (
            <Radio key={c.value} value={c.value} label={c.label} disabled={!allowed(c.value)} />
          ))}
        </RadioGroup>
      </Field>
      <div className={s.fields}>
        <Field label={horizonLabel} {...fieldState(horizonCheck)}>
          <Input
            type="number"
            min={1}
            max={maxHorizon(unit, own ?? null)}
            value={horizon}
            onChange={(_, d) => setHorizon(d.value)}
            aria-label={horizonLabel}
          />
        </Field>
        <Field label="Interval levels (%)" validationMessage={levels ? undefined : 'Numbers separated by commas, e.g. 80, 95'}>
          <Input value={levelsText} onChange={(_, d) => setLevelsText(d.value)} aria-label="Interval levels (%)" />
        </Field>
      </div>
      <div className={s.row}>
        <Button appearance="primary" onClick={() => void run.run()} disabled={!storeId || !productId || !request || !levels || run.busy}>
          Forecast
        </Button>
        {result ? (
          <Button onClick={() => void write.run()} disabled={write.busy || stale}>
            {writeLabel(host)}
          </Button>
        ) : null}
      </div>
      {run.busy ? <Loading label="Forecasting…" /> : null}
      {write.busy ? <Loading label="Writing…" /> : null}
      <ErrorMessage error={run.error} title={refused ? 'No forecast for this product' : 'Forecast failed'} />
      <ErrorMessage error={write.error} title="Could not write the sheet" />
      {written ? <Notice>{written}</Notice> : null}
      {result && fc ? (
        <>
          {stale ? (
            <Notice intent="warning">
              The fields have changed since this forecast was made: Run again to apply the changes. Until then the forecast below (and its
              sheet) is the one made with the earlier values.
            </Notice>
          ) : null}
          <Text size={200} className={s.muted}>
            {periodsText(fc.forecast.length, fc.granularity)} after {dates.day(fc.last_history_date)}: {fmt(total, 0)} units expected
          </Text>
          <BasisNote basis={fc.basis} />
          <ForecastChart
            history={result.history}
            forecast={fc.forecast}
            granularity={fc.granularity}
            from={result.from}
            title={`${fc.product_id} in ${fc.store_id}: forecast with intervals`}
          />
          <PeriodTable forecast={fc} />
          {fc.forecast.length > 0 ? (
            <ForecastAdjustment
              key={`${fc.store_id}/${fc.product_id}`}
              storeId={fc.store_id}
              productId={fc.product_id}
              from={fc.forecast[0].date}
              to={pointEnd(fc.forecast[fc.forecast.length - 1], fc.granularity)}
              inForce={(overrides.data?.overrides ?? []).filter((o) => o.product_id === fc.product_id)}
              onCreate={async (request) => {
                await api.createOverride(request);
                overrides.reload();
                await run.run();
              }}
              onEnd={async (overrideId) => {
                await api.endOverride(overrideId);
                overrides.reload();
                await run.run();
              }}
            />
          ) : null}
          <Advanced>
            <span>Method: {fc.basis.method}</span>
            <span>Model version: {fc.model_version}</span>
            <span>Series kind: {fc.basis.series_kind}</span>
            <span>
              Periods with sales records: {fc.basis.observed_periods} of {fc.basis.history_periods}
            </span>
          </Advanced>
        </>
      ) : null}
    </section>
  );
}

/** Each forecast period by name, with its expected units and the widest interval asked for. */
function PeriodTable({ forecast }: { forecast: ForecastResponse }) {
  const s = useStyles();
  const dates = useDates();
  const g = forecast.granularity;
  const digits = g === 'day' ? 1 : 0;
  const widest = (p: ForecastResponse['forecast'][number]) =>
    [...p.intervals].sort((a, b) => levelFraction(a.level) - levelFraction(b.level)).at(-1);
  const level = forecast.forecast[0] ? widest(forecast.forecast[0])?.level : undefined;
  return (
    <div className={s.tableWrap}>
      <Table size="extra-small" aria-label="Forecast by period" style={{ tableLayout: 'auto', whiteSpace: 'nowrap' }}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Period</TableHeaderCell>
            <TableHeaderCell className={s.number}>Expected</TableHeaderCell>
            {level !== undefined ? (
              <TableHeaderCell className={s.number}>Range ({Math.round(levelFraction(level) * 1000) / 10}%)</TableHeaderCell>
            ) : null}
          </TableRow>
        </TableHeader>
        <TableBody>
          {forecast.forecast.map((p) => {
            const bound = widest(p);
            return (
              <TableRow key={p.date}>
                <TableCell>{dates.period(p.date, pointEnd(p, g), g)}</TableCell>
                <TableCell className={s.number}>{fmt(p.expected_demand, digits)}</TableCell>
                {level !== undefined ? (
                  <TableCell className={s.number}>{bound ? `${fmt(bound.lower, digits)} – ${fmt(bound.upper, digits)}` : '—'}</TableCell>
                ) : null}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
