import {
  Badge,
  Button,
  Field,
  Input,
  ProgressBar,
  Radio,
  RadioGroup,
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
  CANONICAL_FIELDS,
  type CalendarSummary,
  type CalendarUploadResponse,
  type ColumnMapping,
  type DateOrder,
  type ModelSummary,
  type TrainingJob,
  type TrainingParams,
  type UploadResponse,
} from '../../../shared/schemas';
import { pollTrainingJob, type ApiClient } from '../api/client';
import { ErrorMessage, fmt, Loading, Notice, StorePicker, useAction, useLoad, useStyles } from '../components/common';
import { ACCEPTED_FILES, fileKind } from '../files/download';
import type { FilePreview } from '../files/workbookFile';
import type { DataSource, PaneHost, WorkbookAccess } from '../host';
import { detectMapping, cleanMapping, FIELD_LABELS, mappingProblems, REQUIRED_FIELDS } from '../mapping/columns';
import { csvLine, type CellValue } from '../mapping/csv';

export type DataApi = Pick<ApiClient, 'stores' | 'upload' | 'uploadCalendar' | 'calendar' | 'train' | 'job' | 'models' | 'activate'>;

export interface DataPageProps {
  api: DataApi;
  host: PaneHost;
  /** How often to poll a training job (ms). */
  pollMs?: number;
}

export function DataPage({ api, host, pollMs = 1000 }: DataPageProps) {
  const s = useStyles();
  const models = useLoad(() => api.models(), [api]);
  // New data may bring new stores: the training form reloads its store list after each upload.
  const [uploads, setUploads] = useState(0);
  // DEMAND.* cells in the workbook show the new model or data at once; a failed recalculation is not the page's error.
  const refreshCells = () => void host.refreshCellFunctions?.().catch(() => {});
  const modelsChanged = () => {
    models.reload();
    refreshCells();
  };
  return (
    <section className={s.page} aria-label="Data & Training">
      <Text weight="semibold" size={400}>
        Data &amp; training
      </Text>
      <UploadSection
        api={api}
        host={host}
        onUploaded={() => {
          setUploads((n) => n + 1);
          refreshCells();
        }}
      />
      <CalendarSection api={api} workbook={host.workbook} />
      <TrainSection key={uploads} api={api} pollMs={pollMs} onTrained={modelsChanged} />
      <ModelsSection api={api} models={models.data?.models} loading={models.loading} error={models.error} onChanged={modelsChanged} />
    </section>
  );
}

// ---------------------------------------------------------------- upload

interface Columns {
  headers: string[];
  rows: CellValue[][];
  /** Total data rows when known. */
  totalRows?: number;
}

type Phase = { step: 'reading'; done: number; total: number } | { step: 'sending'; done: number; total: number } | { step: 'processing' };

/**
 * Reads a workbook table or sheet into a CSV file for the service. Excel hands dates over as serial numbers: the
 * date column is written as ISO days. `headers` are the columns the user saw; a sheet changed since is refused.
 */
async function workbookCsv(
  workbook: WorkbookAccess,
  source: DataSource,
  headers: string[],
  dateColumn: string | undefined,
  onProgress?: (done: number, total: number) => void,
): Promise<{ csv: Blob; fileName: string }> {
  const dateColumns = new Set(dateColumn ? [headers.indexOf(dateColumn)] : []);
  const parts: string[] = [];
  const read = await workbook.read(
    source,
    (rows) => {
      for (const row of rows) parts.push(`${csvLine(row, dateColumns)}\r\n`);
    },
    onProgress,
  );
  if (read.headers.join('\u0000') !== headers.join('\u0000')) {
    throw new Error('The columns changed since they were shown: press "Look again" and check the mapping.');
  }
  if (read.rows === 0) throw new Error('The chosen data has a header row but no rows under it.');
  return {
    csv: new Blob([`${csvLine(headers)}\r\n`, ...parts], { type: 'text/csv' }),
    fileName: `${source.kind === 'table' ? source.name : source.sheet || 'selection'}.csv`,
  };
}

