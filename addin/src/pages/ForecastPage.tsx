import { Button, Field, Input, Text } from '@fluentui/react-components';
import { useState } from 'react';
import { MAX_HORIZON_DAYS, type ForecastResponse, type HistoryPoint } from '../../../shared/schemas';
import type { ApiClient } from '../api/client';
import { ForecastChart } from '../components/ForecastChart';
import { addDays } from '../components/dates';
import { ErrorMessage, Loading, Notice } from '../components/feedback';
import { fmt } from '../components/format';
import { useAction } from '../components/hooks';
import { StoreProductPickers } from '../components/pickers';
import { useStyles } from '../components/styles';
import { fileStem } from '../files/download';
import { writeLabel, type PaneHost } from '../pane-host';
import { forecastSheet, HISTORY_DAYS_ON_SHEET } from '../results/sheets';

type ForecastApi = Pick<ApiClient, 'stores' | 'products' | 'forecast' | 'history'>;

/** "80, 95" -> [80, 95]; null when a level is not a number. */
export function parseLevels(text: string): number[] | null {
  const parts = text.split(/[,;\s]+/).filter(Boolean);
  const levels = parts.map(Number);
  return levels.length && levels.every((x) => Number.isFinite(x)) ? levels : null;
}

export function ForecastPage({ api, host }: { api: ForecastApi; host: PaneHost }) {
  const s = useStyles();
  const [storeId, setStoreId] = useState('');
  const [productId, setProductId] = useState('');
  const [horizon, setHorizon] = useState('28');
  const [levelsText, setLevelsText] = useState('80, 95');
  const [result, setResult] = useState<{ forecast: ForecastResponse; history: HistoryPoint[] } | null>(null);
  const [written, setWritten] = useState<string | null>(null);
  const levels = parseLevels(levelsText);

  const run = useAction(async () => {
    setWritten(null);
    const forecast = await api.forecast({
      store_id: storeId,
      product_id: productId,
      horizon_days: Number(horizon),
      levels: levels ?? undefined,
    });
    const history = await api.history(storeId, productId, { from: addDays(forecast.last_history_date, -HISTORY_DAYS_ON_SHEET + 1) });
    setResult({ forecast, history: history.history });
  });
  const write = useAction(async () => {
    if (!result) return;
    const { forecast, history } = result;
    setWritten(await host.writeSheets([forecastSheet(forecast, history)], fileStem('forecast', forecast.store_id, forecast.product_id)));
  });

  const total = result?.forecast.forecast.reduce((n, p) => n + p.expected_demand, 0);
  return (
    <section className={s.page} aria-label="Forecast">
      <Text weight="semibold" size={400}>
        Forecast
      </Text>
      <StoreProductPickers api={api} storeId={storeId} productId={productId} onStoreChange={setStoreId} onProductChange={setProductId} />
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
        <Field label="Interval levels (%)" validationMessage={levels ? undefined : 'Numbers separated by commas, e.g. 80, 95'}>
          <Input value={levelsText} onChange={(_, d) => setLevelsText(d.value)} aria-label="Interval levels (%)" />
        </Field>
      </div>
      <div className={s.row}>
        <Button appearance="primary" onClick={() => void run.run()} disabled={!storeId || !productId || !levels || run.busy}>
          Forecast
        </Button>
        {result ? (
          <Button onClick={() => void write.run()} disabled={write.busy}>
            {writeLabel(host)}
          </Button>
        ) : null}
      </div>
      {run.busy ? <Loading label="Forecasting…" /> : null}
      {write.busy ? <Loading label="Writing…" /> : null}
      <ErrorMessage error={run.error} title="Forecast failed" />
      <ErrorMessage error={write.error} title="Could not write the sheet" />
      {written ? <Notice>{written}</Notice> : null}
      {result ? (
        <>
          <Text size={200} className={s.muted}>
            {result.forecast.forecast.length} days after {result.forecast.last_history_date}: {fmt(total, 0)} units expected · model{' '}
            {result.forecast.model_version}
          </Text>
          <ForecastChart
            history={result.history}
            forecast={result.forecast.forecast}
            title={`${result.forecast.product_id} in ${result.forecast.store_id}: forecast with intervals`}
          />
        </>
      ) : null}
    </section>
  );
}
