// What a page says while it waits, when something failed and when something worked.
import { MessageBar, MessageBarBody, MessageBarTitle, Spinner } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { errorMessage } from '../api/client';

/** The error's message under a title; `hint` (what to do about it) on its own line below. */
export function ErrorMessage({ error, title = 'Something went wrong', hint }: { error: unknown; title?: string; hint?: ReactNode }) {
  if (error === null || error === undefined) return null;
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {errorMessage(error)}
        {hint ? <div>{hint}</div> : null}
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