function UploadSection({ api, host, onUploaded }: { api: DataApi; host: PaneHost; onUploaded: () => void }) {
  const s = useStyles();
  const inExcel = Boolean(host.workbook);
  const [from, setFrom] = useState<'workbook' | 'file'>(inExcel ? 'workbook' : 'file');
  const [sources, setSources] = useState<DataSource[] | null>(null);
  const [sourceIndex, setSourceIndex] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [filePreview, setFilePreview] = useState<FilePreview | null>(null);
  const [sheet, setSheet] = useState('');
  const [columns, setColumns] = useState<Columns | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [storeId, setStoreId] = useState('');
  const [dateOrder, setDateOrder] = useState<DateOrder | ''>('');
  const [phase, setPhase] = useState<Phase | null>(null);
  const [result, setResult] = useState<UploadResponse | null>(null);

  const showColumns = (c: Columns | null) => {
    setColumns(c);
    setMapping(c ? detectMapping(c.headers) : {});
    setResult(null);
  };

  const find = useAction(async () => {
    const list = await host.workbook!.listSources();
    setSources(list);
    setSourceIndex(0);
    showColumns(list.length ? await host.workbook!.preview(list[0]) : null);
  });
  const pickSource = useAction(async (index: number) => {
    setSourceIndex(index);
    showColumns(sources?.[index] ? await host.workbook!.preview(sources[index]) : null);
  });
  const pickFile = useAction(async (f: File | null) => {
    setFile(f);
    setFilePreview(null);
    showColumns(null);
    if (!f) return;
    const { previewWorkbookFile } = await import('../files/workbookFile');
    const preview = previewWorkbookFile(await f.arrayBuffer(), f.name);
    setFilePreview(preview);
    const first = preview.sheets[0];
    setSheet(first?.name ?? '');
    if (first) showColumns({ headers: first.headers, rows: first.rows });
  });
  const pickSheet = (name: string) => {
    setSheet(name);
    const found = filePreview?.sheets.find((x) => x.name === name);
    showColumns(found ? { headers: found.headers, rows: found.rows } : null);
  };

  const problems = columns ? mappingProblems(mapping, columns.headers) : [];
  const needsStore = columns !== null && !mapping.store_id;

  const upload = useAction(async () => {
    setResult(null);
    const form = {
      ...(columns ? { mapping: cleanMapping(mapping) } : {}),
      ...(dateOrder ? { date_format: dateOrder } : {}),
      ...(storeId.trim() && !mapping.store_id ? { store_id: storeId.trim() } : {}),
    };
    const onProgress = (done: number, total: number) =>
      setPhase(done >= total && total > 0 ? { step: 'processing' } : { step: 'sending', done, total });
    try {
      if (from === 'workbook') {
        const source = sources![sourceIndex];
        setPhase({ step: 'reading', done: 0, total: source.rows - 1 });
        const { csv, fileName } = await workbookCsv(host.workbook!, source, columns!.headers, mapping.date, (done, total) =>
          setPhase({ step: 'reading', done, total }),
        );
        setPhase({ step: 'sending', done: 0, total: csv.size });
        setResult(await api.upload(csv, fileName, form, onProgress));
        onUploaded();
      } else {
        if (!file) return;
        setPhase({ step: 'sending', done: 0, total: file.size });
        const withSheet = fileKind(file.name) === 'xlsx' && sheet ? { ...form, sheet } : form;
        setResult(await api.upload(file, file.name, withSheet, onProgress));
        onUploaded();
      }
    } finally {
      setPhase(null);
    }
  });

  return (
    <div className={s.section} role="group" aria-label="Upload sales">
      <Text weight="semibold">Upload sales history</Text>
      {inExcel ? (
        <RadioGroup
          layout="horizontal"
          value={from}
          onChange={(_, d) => {
            setFrom(d.value as 'workbook' | 'file');
            showColumns(null);
          }}
        >
          <Radio value="workbook" label="From this workbook" />
          <Radio value="file" label="From a file" />
        </RadioGroup>
      ) : null}
      {from === 'workbook' && host.workbook ? (
        <>
          <div className={s.row}>
            <Button onClick={() => void find.run()} disabled={find.busy}>
              {sources ? 'Look again' : 'Find sales data'}
            </Button>
          </div>
          {find.busy || pickSource.busy ? <Loading label="Reading the workbook…" /> : null}
          <ErrorMessage error={find.error ?? pickSource.error} title="Could not read the workbook" />
          {sources && sources.length === 0 ? (
            <Notice intent="warning">No table or sheet with a header row and data was found.</Notice>
          ) : null}
          {sources && sources.length > 0 ? (
            <Field label="Data">
              <Select value={String(sourceIndex)} onChange={(_, d) => void pickSource.run(Number(d.value))} aria-label="Data">
                {sources.map((src, i) => (
                  <option key={`${src.kind}:${src.sheet}:${src.name}`} value={i}>
                    {src.label}
                  </option>
                ))}
              </Select>
            </Field>
          ) : null}
        </>
      ) : (
        <>
          <Field label="Sales file (.xlsx, .csv, .csv.gz)">
            <input
              type="file"
              accept={ACCEPTED_FILES}
              aria-label="Sales file"
              onChange={(e) => void pickFile.run(e.target.files?.[0] ?? null)}
            />
          </Field>
          {pickFile.busy ? <Loading label="Reading the file…" /> : null}
          <ErrorMessage error={pickFile.error} title="Could not read the file" />
          {file && filePreview && filePreview.kind === 'other' ? (
            <Notice intent="info">This file is uploaded as it is; the service recognises its columns.</Notice>
          ) : null}
          {filePreview && filePreview.sheets.length > 1 ? (
            <Field label="Sheet">
              <Select value={sheet} onChange={(_, d) => pickSheet(d.value)} aria-label="Sheet">
                {filePreview.sheets.map((x) => (
                  <option key={x.name}>{x.name}</option>
                ))}
              </Select>
            </Field>
          ) : null}
        </>
      )}

      {columns ? (
        <MappingEditor columns={columns} mapping={mapping} onChange={setMapping} problems={problems.map((p) => p.message)} />
      ) : null}
      {columns ? (
        <div className={s.row}>
          {needsStore ? (
            <Field label="Store" hint='The data has no store column: all rows go to this store (default "default").'>
              <Input value={storeId} onChange={(_, d) => setStoreId(d.value)} aria-label="Store for all rows" />
            </Field>
          ) : null}
          <Field label="Day order of dates">
            <Select value={dateOrder} onChange={(_, d) => setDateOrder(d.value as DateOrder | '')} aria-label="Day order of dates">
              <option value="">Recognise</option>
              <option value="YMD">Year-month-day</option>
              <option value="DMY">Day-month-year</option>
              <option value="MDY">Month-day-year</option>
            </Select>
          </Field>
        </div>
      ) : null}
      {(from === 'file' && file) || (from === 'workbook' && columns) ? (
        <div className={s.row}>
          <Button appearance="primary" onClick={() => void upload.run()} disabled={upload.busy || problems.length > 0}>
            Upload
          </Button>
        </div>
      ) : null}
      {phase ? <UploadProgress phase={phase} /> : null}
      <ErrorMessage error={upload.error} title="Upload failed" />
      {result ? (
        <Notice>
          Stored {fmt(result.records)} records ({fmt(result.inserted)} new, {fmt(result.updated)} updated, {fmt(result.skipped)} unchanged)
          from {fmt(result.rows_read)} rows for {result.stores.join(', ')}, {result.date_range.first} to {result.date_range.last} (
          {result.format}, {result.grain}).
          <Warnings warnings={result.warnings} />
        </Notice>
      ) : null}
    </div>
  );
}

