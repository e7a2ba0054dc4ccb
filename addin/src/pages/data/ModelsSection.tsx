// Stored model versions with their holdout accuracy in words ("typical daily error 25%; 17% better than the simple
// method (...)"); the model's own figures (WAPE, MASE, objective, rounds) under "Advanced". Any older version can be
// made active again.
import { Badge, Button, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import type { ModelSummary } from '../../../../shared/schemas';
import { Advanced } from '../../components/basis';
import { useDates } from '../../components/dates';
import { ErrorMessage, Loading } from '../../components/feedback';
import { fmt } from '../../components/format';
import { useAction } from '../../components/hooks';
import { useStyles } from '../../components/styles';
import { accuracyWords, advancedFigures } from '../../results/accuracy';
import type { DataApi } from './types';

const storeOf = (m: ModelSummary) => (m.scope === 'global' ? 'all stores' : m.store_id!);

export function ModelsSection({
  api,
  models,
  loading,
  error,
  onChanged,
}: {
  api: DataApi;
  models: ModelSummary[] | undefined;
  loading: boolean;
  error: unknown;
  onChanged: () => void;
}) {
  const s = useStyles();
  const dates = useDates();
  const activate = useAction(async (m: ModelSummary) => {
    await api.activate(m.scope === 'global' ? 'global' : m.store_id!, m.version);
    onChanged();
  });
  const sorted = [...(models ?? [])].sort(
    (a, b) => (a.store_id ?? '~global').localeCompare(b.store_id ?? '~global') || b.version - a.version,
  );
  const key = (m: ModelSummary) => `${m.scope}:${m.store_id}:${m.version}`;
  return (
    <div className={s.section} role="group" aria-label="Models">
      <Text weight="semibold">Models</Text>
      {loading && !models ? <Loading label="Loading models…" /> : null}
      <ErrorMessage error={error} title="Could not load the models" />
      <ErrorMessage error={activate.error} title="Could not activate the model" />
      {models && models.length === 0 ? <Text size={200}>No model trained yet.</Text> : null}
      {sorted.length ? (
        <>
          <div className={s.tableWrap}>
            <Table size="extra-small" aria-label="Model versions">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Store</TableHeaderCell>
                  <TableHeaderCell>Version</TableHeaderCell>
                  <TableHeaderCell>Trained</TableHeaderCell>
                  <TableHeaderCell>Records</TableHeaderCell>
                  <TableHeaderCell>Typical error</TableHeaderCell>
                  <TableHeaderCell>Versus the simple method</TableHeaderCell>
                  <TableHeaderCell>Active</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {sorted.map((m) => {
                  const words = accuracyWords(m.metrics);
                  return (
                    <TableRow key={key(m)}>
                      <TableCell>{storeOf(m)}</TableCell>
                      <TableCell>{m.version}</TableCell>
                      <TableCell>{dates.time(m.trained_at)}</TableCell>
                      <TableCell className={s.number}>{fmt(m.records)}</TableCell>
                      <TableCell title={words?.measuredOn}>{words?.typicalError ?? '—'}</TableCell>
                      <TableCell style={{ whiteSpace: 'normal' }}>{words?.versusSimple ?? '—'}</TableCell>
                      <TableCell>
                        {m.active ? (
                          <Badge appearance="filled" color="success">
                            active
                          </Badge>
                        ) : (
                          <Button size="small" onClick={() => void activate.run(m)} disabled={activate.busy}>
                            Activate
                          </Button>
                        )}
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </div>
          <Advanced>
            <div className={s.tableWrap}>
              <Table size="extra-small" aria-label="Model figures">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Store</TableHeaderCell>
                    <TableHeaderCell>Version</TableHeaderCell>
                    {advancedFigures(sorted[0]).map(([label]) => (
                      <TableHeaderCell key={label}>{label.replace(/ \(.*\)$/, '')}</TableHeaderCell>
                    ))}
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {sorted.map((m) => (
                    <TableRow key={key(m)}>
                      <TableCell>{storeOf(m)}</TableCell>
                      <TableCell>{m.version}</TableCell>
                      {advancedFigures(m).map(([label, value]) => (
                        <TableCell key={label} className={s.number}>
                          {value}
                          {label.startsWith('WAPE of') ? ` (${label.slice(label.indexOf('(') + 1, -1)})` : ''}
                        </TableCell>
                      ))}
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          </Advanced>
        </>
      ) : null}
    </div>
  );
}
