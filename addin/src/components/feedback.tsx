// What a page says while it waits, when something failed and when something worked, and the banner that says the
// service holds demo data.
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { StoresResponse } from '../../../shared/schemas';
import { describeError, type ApiClient } from '../api/client';
import { useAction, useLoad } from './hooks';

/** The error in a buyer's words under a title; what to do about it (`hint`, else the error's own) on a line below. */
export function ErrorMessage({ error, title = 'Something went wrong', hint }: { error: unknown; title?: string; hint?: ReactNode }) {
  if (error === null || error === undefined) return null;
  const { message, next } = describeError(error);
  const what = hint ?? next;
  return (
    <MessageBar intent="error" role="alert" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {message}
        {what ? <div>{what}</div> : null}
      </MessageBarBody>
    </MessageBar>
  );
}

export function Notice({ children, intent = 'success' }: { children: ReactNode; intent?: 'success' | 'info' | 'warning' }) {
  return (
    <MessageBar intent={intent} role="status" layout="multiline">
      <MessageBarBody>{children}</MessageBarBody>
    </MessageBar>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return <Spinner size="small" label={label} role="progressbar" aria-label={label} />;
}

/** The demo stores among a store list (generated data seeded on an empty service). */
export const demoStores = (stores: StoresResponse | undefined) => (stores?.stores ?? []).filter((s) => s.demo).map((s) => s.store_id);

/**
 * While the service holds demo data: a banner saying so, with "Remove demo data" (DELETE /demo). `onRemoved` is
 * told once it is gone, so the page can load its lists again. Says nothing when the stores cannot be loaded (the
 * page's own pickers say why).
 */
export function DemoBanner({
  api,
  stores,
  onRemoved,
}: {
  api: Pick<ApiClient, 'stores' | 'removeDemo'>;
  /** The page's own store list, when it has one; else the banner loads it. */
  stores?: StoresResponse;
  onRemoved?: () => void;
}) {
  const own = useLoad(stores ? null : () => api.stores(), [api, Boolean(stores)]);
  const remove = useAction(async () => {
    await api.removeDemo();
    if (!stores) own.reload();
    onRemoved?.();
  });
  const demo = demoStores(stores ?? own.data);
  if (demo.length === 0 && !remove.error) return null;
  return (
    <>
      {demo.length ? (
        <MessageBar intent="warning" role="region" aria-label="Demo data" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Demo data</MessageBarTitle>
            {demo.length === 1 ? `Store ${demo[0]} holds` : `Stores ${demo.join(', ')} hold`} generated sales, not yours: the figures there
            are examples. Upload your own sales on the Data &amp; Training page, then remove the demo data.
          </MessageBarBody>
          <MessageBarActions>
            <Button size="small" onClick={() => void remove.run()} disabled={remove.busy}>
              {remove.busy ? 'Removing…' : 'Remove demo data'}
            </Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
      <ErrorMessage error={remove.error} title="Could not remove the demo data" />
    </>
  );
}
