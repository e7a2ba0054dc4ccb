// Settings: the service (URL and API key, with a connection test) and the buyer's defaults that the pages use when a
// planning field is left empty (lead time, review period, service level, currency).
import { Button, Divider, Field, Input, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api/client';
import { ErrorMessage, Loading, Notice } from '../components/feedback';
import { useAction } from '../components/hooks';
import { useStyles } from '../components/styles';
import { allOk, checkDays, checkServiceLevel, fieldState } from '../settings/fields';
import { cleanDefaults, normaliseServiceUrl, serviceUrlProblem, type BuyerDefaults, type Settings } from '../settings/settings';

interface SettingsPageProps {
  settings: Settings;
  /** Where settings are kept, shown to the user. */
  storedIn: string;
  mode: 'excel' | 'browser';
  hostDetail: string;
  onSave: (settings: Settings) => Promise<void>;
  /** A client for the settings being edited, so the connection can be tested before saving. */
  makeClient: (settings: Settings) => Pick<ApiClient, 'health' | 'stores'>;
}

const text = (x: number | string | undefined) => (x === undefined ? '' : String(x));

export function SettingsPage({ settings, storedIn, mode, hostDetail, onSave, makeClient }: SettingsPageProps) {
  const s = useStyles();
  const [draft, setDraft] = useState({ serviceUrl: settings.serviceUrl, apiKey: settings.apiKey });
  const d = settings.defaults ?? {};
  const [leadTime, setLeadTime] = useState(text(d.leadTimeDays));
  const [review, setReview] = useState(text(d.reviewDays));
  const [serviceLevel, setServiceLevel] = useState(text(d.serviceLevel));
  const [currency, setCurrency] = useState(text(d.currency));
  const [result, setResult] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const urlProblem = serviceUrlProblem(draft.serviceUrl);
  const checks = {
    leadTime: checkDays(leadTime, 'Lead time'),
    review: checkDays(review, 'Review period'),
    serviceLevel: checkServiceLevel(serviceLevel),
  };
  const currencyProblem = currency.trim().length > 12 ? 'Currency is a short code or sign, e.g. EUR or €' : null;
  const canSave = !urlProblem && !currencyProblem && allOk(...Object.values(checks));

  const test = useAction(async () => {
    setResult(null);
    const api = makeClient(draft);
    const health = await api.health();
    const stores = await api.stores();
    const n = stores.stores.length;
    setResult(`Connected: service version ${health.version}, ${n} store${n === 1 ? '' : 's'} with data.`);
  });
  const save = useAction(async () => {
    setSaved(false);
    const value = (c: (typeof checks)[keyof typeof checks]) => (c.ok ? c.value : undefined);
    const defaults: BuyerDefaults | undefined = cleanDefaults({
      leadTimeDays: value(checks.leadTime),
      reviewDays: value(checks.review),
      serviceLevel: value(checks.serviceLevel),
      currency: currency.trim() || undefined,
    });
    await onSave({ serviceUrl: normaliseServiceUrl(draft.serviceUrl), apiKey: draft.apiKey.trim(), ...(defaults ? { defaults } : {}) });
    setSaved(true);
  });

  return (
    <form
      className={s.page}
      aria-label="Settings"
      // The fields are checked by the page, each with its own sentence; the browser's checks would only block the form.
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (canSave) void save.run();
      }}
    >
      <Text weight="semibold" size={400}>
        Settings
      </Text>
      <Text size={200} className={s.muted}>
        Running {mode === 'excel' ? 'inside Excel' : 'in a browser'}: {hostDetail} Settings are kept in {storedIn}.
      </Text>
      <Field
        label="Service URL"
        hint="Leave empty to use the address this pane was loaded from."
        validationMessage={urlProblem ?? undefined}
      >
        <Input
          value={draft.serviceUrl}
          placeholder="e.g. http://localhost:8000"
          onChange={(_, v) => setDraft({ ...draft, serviceUrl: v.value })}
          aria-label="Service URL"
        />
      </Field>
      <Field
        label="API key"
        hint='Sent as "Authorization: Bearer …"; whoever runs the service creates one (npm run keys -- create <name>). Leave empty if the service needs none.'
      >
        <Input type="password" value={draft.apiKey} onChange={(_, v) => setDraft({ ...draft, apiKey: v.value })} aria-label="API key" />
      </Field>
      <Divider>Your defaults</Divider>
      <Text size={200} className={s.muted}>
        Used by the Bulk, Smart and Dashboard pages when a field is left empty. Leave one empty to use each product&apos;s own value from
        your data, else the service&apos;s default.
      </Text>
      <div className={s.fields}>
        <Field label="Lead time (days)" {...fieldState(checks.leadTime)}>
          <Input type="number" min={0} value={leadTime} onChange={(_, v) => setLeadTime(v.value)} aria-label="Default lead time (days)" />
        </Field>
        <Field label="Review period (days)" {...fieldState(checks.review)}>
          <Input type="number" min={0} value={review} onChange={(_, v) => setReview(v.value)} aria-label="Default review period (days)" />
        </Field>
        <Field label="Service level (%)" {...fieldState(checks.serviceLevel)}>
          <Input
            type="number"
            min={50}
            max={99.9}
            step="any"
            value={serviceLevel}
            placeholder="e.g. 95"
            onChange={(_, v) => setServiceLevel(v.value)}
            aria-label="Default service level (%)"
          />
        </Field>
        <Field label="Currency" {...(currencyProblem ? { validationState: 'error' as const, validationMessage: currencyProblem } : {})}>
          <Input value={currency} placeholder="the service's" onChange={(_, v) => setCurrency(v.value)} aria-label="Currency" />
        </Field>
      </div>
      <div className={s.row}>
        <Button appearance="primary" type="submit" disabled={!canSave || save.busy}>
          Save
        </Button>
        <Button type="button" onClick={() => void test.run()} disabled={Boolean(urlProblem) || test.busy}>
          Test connection
        </Button>
      </div>
      {test.busy ? <Loading label="Testing the connection…" /> : null}
      {save.busy ? <Loading label="Saving…" /> : null}
      {result ? <Notice>{result}</Notice> : null}
      {saved ? <Notice>Settings saved.</Notice> : null}
      <ErrorMessage error={test.error} title="Connection failed" />
      <ErrorMessage error={save.error} title="Could not save the settings" />
    </form>
  );
}
