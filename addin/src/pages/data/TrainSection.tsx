// Training a store (or all stores) with optional parameters, following the job's progress (its named steps when the
// service reports them) until it ends, then what became of each store: trained, skipped or failed, and why.
import {
  Button,
  Field,
  Input,
  ProgressBar,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import {
  ALL_STORES_ID,
  type TrainingJob,
  type TrainingParams,
  type TrainingScopeReport,
  type TrainingStep,
} from '../../../../shared/schemas';
import { errorMessage, pollTrainingJob } from '../../api/client';
import { ErrorMessage, Loading, Notice } from '../../components/feedback';
import { useAction } from '../../components/hooks';
import { StorePicker } from '../../components/pickers';
import { useStyles } from '../../components/styles';
import type { DataApi } from './types';

const STAGE_WORDS: Record<TrainingStep['stage'], string> = {
  preparing: 'preparing the data',
  backtest: 'backtest (accuracy on held-out sales)',
  final_fit: 'final fit (on all sales)',
  saving: 'saving the model',
  // A service from before the backtest and the final fit were told apart.
  fitting: 'backtest and final fit',
};

/** The steps of each store's training, in order, as the progress names them. */
const STEPS: { stage: TrainingStep['stage']; label: string }[] = [
  { stage: 'preparing', label: 'Preparing' },
  { stage: 'backtest', label: 'Backtest' },
  { stage: 'final_fit', label: 'Final fit' },
  { stage: 'saving', label: 'Saving' },
];

const scopeName = (r: Pick<TrainingScopeReport, 'scope' | 'store_id'>) =>
  r.scope === 'global' ? 'All stores (global model)' : r.store_id!;

/** "Store S002 (2 of 4): backtest and final fit". */
export function stepWords(step: TrainingStep): string {
  const what = step.scope === 'global' ? 'Model of all stores' : `Store ${step.store_id}`;
  return `${what}${step.count > 1 ? ` (${step.index} of ${step.count})` : ''}: ${STAGE_WORDS[step.stage]}`;
}

/** The current store's steps, the one it is on marked (an older service's "fitting" marks both fit steps). */
function StepList({ step }: { step: TrainingStep }) {
  const s = useStyles();
  const at = (stage: TrainingStep['stage']) =>
    step.stage === stage || (step.stage === 'fitting' && (stage === 'backtest' || stage === 'final_fit'));
  const current = STEPS.findIndex((x) => at(x.stage));
  return (
    <ol
      aria-label="Training steps"
      style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 12px', listStyle: 'none', margin: 0, padding: 0 }}
    >
      {STEPS.map((x, i) => (
        <li key={x.stage} aria-current={at(x.stage) ? 'step' : undefined} className={at(x.stage) ? undefined : s.muted}>
          <Text size={200} weight={at(x.stage) ? 'semibold' : 'regular'}>
            {i < current ? '✓ ' : at(x.stage) ? '● ' : ''}
            {x.label}
          </Text>
        </li>
      ))}
    </ol>
  );
}

const OUTCOME_WORDS: Record<TrainingScopeReport['outcome'], string> = { trained: 'trained', skipped: 'skipped', failed: 'failed' };

/** "2 trained, 1 skipped, 1 failed". */
export function reportSummary(report: readonly TrainingScopeReport[]): string {
  return (['trained', 'skipped', 'failed'] as const)
    .map((o) => [o, report.filter((r) => r.outcome === o).length] as const)
    .filter(([, n]) => n > 0)
    .map(([o, n]) => `${n} ${OUTCOME_WORDS[o]}`)
    .join(', ');
}

function JobReport({ report }: { report: readonly TrainingScopeReport[] }) {
  const s = useStyles();
  return (
    <div className={s.tableWrap}>
      <Table size="extra-small" aria-label="Training report">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Store</TableHeaderCell>
            <TableHeaderCell>Outcome</TableHeaderCell>
            <TableHeaderCell>Why</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {report.map((r) => (
            <TableRow key={`${r.scope}:${r.store_id}`}>
              <TableCell>{scopeName(r)}</TableCell>
              <TableCell>{r.outcome === 'trained' && r.version !== undefined ? `trained (version ${r.version})` : r.outcome}</TableCell>
              <TableCell style={{ whiteSpace: 'normal' }}>{r.reason ?? ''}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

const jobLine = (job: TrainingJob) =>
  `Training ${job.store_id === ALL_STORES_ID ? 'all stores' : job.store_id}: ${job.status} (${Math.round(job.progress * 100)}%)`;

function outcomeLine(job: TrainingJob): string | undefined {
  if (job.status === 'failed') return job.error ?? 'Training failed: nothing was trained.';
  if (job.status !== 'succeeded') return job.step ? stepWords(job.step) : undefined;
  if (job.report?.length) return `Done: ${reportSummary(job.report)}. The models table below shows the new versions.`;
  return `Done: ${job.models?.length ?? 0} model(s) stored.`;
}

export function TrainSection({ api, pollMs, onTrained }: { api: DataApi; pollMs: number; onTrained: () => void }) {
  const s = useStyles();
  const [storeId, setStoreId] = useState('');
  const [objective, setObjective] = useState<NonNullable<TrainingParams['objective']> | ''>('');
  const [rounds, setRounds] = useState('');
  const [job, setJob] = useState<TrainingJob | null>(null);
  const [retrying, setRetrying] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);
  const roundsNumber = rounds.trim() === '' ? undefined : Number(rounds);
  const roundsProblem =
    roundsNumber !== undefined && !(Number.isInteger(roundsNumber) && roundsNumber >= 1 && roundsNumber <= 5000)
      ? 'Rounds is a whole number from 1 to 5,000'
      : null;

  const train = useAction(async () => {
    abort.current?.abort();
    const controller = (abort.current = new AbortController());
    setJob(null);
    setRetrying(null);
    const params: TrainingParams = {
      ...(objective ? { objective } : {}),
      ...(roundsNumber !== undefined ? { rounds: roundsNumber } : {}),
    };
    const queued = await api.train({ store_id: storeId, ...(Object.keys(params).length ? { params } : {}) });
    // While an "all" job runs, the models table shows each store's new model as soon as the report has it.
    let trained = 0;
    const final = await pollTrainingJob(api, queued.job_id, {
      intervalMs: pollMs,
      signal: controller.signal,
      onUpdate: (j) => {
        setRetrying(null);
        setJob(j);
        const now = j.report?.filter((r) => r.outcome === 'trained').length ?? 0;
        if (j.status === 'running' && now > trained) {
          trained = now;
          onTrained();
        }
      },
      onRetry: (err, attempt) => setRetrying(`Could not get the job's progress (${errorMessage(err)}); trying again (${attempt}).`),
    });
    // The models table shows what the job stored (an "all" job that trained some stores succeeded).
    if (final.status === 'succeeded' || final.report?.some((r) => r.outcome === 'trained')) onTrained();
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
        <Field label="Rounds" {...(roundsProblem ? { validationState: 'error' as const, validationMessage: roundsProblem } : {})}>
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
      {storeId === ALL_STORES_ID ? (
        <Text size={200} className={s.muted}>
          All stores: every store that has enough history is trained, plus a model of all stores; the others are skipped, and the report
          says why.
        </Text>
      ) : null}
      <div className={s.row}>
        <Button appearance="primary" onClick={() => void train.run()} disabled={!storeId || Boolean(roundsProblem) || train.busy}>
          Train
        </Button>
      </div>
      {train.busy && !job ? <Loading label="Queueing…" /> : null}
      {job ? (
        <Field
          label={jobLine(job)}
          validationState={job.status === 'failed' ? 'error' : job.status === 'succeeded' ? 'success' : 'none'}
          validationMessage={outcomeLine(job)}
        >
          <ProgressBar
            value={job.progress}
            aria-label="Training progress"
            color={job.status === 'failed' ? 'error' : job.status === 'succeeded' ? 'success' : 'brand'}
          />
        </Field>
      ) : null}
      {job?.status === 'running' && job.step ? <StepList step={job.step} /> : null}
      {job?.report?.length ? <JobReport report={job.report} /> : null}
      {retrying && train.busy ? <Notice intent="warning">{retrying}</Notice> : null}
      <ErrorMessage error={train.error} title="Training failed" />
    </div>
  );
}
