// Small shared pieces of the pane: error and loading states, stat cards, store and product pickers, number format.
import {
  Badge,
  Card,
  Field,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Select,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { BulkStockStatus } from '../../../shared/schemas';
import { errorMessage, type ApiClient } from '../api/client';

export const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: '12px', padding: '12px' },
  row: { display: 'flex', gap: '8px', flexWrap: 'wrap', alignItems: 'flex-end' },
  grow: { flexGrow: 1, minWidth: '120px' },
  /** Small inputs side by side, as many as fit the pane's width. */
  fields: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(110px, 1fr))',
    gap: '8px',
    alignItems: 'end',
    '& > *': { minWidth: 0 },
    '& .fui-Input': { minWidth: 0, width: '100%' },
    '& input': { minWidth: 0 },
  },
  cards: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(130px, 1fr))', gap: '8px' },
  card: { padding: '10px' },
  cardValue: { fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightHero700 },
  muted: { color: tokens.colorNeutralForeground3 },
  section: { display: 'flex', flexDirection: 'column', gap: '8px' },
  tableWrap: { overflowX: 'auto' },
  detail: { backgroundColor: tokens.colorNeutralBackground2, padding: '8px' },
  kv: { display: 'grid', gridTemplateColumns: 'auto auto', columnGap: '12px', rowGap: '2px' },
  number: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
});

export function ErrorMessage({ error, title = 'Something went wrong' }: { error: unknown; title?: string }) {
  if (error === null || error === undefined) return null;
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {errorMessage(error)}
      </MessageBarBody>
    </MessageBar>
  );
}

export function Notice({ children, intent = 'success' }: { children: ReactNode; intent?: 'success' | 'info' | 'warning' }) {
  return (
    <MessageBar intent={intent} role="status">
      <MessageBarBody>{children}</MessageBarBody>
    </MessageBar>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return <Spinner size="small" label={label} role="progressbar" aria-label={label} />;
}

export function StatCard({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  const s = useStyles();
  return (
    <Card className={s.card} aria-label={label}>
      <Text size={200} className={s.muted}>
        {label}
      </Text>
      <div className={s.cardValue}>{value}</div>
      {hint ? (
        <Text size={200} className={s.muted}>
          {hint}
        </Text>
      ) : null}
    </Card>
  );
}

const STATUS_BADGE: Record<BulkStockStatus, 'danger' | 'warning' | 'success' | 'informative' | 'subtle'> = {
  CRITICAL: 'danger',
  LOW: 'warning',
  ADEQUATE: 'success',
  EXCESS: 'informative',
  UNKNOWN: 'subtle',
};
export function StatusBadge({ status }: { status: BulkStockStatus }) {
  return (
    <Badge appearance="tint" color={STATUS_BADGE[status]}>
      {status}
    </Badge>
  );
}

const numberFormats = new Map<string, Intl.NumberFormat>();
/** 1,234.5 style; '—' for missing values. */
export function fmt(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const key = String(digits);
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })));
  return f.format(value);
}
export const money = (value: number | null | undefined, currency = '') =>
  value === null || value === undefined ? '—' : `${fmt(value, 2)}${currency ? ` ${currency}` : ''}`;
export const percent = (fraction: number | null | undefined, digits = 1) =>
  fraction === null || fraction === undefined ? '—' : `${fmt(fraction * 100, digits)}%`;

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when deps change; keeps only the latest answer. */
export function useLoad<T>(load: (() => Promise<T>) | null, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error: unknown; loading: boolean }>({ error: null, loading: Boolean(load) });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    if (!load) {
      setState({ error: null, loading: false });
      return;
    }
    const mine = ++seq.current;
    setState((s) => ({ data: s.data, error: null, loading: true }));
    load().then(
      (data) => mine === seq.current && setState({ data, error: null, loading: false }),
      (error) => mine === seq.current && setState({ error, loading: false }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Runs an action on demand (a button), with its own busy and error state. */
export function useAction<A extends unknown[], T>(action: (...args: A) => Promise<T>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(
    async (...args: A): Promise<T | undefined> => {
      setBusy(true);
      setError(null);
      try {
        return await action(...args);
      } catch (err) {
        setError(err);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [action],
  );
  return { run, busy, error, setError };
}

export function StorePicker({
  api,
  value,
  onChange,
  allowAll = false,
  label = 'Store',
}: {
  api: Pick<ApiClient, 'stores'>;
  value: string;
  onChange: (storeId: string) => void;
  allowAll?: boolean;
  label?: string;
}) {
  const stores = useLoad(() => api.stores(), [api]);
  const list = stores.data?.stores ?? [];
  useEffect(() => {
    if (value || stores.loading) return;
    if (list.length) onChange(list[0].store_id);
    else if (allowAll) onChange('all');
  }, [value, list, allowAll, onChange, stores.loading]);
  return (
    <Field label={label} validationMessage={stores.error ? errorMessage(stores.error) : undefined}>
      <Select value={value} onChange={(_, d) => onChange(d.value)} disabled={stores.loading && !list.length} aria-label={label}>
        {stores.loading && !list.length ? <option value="">Loading stores…</option> : null}
        {!stores.loading && !list.length && !allowAll ? <option value="">No stores yet: upload sales first</option> : null}
        {allowAll ? <option value="all">All stores (and a global model)</option> : null}
        {list.map((s) => (
          <option key={s.store_id} value={s.store_id}>
            {s.store_id} ({s.products} products)
          </option>
        ))}
      </Select>
    </Field>
  );
}

export function ProductPicker({
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
}: {
  api: Pick<ApiClient, 'stores' | 'products'>;
  storeId: string;
  productId: string;
  onStoreChange: (storeId: string) => void;
  onProductChange: (productId: string) => void;
}) {
  const s = useStyles();
  return (
    <div className={s.row}>
      <div className={s.grow}>
        <StorePicker api={api} value={storeId} onChange={onStoreChange} />
      </div>
      <div className={s.grow}>
        <ProductPicker api={api} storeId={storeId} value={productId} onChange={onProductChange} />
      </div>
    </div>
  );
}

/** Adds days to an ISO date. */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
