// Stored model versions with their holdout accuracy; any older version can be made active again.
import { Badge, Button, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import type { ModelSummary } from '../../../../shared/schemas';
import { ErrorMessage, Loading } from '../../components/feedback';
import { fmt, percent } from '../../components/format';
import { useAction } from '../../components/hooks';
import { useStyles } from '../../components/styles';
import type { DataApi } from './types';

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
  const activate = useAction(async (m: ModelSummary) => {
    await api.activate(m.scope === 'global' ? 'global' : m.store_id!, m.version);
    onChanged();
  });
  const sorted = [...(models ?? [])].sort(
    (a, b) => (a.store_id ?? '~global').localeCompare(b.store_id ?? '~global') || b.version - a.version,
  );
  return (
    <div className={s.section} role="group" aria-label="Models">
      <Text weight="semibold">Models</Text>
      {loading && !models ? <Loading label="Loading models…" /> : null}
      <ErrorMessage error={error} title="Could not load the models" />
      <ErrorMessage error={activate.error} title="Could not activate the model" />
      {models && models.length === 0 ? <Text size={200}>No model trained yet.</Text> : null}
      {sorted.length ? (
        <div className={s.tableWrap}>
          <Table size="extra-small" aria-label="Model versions">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Store</TableHeaderCell>
                <TableHeaderCell>Version</TableHeaderCell>
                <TableHeaderCell>Trained</TableHeaderCell>
                <TableHeaderCell>Records</TableHeaderCell>
                <TableHeaderCell>Typical error</TableHeaderCell>
                <TableHeaderCell>MASE</TableHeaderCell>
                <TableHeaderCell>Best simple method</TableHeaderCell>
                <TableHeaderCell>Active</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {sorted.map((m) => (
                <TableRow key={`${m.scope}:${m.store_id}:${m.version}`}>
                  <TableCell>{m.scope === 'global' ? 'global' : m.store_id}</TableCell>
                  <TableCell>{m.version}</TableCell>
                  <TableCell>{m.trained_at.slice(0, 16).replace('T', ' ')}</TableCell>
                  <TableCell className={s.number}>{fmt(m.records)}</TableCell>
                  <TableCell className={s.number}>{percent(m.metrics.wape)}</TableCell>
                  <TableCell className={s.number}>{fmt(m.metrics.mase, 2)}</TableCell>
                  <TableCell className={s.number}>
                    {percent((m.metrics.best_baseline?.figures ?? m.metrics.baseline).wape)}
                    {m.metrics.best_baseline?.label ? ` (${m.metrics.best_baseline.label})` : ''}
                  </TableCell>
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
              ))}
            </TableBody>
          </Table>
        </div>
      ) : null}
    </div>
  );
}
