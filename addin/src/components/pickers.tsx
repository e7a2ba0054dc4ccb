// Store and product choice, loaded from the service.
import { Combobox, Field, Option, Select } from '@fluentui/react-components';
import { useEffect, useMemo, useState } from 'react';
import { ALL_STORES_ID, type ProductsResponse, type StoresResponse } from '../../../shared/schemas';
import { errorMessage, type ApiClient } from '../api/client';
import { fmt } from './format';
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

/** The most products the list shows at once: a store of 2,000 is found by typing, not by scrolling. */
export const MAX_PRODUCT_OPTIONS = 50;

type ProductInfo = Pick<ProductsResponse['products'][number], 'product_id' | 'category' | 'description'>;

/** "P0001 · Orange juice 1l" when the product has a description, else its id. */
export function productLabel(p: Pick<ProductInfo, 'product_id' | 'description'>): string {
  return p.description ? `${p.product_id} · ${p.description}` : p.product_id;
}

/**
 * The products whose id, description or category hold every word typed (in any case), ids that start with the text
 * first; at most `max` of them, with how many matched.
 */
export function matchProducts<P extends ProductInfo>(list: readonly P[], query: string, max = MAX_PRODUCT_OPTIONS) {
  const words = query.toLowerCase().split(/\s+|·/).filter(Boolean);
  const text = query.trim().toLowerCase();
  const matches = words.length
    ? list.filter((p) => {
        const hay = `${p.product_id} ${p.description ?? ''} ${p.category ?? ''}`.toLowerCase();
        return words.every((w) => hay.includes(w));
      })
    : [...list];
  if (text) {
    const starts = (p: P) => (p.product_id.toLowerCase().startsWith(text) ? 0 : 1);
    matches.sort((a, b) => starts(a) - starts(b));
  }
  return { shown: matches.slice(0, max), total: matches.length };
}

/** A searchable product choice: type part of an id or a name; the list shows the first matches. */
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
  const s = useStyles();
  const products = useLoad(storeId ? () => api.products(storeId) : null, [api, storeId]);
  const list = useMemo(() => (products.data?.store_id === storeId ? products.data.products : []), [products.data, storeId]);
  useEffect(() => {
    if (list.length && !list.some((p) => p.product_id === value)) onChange(list[0].product_id);
  }, [value, list, onChange]);
  // What is typed while searching; null shows the chosen product.
  const [query, setQuery] = useState<string | null>(null);
  // Open whenever the text changes, however it changed (typed, pasted, filled in).
  const [open, setOpen] = useState(false);
  const chosen = list.find((p) => p.product_id === value);
  const { shown, total } = useMemo(() => {
    const found = matchProducts(list, query ?? '');
    // Opened without typing: the chosen product is in the list, first if it is not among the first matches.
    const picked = list.find((p) => p.product_id === value);
    if (query === null && picked && !found.shown.includes(picked)) found.shown = [picked, ...found.shown.slice(0, -1)];
    return found;
  }, [list, query, value]);
  const placeholder = products.loading ? 'Loading products…' : !storeId || list.length ? undefined : 'No products';
  const hint =
    query !== null && query.trim() !== ''
      ? total === 0
        ? `No product matches "${query.trim()}".`
        : total > shown.length
          ? `${fmt(shown.length)} of ${fmt(total)} matches shown: type more to narrow.`
          : `${fmt(total)} ${total === 1 ? 'match' : 'matches'}.`
      : list.length > MAX_PRODUCT_OPTIONS
        ? `${fmt(list.length)} products: type part of an id or a name to find one.`
        : undefined;
  return (
    <Field label="Product" hint={hint} validationMessage={products.error ? errorMessage(products.error) : undefined}>
      <Combobox
        className={s.combobox}
        aria-label="Product"
        placeholder={placeholder}
        disabled={!list.length}
        value={query ?? (chosen ? productLabel(chosen) : '')}
        selectedOptions={value ? [value] : []}
        open={open}
        // Typing replaces the product shown rather than adding to it.
        onFocus={(e) => e.currentTarget.select()}
        onClick={(e) => {
          if (query === null) e.currentTarget.select();
        }}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
        }}
        onOptionSelect={(_, d) => {
          // Typing text that starts no option clears the selection: the chosen product stays until another is picked.
          if (!d.optionValue) return;
          setQuery(null);
          onChange(d.optionValue);
        }}
        onOpenChange={(_, d) => {
          setOpen(d.open);
          if (!d.open) setQuery(null);
        }}
      >
        {shown.map((p) => (
          <Option key={p.product_id} value={p.product_id} text={productLabel(p)}>
            {productLabel(p)}
            {p.category ? <span className={s.muted}>{` · ${p.category}`}</span> : null}
          </Option>
        ))}
      </Combobox>
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
