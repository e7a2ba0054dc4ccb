import { Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { ModelSummary } from '../../../shared/schemas';
import { errorMessage, type ApiClient } from '../api/client';
import { ForecastChart } from '../components/ForecastChart';
import { StatCard } from '../components/cards';
import { addDays } from '../components/dates';
import { ErrorMessage, Loading } from '../components/feedback';
import { fmt, percent } from '../components/format';
import { useLoad } from '../components/hooks';
import { StoreProductPickers } from '../components/pickers';
import { accuracyWords } from '../results/accuracy';
import { useStyles } from '../components/styles';

type DashboardApi = Pick<ApiClient, 'stores' | 'products' | 'trainingStatus' | 'bulkPredict' | 'history' | 'forecast'>;

/** The active model that answers for a store: its own, else the global one. */
export function modelFor(models: readonly ModelSummary[], storeId: string): ModelSummary | undefined {
  return (
    models.find((m) => m.active && m.scope === 'store' && m.store_id === storeId) ?? models.find((m) => m.active && m.scope === 'global')
  );
}

const HISTORY_DAYS = 90;

export function DashboardPage({ api }: { api: DashboardApi }) {
  const s = useStyles();
  const [storeId, setStoreId] = useState('');
  const [productId, setProductId] = useState('');
  const stores = useLoad(() => api.stores(), [api]);
  const status = useLoad(() => api.trainingStatus(), [api]);
  const plan = useLoad(storeId ? () => api.bulkPredict({ store_id: storeId }) : null, [api, storeId]);
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

  const totalProducts = stores.data?.stores.reduce((n, x) => n + x.products, 0);
  const model = status.data ? modelFor(status.data.models, storeId) : undefined;
  const accuracy = model ? accuracyWords(model.metrics) : null;
  const needOrders = plan.data?.predictions.filter((p) => p.order_quantity > 0).length;

  return (
    <section className={s.page} aria-label="Dashboard">
      <Text weight="semibold" size={400}>
        Dashboard
      </Text>
      <ErrorMessage error={stores.error} title="Could not load the stores" />
      <div className={s.cards}>
        <StatCard
          label="Products"
          value={stores.loading ? <Loading label="" /> : fmt(totalProducts)}
          hint={store ? `${store.products} in ${store.store_id}` : undefined}
        />
        <StatCard label="Stores" value={stores.loading ? <Loading label="" /> : fmt(stores.data?.stores.length)} />
        <StatCard
          label="Typical error"
          value={status.loading ? <Loading label="" /> : model?.metrics.wape == null ? '—' : percent(model.metrics.wape, 0)}
          hint={
            status.error
              ? errorMessage(status.error)
              : accuracy
                ? `${accuracy.typicalError}${accuracy.versusSimple ? `; ${accuracy.versusSimple}` : ''}`
                : 'no trained model yet'
          }
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
        />
      </div>
      <StoreProductPickers api={api} storeId={storeId} productId={productId} onStoreChange={setStoreId} onProductChange={setProductId} />
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
