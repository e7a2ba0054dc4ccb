// The first page: the service's stores at a glance (each card says whether it covers all stores or the chosen one),
// the chosen product's history and forecast, a banner while the data is a demo, and the three steps to start with
// on a service that has no sales of the buyer's own yet; once a store is chosen, how its saved plans turned out.
import { Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { ModelSummary, StoresResponse } from '../../../shared/schemas';
import { errorMessage, type ApiClient } from '../api/client';
import { ForecastChart } from '../components/ForecastChart';
import { TrackedAccuracy } from '../components/TrackedAccuracy';
import { Advanced } from '../components/basis';
import { StatCard } from '../components/cards';
import { addDays } from '../components/dates';
import { DemoBanner, ErrorMessage, Loading, Notice } from '../components/feedback';
import { fmt, percent } from '../components/format';
import { useLoad } from '../components/hooks';
import { StoreProductPickers } from '../components/pickers';
import { useStyles } from '../components/styles';
import { accuracyLine, accuracyWords, advancedFigures } from '../results/accuracy';
import { defaultsOf } from '../settings/fields';

type DashboardApi = Pick<
  ApiClient,
  'stores' | 'products' | 'trainingStatus' | 'bulkPredict' | 'history' | 'forecast' | 'accuracy' | 'removeDemo' | 'defaults'
>;

/** The active model that answers for a store: its own, else the global one. */
export function modelFor(models: readonly ModelSummary[], storeId: string): ModelSummary | undefined {
  return (
    models.find((m) => m.active && m.scope === 'store' && m.store_id === storeId) ?? models.find((m) => m.active && m.scope === 'global')
  );
}

const HISTORY_DAYS = 90;

/** Where a buyer starts: nothing of their own yet (no stores, or only demo ones). */
export function needsStart(stores: StoresResponse | undefined): boolean {
  return stores !== undefined && stores.stores.every((s) => s.demo);
}

/** Upload, train, plan: the first three things to do, each ticked once done. */
function StartSteps({ stores, models }: { stores: StoresResponse; models: readonly ModelSummary[] }) {
  const s = useStyles();
  const own = stores.stores.filter((x) => !x.demo).map((x) => x.store_id);
  const uploaded = own.length > 0;
  const trained = models.some((m) => m.active && m.store_id !== null && own.includes(m.store_id));
  const steps = [
    {
      title: 'Upload your sales',
      text: 'On the Data & Training page: an Excel table or sheet, or a .csv or .xlsx file with a date, a product and units sold per row.',
      done: uploaded,
    },
    {
      title: 'Train a model',
      text: 'On the same page, choose your store (or all stores) and Train; it takes a minute or two.',
      done: trained,
    },
    {
      title: 'Plan orders',
      text: 'On the Bulk page: every product with its status, order quantity and value; Download (or Write to sheets in Excel).',
      done: false,
    },
  ];
  return (
    <section aria-label="Get started" className={s.section}>
      <Text weight="semibold">{stores.stores.length ? 'Start with your own data' : 'Get started'}</Text>
      <ol style={{ margin: 0, paddingLeft: 20, display: 'flex', flexDirection: 'column', gap: 6 }}>
        {steps.map((step) => (
          <li key={step.title}>
            <Text weight="semibold">
              {step.title}
              {step.done ? ' ✓' : ''}
            </Text>{' '}
            <Text size={200}>{step.text}</Text>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function DashboardPage({ api }: { api: DashboardApi }) {
  const s = useStyles();
  const [generation, setGeneration] = useState(0);
  const [storeId, setStoreId] = useState('');
  const [productId, setProductId] = useState('');
  const defaults = defaultsOf(api);
  const stores = useLoad(() => api.stores(), [api, generation]);
  const status = useLoad(() => api.trainingStatus(), [api, generation]);
  const plan = useLoad(
    storeId
      ? () =>
          api.bulkPredict({
            store_id: storeId,
            ...(defaults.leadTimeDays !== undefined ? { lead_time_days: defaults.leadTimeDays } : {}),
            ...(defaults.reviewDays !== undefined ? { review_days: defaults.reviewDays } : {}),
            ...(defaults.serviceLevel !== undefined ? { service_level: defaults.serviceLevel } : {}),
          })
      : null,
    [api, storeId, generation],
  );
  // The store's saved plans against what sold since: secondary, so a failure is a line, not an alert.
  const tracked = useLoad(storeId ? () => api.accuracy(storeId, { top: 3 }) : null, [api, storeId, generation]);
  const store = stores.data?.stores.find((x) => x.store_id === storeId);
  const chart = useLoad(
    storeId && productId && store
      ? async () => {
          const from = addDays(store.last_date, -HISTORY_DAYS + 1);
          const [history, forecast] = await Promise.allSettled([
            api.history(storeId, productId, { from }),
            api.forecast({ store_id: storeId, product_id: productId, horizon_days: 28, levels: [80, 95] }),
          ]);
          if (history.status === 'rejected') throw history.reason;
          return {
            from,
            history: history.value.history,
            forecast: forecast.status === 'fulfilled' ? forecast.value : null,
            forecastError: forecast.status === 'rejected' ? forecast.reason : null,
          };
        }
      : null,
    [api, storeId, productId, store?.last_date],
  );

  const storeCount = stores.data?.stores.length;
  const totalProducts = stores.data?.stores.reduce((n, x) => n + x.products, 0);
  const model = status.data ? modelFor(status.data.models, storeId) : undefined;
  const accuracy = model ? accuracyWords(model.metrics) : null;
  const needOrders = plan.data?.predictions.filter((p) => p.basis.confidence !== 'none' && p.order_quantity > 0).length;
  const allStores = storeCount === undefined ? 'All stores' : `All ${fmt(storeCount)} store${storeCount === 1 ? '' : 's'}`;
  const chosen = storeId ? `Store ${storeId}` : undefined;
  const modelScope = !model
    ? chosen
    : model.scope === 'global'
      ? `Store ${storeId}, by the model of all stores (it has none of its own)`
      : `Store ${storeId}'s own model`;

  return (
    <section className={s.page} aria-label="Dashboard">
      <Text weight="semibold" size={400}>
        Dashboard
      </Text>
      <DemoBanner
        api={api}
        stores={stores.data}
        onRemoved={() => {
          setStoreId('');
          setProductId('');
          setGeneration((g) => g + 1);
        }}
      />
      <ErrorMessage error={stores.error} title="Could not load the stores" />
      {needsStart(stores.data) ? <StartSteps stores={stores.data!} models={status.data?.models ?? []} /> : null}
      <div className={s.cards}>
        <StatCard
          label="Products"
          value={stores.loading ? <Loading label="" /> : fmt(totalProducts)}
          hint={store ? `${fmt(store.products)} in ${store.store_id}` : undefined}
          scope={allStores}
        />
        <StatCard label="Stores" value={stores.loading ? <Loading label="" /> : fmt(storeCount)} scope={allStores} />
        <StatCard
          label="Typical error"
          value={status.loading ? <Loading label="" /> : model?.metrics.wape == null ? '—' : percent(model.metrics.wape, 0)}
          hint={status.error ? errorMessage(status.error) : accuracy ? accuracyLine(accuracy) : 'no trained model yet'}
          scope={modelScope}
        />
        <StatCard
          label="Products needing orders"
          value={plan.loading ? <Loading label="" /> : needOrders === undefined ? '—' : fmt(needOrders)}
          hint={
            plan.error
              ? errorMessage(plan.error)
              : plan.data
                ? `${plan.data.summary.critical} critical, ${plan.data.summary.low} low`
                : undefined
          }
          scope={chosen}
        />
      </div>
      {model?.tracked?.drifting ? (
        <Notice intent="warning">
          Forecasts for store {storeId} have been missing more than when its model was tested. {model.tracked.note} (Data &amp; Training
          page)
        </Notice>
      ) : null}
      {model && accuracy ? (
        <Advanced>
          <span>Accuracy {accuracy.measuredOn}.</span>
          {advancedFigures(model).map(([label, value]) => (
            <span key={label}>
              {label}: {value}
            </span>
          ))}
          <span>
            Model version: {model.scope === 'global' ? 'global' : model.store_id} v{model.version}
          </span>
        </Advanced>
      ) : null}
      <StoreProductPickers
        key={generation}
        api={api}
        storeId={storeId}
        productId={productId}
        onStoreChange={setStoreId}
        onProductChange={setProductId}
      />
      {tracked.data ? <TrackedAccuracy report={tracked.data} /> : null}
      {tracked.error ? <Text size={200}>Could not check past forecasts against what sold: {errorMessage(tracked.error)}</Text> : null}
      {chart.loading ? <Loading label="Loading history and forecast…" /> : null}
      <ErrorMessage error={chart.error} title="Could not load the history" />
      {chart.data ? (
        <>
          <ErrorMessage error={chart.data.forecastError} title="No forecast" />
          <ForecastChart
            history={chart.data.history}
            forecast={chart.data.forecast?.forecast ?? []}
            granularity={chart.data.forecast?.granularity}
            from={chart.data.from}
            title={`${productId} in ${storeId}: last ${HISTORY_DAYS} days and 28-day forecast`}
          />
        </>
      ) : null}
    </section>
  );
}
