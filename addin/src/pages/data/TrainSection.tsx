// Training a store (or all stores) with optional parameters, following the job's progress until it ends.
import { Button, Field, Input, ProgressBar, Select, Text } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { ALL_STORES_ID, type TrainingJob, type TrainingParams } from '../../../../shared/schemas';
import { pollTrainingJob } from '../../api/client';
import { ErrorMessage, Loading, Notice } from '../../components/feedback';
import { useAction } from '../../components/hooks';
import { StorePicker } from '../../components/pickers';
import { useStyles } from '../../components/styles';
import type { DataApi } from './types';

export function TrainSection({ api, pollMs, onTrained }: { api: DataApi; pollMs: number; onTrained: () => void }) {
  const s = useStyles();
  const [storeId, setStoreId] = useState('');
  const [objective, setObjective] = useState<NonNullable<TrainingParams['objective']> | ''>('');
  const [rounds, setRounds] = useState('');
  const [job, setJob] = useState<TrainingJob | null>(null);
  const [retrying, setRetrying] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const train = useAction(async () => {
    abort.current?.abort();
    const controller = (abort.current = new AbortController());
    setJob(null);
    setRetrying(null);
    const params: TrainingParams = {
      ...(objective ? { objective } : {}),
      ...(rounds.trim() ? { rounds: Number(rounds) } : {}),
    };
    const queued = await api.train({ store_id: storeId, ...(Object.keys(params).length ? { params } : {}) });
    const final = await pollTrainingJob(api, queued.job_id, {
      intervalMs: pollMs,
      signal: controller.signal,
      onUpdate: (j) => {
        setRetrying(null);
        setJob(j);
      },
      onRetry: (err, attempt) => setRetrying(`Could not get the job's progress (${err.message}); trying again (${attempt}).`),
    });
    if (final.status === 'succeeded') onTrained();
    return final;
  });

  return (
    <div className={s.section} role="group" aria-label="Train">
      <Text weight="semibold">Train a model</Text>
      <div className={s.row}>
        <div className={s.grow}>
          <StorePicker api={api} value={storeId} onChange={setStoreId} allowAll />
        </div>
        <Field label="Objective">
          <Select value={objective} onChange={(_, d) => setObjective(d.value as typeof objective)} aria-label="Objective">
            <option value="">Default</option>
            <option value="auto">Compare all (slower)</option>
            <option value="squared">Squared error</option>
            <option value="poisson">Poisson</option>
            <option value="tweedie">Tweedie</option>
          </Select>
        </Field>
        <Field label="Rounds">
          <Input
            type="number"
            min={1}
            max={5000}
            value={rounds}
            placeholder="default"
            onChange={(_, d) => setRounds(d.value)}
            aria-label="Rounds"
            style={{ width: 90 }}
          />
        </Field>
      </div>
      <div className={s.row}>
        <Button appearance="primary" onClick={() => void train.run()} disabled={!storeId || train.busy}>
          Train
        </Button>
      </div>
      {train.busy && !job ? <Loading label="Queueing…" /> : null}
      {job ? (
        <Field
          label={`Training ${job.store_id === ALL_STORES_ID ? 'all stores' : job.store_id}: ${job.status} (${Math.round(job.progress * 100)}%)`}
          validationState={job.status === 'failed' ? 'error' : job.status === 'succeeded' ? 'success' : 'none'}
          validationMessage={
            job.status === 'failed'
              ? (job.error ?? 'Training failed')
              : job.status === 'succeeded'
                ? `Done: ${job.models?.length ?? 0} model(s) stored.`
                : undefined
          }
        >
          <ProgressBar
            value={job.progress}
            aria-label="Training progress"
            color={job.status === 'failed' ? 'error' : job.status === 'succeeded' ? 'success' : 'brand'}
          />
        </Field>
      ) : null}
      {retrying && train.busy ? <Notice intent="warning">{retrying}</Notice> : null}
      <ErrorMessage error={train.error} title="Training failed" />
    </div>
  );
}
