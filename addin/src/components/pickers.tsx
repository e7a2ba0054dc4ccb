// Store and product choice, loaded from the service.
import { Field, Select } from '@fluentui/react-components';
import { useEffect } from 'react';
import { ALL_STORES_ID, type StoresResponse } from '../../../shared/schemas';
import { errorMessage, type ApiClient } from '../api/client';
import { useLoad } from './hooks';
import { useStyles } from './styles';

export type StoreInfo = StoresResponse['stores'][number];

export function StorePicker({
  api,
  value,
  onChange,
  allowAll = false,
  label = 'Store',
  onStoreInfo,
}: {
  api: Pick<ApiClient, 'stores'>;
  value: string;
  onChange: (storeId: string) => void;
  allowAll?: boolean;
  label?: string;
  /** Told the chosen store's summary (its grain, dates...) whenever it changes; undefined until it is known. */
  onStoreInfo?: (store: StoreInfo | undefined) => void;
}) {
  const stores = useLoad(() => api.stores(), [api]);
  const list = stores.data?.stores ?? [];
  useEffect(() => {
    if (value || stores.loading) return;
    if (list.length) onChange(list[0].store_id);
    else if (allowAll) onChange(ALL_STORES_ID);
  }, [value, list, allowAll, onChange, stores.loading]);
  const chosen = list.find((s) => s.store_id === value);
  useEffect(() => {
    onStoreInfo?.(chosen);
  }, [chosen, onStoreInfo]);
  return (
    <Field label={label} validationMessage={stores.error ? errorMessage(stores.error) : undefined}>
      <Select value={value} onChange={(_, d) => onChange(d.value)} disabled={stores.loading && !list.length} aria-label={label}>
        {stores.loading && !list.length ? <option value="">Loading stores…</option> : null}
        {!stores.loading && !list.length && !allowAll ? <option value="">No stores yet: upload sales first</option> : null}
        {allowAll ? <option value={ALL_STORES_ID}>All stores (and a global model)</option> : null}
        {list.map((s) => (
          <option key={s.store_id} value={s.store_id}>
            {s.store_id} ({s.products} products)
          </option>
        ))}
      </Select>
    </Field>
  );
}

function ProductPicker({
  api,
  storeId,
  value,
  onChange,
}: {
  api: Pick<ApiClient, 'products'>;
  storeId: string;
  value: string;
  onChange: (productId: string) => void;
}) {
  const products = useLoad(storeId ? () => api.products(storeId) : null, [api, storeId]);
  const list = products.data?.store_id === storeId ? products.data.products : [];
  useEffect(() => {
    if (list.length && !list.some((p) => p.product_id === value)) onChange(list[0].product_id);
  }, [value, list, onChange]);
  return (
    <Field label="Product" validationMessage={products.error ? errorMessage(products.error) : undefined}>
      <Select value={value} onChange={(_, d) => onChange(d.value)} aria-label="Product" disabled={!list.length}>
        {!list.length ? <option value="">{products.loading ? 'Loading products…' : 'No products'}</option> : null}
        {list.map((p) => (
          <option key={p.product_id} value={p.product_id}>
            {p.product_id}
            {p.category ? ` · ${p.category}` : ''}
          </option>
        ))}
      </Select>
    </Field>
  );
}

/** The store and product choice the single-product pages share: one row, store first. */
export function StoreProductPickers({
  api,
  storeId,
  productId,
  onStoreChange,
  onProductChange,
  onStoreInfo,
}: {
  api: Pick<ApiClient, 'stores' | 'products'>;
  storeId: string;
  productId: string;
  onStoreChange: (storeId: string) => void;
  onProductChange: (productId: string) => void;
  onStoreInfo?: (store: StoreInfo | undefined) => void;
}) {
  const s = useStyles();
  return (
    <div className={s.row}>
      <div className={s.grow}>
        <StorePicker api={api} value={storeId} onChange={onStoreChange} onStoreInfo={onStoreInfo} />
      </div>
      <div className={s.grow}>
        <ProductPicker api={api} storeId={storeId} value={productId} onChange={onProductChange} />
      </div>
    </div>
  );
}