// ---------------------------------------------------------------- events calendar

/** The service reads .csv and .csv.gz calendars; ".gz" too because some file pickers match only the last extension. */
const CALENDAR_FILES = '.csv,.csv.gz,.gz';

function describeCalendar(c: CalendarSummary): string {
  if (c.days === 0) return 'No calendar yet: holidays and events help the model around those days.';
  const regions = c.regions.length ? ` for ${c.regions.join(', ')}` : '';
  return `${fmt(c.days)} days, ${c.first_date} to ${c.last_date}${regions}: ${fmt(c.event_days)} with events or holidays, ${fmt(c.snap_days)} SNAP days.`;
}

function CalendarSection({ api, workbook }: { api: DataApi; workbook?: WorkbookAccess }) {
  const s = useStyles();
  const stored = useLoad(() => api.calendar(), [api]);
  const [from, setFrom] = useState<'workbook' | 'file'>(workbook ? 'workbook' : 'file');
  const [sources, setSources] = useState<DataSource[] | null>(null);
  const [sourceIndex, setSourceIndex] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [dateOrder, setDateOrder] = useState<DateOrder | ''>('');
  const [result, setResult] = useState<CalendarUploadResponse | null>(null);
  const summary = result?.calendar ?? stored.data;

  const find = useAction(async () => {
    const list = await workbook!.listSources();
    setSources(list);
    setSourceIndex(0);
  });
  const upload = useAction(async () => {
    setResult(null);
    const form = dateOrder ? { date_format: dateOrder } : {};
    if (from === 'workbook') {
      const source = sources![sourceIndex];
      const { headers } = await workbook!.preview(source);
      // The calendar's date column is found by the same names as the sales date column.
      const { csv, fileName } = await workbookCsv(workbook!, source, headers, detectMapping(headers).date);
      setResult(await api.uploadCalendar(csv, fileName, form));
    } else if (file) {
      setResult(await api.uploadCalendar(file, file.name, form));
    }
  });
  const ready = from === 'file' ? file !== null : Boolean(sources?.[sourceIndex]);

  return (
    <div className={s.section} role="group" aria-label="Events calendar">
      <Text weight="semibold">Events calendar (optional)</Text>
      {stored.loading && !summary ? <Loading label="Loading the calendar…" /> : null}
      <ErrorMessage error={stored.error} title="Could not load the calendar" />
      {summary ? <Text size={200}>{describeCalendar(summary)}</Text> : null}
      <Text size={200} className={s.muted}>
        Holidays and promotion days by date (M5&apos;s calendar.csv, or Date, Holiday, Type, Region, Snap columns). Models use the calendar
        from their next training.
      </Text>
      {workbook ? (
        <RadioGroup
          layout="horizontal"
          aria-label="Calendar source"
          value={from}
          onChange={(_, d) => setFrom(d.value as 'workbook' | 'file')}
        >
          <Radio value="workbook" label="A table or sheet" />
          <Radio value="file" label="A .csv file" />
        </RadioGroup>
      ) : null}
      {from === 'workbook' && workbook ? (
        <>
          <div className={s.row}>
            <Button onClick={() => void find.run()} disabled={find.busy}>
              {sources ? 'Look again' : 'Find calendar data'}
            </Button>
          </div>
          <ErrorMessage error={find.error} title="Could not read the workbook" />
          {sources && sources.length === 0 ? (
            <Notice intent="warning">No table or sheet with a header row and data was found.</Notice>
          ) : null}
          {sources && sources.length > 0 ? (
            <Select value={String(sourceIndex)} onChange={(_, d) => setSourceIndex(Number(d.value))} aria-label="Calendar data">
              {sources.map((src, i) => (
                <option key={`${src.kind}:${src.sheet}:${src.name}`} value={i}>
                  {src.label}
                </option>
              ))}
            </Select>
          ) : null}
        </>
      ) : (
        <input type="file" accept={CALENDAR_FILES} aria-label="Calendar file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      )}
      <div className={s.row}>
        <Select value={dateOrder} onChange={(_, d) => setDateOrder(d.value as DateOrder | '')} aria-label="Day order of calendar dates">
          <option value="">Recognise the day order</option>
          <option value="YMD">Year-month-day</option>
          <option value="DMY">Day-month-year</option>
          <option value="MDY">Month-day-year</option>
        </Select>
        <Button onClick={() => void upload.run()} disabled={!ready || upload.busy}>
          Upload calendar
        </Button>
      </div>
      {upload.busy ? <Loading label="Storing the calendar…" /> : null}
      <ErrorMessage error={upload.error} title="Calendar upload failed" />
      {result ? (
        <Notice>
          Read {fmt(result.rows_read)} rows from {result.filename}: {fmt(result.inserted)} new, {fmt(result.replaced)} replaced (entries by
          day and region).
          <Warnings warnings={result.warnings} />
        </Notice>
      ) : null}
    </div>
  );
}

function UploadProgress({ phase }: { phase: Phase }) {
  if (phase.step === 'processing') {
    return (
      <Field label="The service is storing the data…" validationState="none">
        <ProgressBar aria-label="Upload progress" />
      </Field>
    );
  }
  const label =
    phase.step === 'reading'
      ? `Reading the workbook: ${fmt(phase.done)} of ${fmt(phase.total)} rows`
      : `Uploading: ${fmt(phase.done / 1024, 0)} of ${fmt(phase.total / 1024, 0)} KB`;
  return (
    <Field label={label} validationState="none">
      <ProgressBar value={phase.total ? phase.done / phase.total : undefined} aria-label="Upload progress" />
    </Field>
  );
}

function MappingEditor({
  columns,
  mapping,
  onChange,
  problems,
}: {
  columns: Columns;
  mapping: ColumnMapping;
  onChange: (m: ColumnMapping) => void;
  problems: string[];
}) {
  const s = useStyles();
  const headers = columns.headers.filter((h) => h !== '');
  return (
    <div className={s.section} role="group" aria-label="Column mapping">
      <Text size={200}>
        Check which column holds what ({fmt(headers.length)} columns
        {columns.totalRows !== undefined ? `, ${fmt(columns.totalRows)} rows` : ''}). The service recognises common names; change any that
        are wrong.
      </Text>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '4px 8px' }}>
        {CANONICAL_FIELDS.map((field) => (
          <Field key={field} label={`${FIELD_LABELS[field]}${REQUIRED_FIELDS.includes(field) ? ' *' : ''}`} size="small">
            <Select
              size="small"
              value={mapping[field] ?? ''}
              aria-label={`Column for ${FIELD_LABELS[field]}`}
              onChange={(_, d) => onChange({ ...mapping, [field]: d.value || undefined })}
            >
              <option value="">(none)</option>
              {headers.map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </Select>
          </Field>
        ))}
      </div>
      {problems.length ? (
        <ul role="alert" style={{ margin: 0, paddingLeft: 18, color: '#A4262C', fontSize: 12 }}>
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      {columns.rows.length ? (
        <div className={s.tableWrap}>
          <Table
            size="extra-small"
            aria-label="First rows"
            style={{ tableLayout: 'auto', width: 'max-content', minWidth: '100%', whiteSpace: 'nowrap' }}
          >
            <TableHeader>
              <TableRow>
                {columns.headers.map((h, i) => (
                  <TableHeaderCell key={i}>{h}</TableHeaderCell>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {columns.rows.slice(0, 3).map((row, i) => (
                <TableRow key={i}>
                  {columns.headers.map((_, j) => (
                    <TableCell key={j}>{row[j] === null || row[j] === undefined ? '' : String(row[j])}</TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      ) : null}
    </div>
  );
}

// ---------------------------------------------------------------- training

function TrainSection({ api, pollMs, onTrained }: { api: DataApi; pollMs: number; onTrained: () => void }) {
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
          label={`Training ${job.store_id === 'all' ? 'all stores' : job.store_id}: ${job.status} (${Math.round(job.progress * 100)}%)`}
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

// ---------------------------------------------------------------- models

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${fmt(x * 100, 1)}%`);

function ModelsSection({
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
                <TableHeaderCell>WAPE</TableHeaderCell>
                <TableHeaderCell>MASE</TableHeaderCell>
                <TableHeaderCell>Baseline WAPE</TableHeaderCell>
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
                  <TableCell className={s.number}>{pct(m.metrics.wape)}</TableCell>
                  <TableCell className={s.number}>{fmt(m.metrics.mase, 2)}</TableCell>
                  <TableCell className={s.number}>{pct(m.metrics.baseline.wape)}</TableCell>
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

function Warnings({ warnings }: { warnings: string[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
      {warnings.map((w) => (
        <li key={w}>{w}</li>
      ))}
    </ul>
  );
}
