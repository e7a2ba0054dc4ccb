import { Button, Field, Input, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api/client';
import { ErrorMessage, Loading, Notice } from '../components/feedback';
import { useAction } from '../components/hooks';
import { useStyles } from '../components/styles';
import { normaliseServiceUrl, serviceUrlProblem, type Settings } from '../settings/settings';

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

export function SettingsPage({ settings, storedIn, mode, hostDetail, onSave, makeClient }: SettingsPageProps) {
  const s = useStyles();
  const [draft, setDraft] = useState<Settings>(settings);
  const [result, setResult] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const urlProblem = serviceUrlProblem(draft.serviceUrl);

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
    await onSave({ serviceUrl: normaliseServiceUrl(draft.serviceUrl), apiKey: draft.apiKey.trim() });
    setSaved(true);
  });

  return (
    <form
      className={s.page}
      aria-label="Settings"
      onSubmit={(e) => {
        e.preventDefault();
        if (!urlProblem) void save.run();
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
          onChange={(_, d) => setDraft({ ...draft, serviceUrl: d.value })}
          aria-label="Service URL"
        />
      </Field>
      <Field
        label="API key"
        hint='Sent as "Authorization: Bearer …"; create one with npm run keys -- create <name>. Leave empty if the service needs none.'
      >
        <Input type="password" value={draft.apiKey} onChange={(_, d) => setDraft({ ...draft, apiKey: d.value })} aria-label="API key" />
      </Field>
      <div className={s.row}>
        <Button appearance="primary" type="submit" disabled={Boolean(urlProblem) || save.busy}>
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
