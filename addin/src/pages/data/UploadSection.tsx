// Sales history from the open workbook (inside Excel) or from a file: find the data, confirm the column mapping, upload.
import { Button, Field, Input, Radio, RadioGroup, Select, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { ColumnMapping, DateOrder, UnitsFrom, UploadProgressResponse, UploadResponse, WeekDates } from '../../../../shared/schemas';
import { ApiError } from '../../api/client';
import { ErrorMessage, Loading, Notice } from '../../components/feedback';
import { useDates } from '../../components/dates';
import { fmt } from '../../components/format';
import { useAction } from '../../components/hooks';
import { useStyles } from '../../components/styles';
import { ACCEPTED_FILES, fileKind } from '../../files/download';
import { cleanMapping, detectMapping, mappingProblems } from '../../mapping/columns';
import type { DataSource, FilePreview, PaneHost } from '../../pane-host';
import type { DateFormatter } from '../../results/dates';
import { MappingEditor } from './MappingEditor';
import type { Columns, DataApi, Phase } from './types';
import { UploadProgress } from './UploadProgress';
import { unsupportedFileProblem } from './fileType';
import { serviceUploadLimit, uploadSizeProblem } from './uploadSize';
import { Warnings } from './Warnings';
import { workbookCsv } from './workbookCsv';

/** Above this size an upload first checks that the service takes its key (see refuseIfTooLarge). */
const AUTH_CHECK_FROM_BYTES = 1024 * 1024;

export function UploadSection({ api, host, onUploaded }: { api: DataApi; host: PaneHost; onUploaded: () => void }) {
  const s = useStyles();
  const dates = useDates();
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
  const [weekDates, setWeekDates] = useState<WeekDates | ''>('');
  const [unitsFrom, setUnitsFrom] = useState<UnitsFrom | null>(null);
  const [phase, setPhase] = useState<Phase | null>(null);
  const [result, setResult] = useState<UploadResponse | null>(null);
  /** The chosen file is larger than the service takes (checked when chosen, before it is read). */
  /** Why the chosen file cannot be sent (its type or its size), found when it is chosen. */
  const [sizeError, setSizeError] = useState<{ title: string; error: Error } | null>(null);

  const showColumns = (c: Columns | null) => {
    setColumns(c);
    setMapping(c ? detectMapping(c.headers) : {});
    setUnitsFrom(null);
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
    setSizeError(null);
    showColumns(null);
    if (!f) return;
    const wrongType = unsupportedFileProblem(f.name);
    if (wrongType) return setSizeError({ title: 'This file type cannot be read', error: new Error(wrongType) });
    // Before reading it: a file the service would refuse is not worth previewing (a 600 MB workbook takes a while).
    const tooLarge = uploadSizeProblem(f.size, await serviceUploadLimit(api));
    if (tooLarge) return setSizeError({ title: 'File too large', error: new Error(tooLarge) });
    const preview = await host.previewFile(f);
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

  const upload = useAction(async (override?: { mapping?: ColumnMapping; unitsFrom?: UnitsFrom }) => {
    setResult(null);
    const chosenMapping = override?.mapping ?? mapping;
    const chosenUnitsFrom = override?.unitsFrom ?? unitsFrom;
    const form = {
      ...(columns || override?.mapping ? { mapping: cleanMapping(chosenMapping) } : {}),
      ...(chosenUnitsFrom ? { units_from: chosenUnitsFrom } : {}),
      ...(dateOrder ? { date_format: dateOrder } : {}),
      ...(weekDates ? { week_dates: weekDates } : {}),
      ...(storeId.trim() && !mapping.store_id ? { store_id: storeId.trim() } : {}),
    };
    const onProgress = (done: number, total: number) =>
      setPhase((now) =>
        done >= total && total > 0 ? (now?.step === 'processing' ? now : { step: 'processing' }) : { step: 'sending', done, total },
      );
    // Once sent, how far the service has got: rows read, then records stored.
    const onServerProgress = (service: UploadProgressResponse) => setPhase({ step: 'processing', service });
    // Checked before sending: over the limit, the service refuses the file, and a browser may see only a network error.
    const limit = await serviceUploadLimit(api);
    const refuseIfTooLarge = async (size: number, what?: string) => {
      const tooLarge = uploadSizeProblem(size, limit, what);
      if (tooLarge) throw new Error(tooLarge);
      // A refused key is answered while a large body is still being sent, and a browser then sees only a network
      // error: ask something small first, so a missing or wrong key is said in words (and nothing is sent).
      if (size > AUTH_CHECK_FROM_BYTES) await api.stores();
    };
    try {
      if (from === 'workbook') {
        const source = sources![sourceIndex];
        setPhase({ step: 'reading', done: 0, total: source.rows - 1 });
        const { csv, fileName } = await workbookCsv(host.workbook!, source, columns!.headers, mapping.date, (done, total) =>
          setPhase({ step: 'reading', done, total }),
        );
        await refuseIfTooLarge(csv.size, 'The data from this workbook (as CSV)');
        setPhase({ step: 'sending', done: 0, total: csv.size });
        setResult(await api.upload(csv, fileName, form, onProgress, onServerProgress));
        onUploaded();
      } else {
        if (!file) return;
        await refuseIfTooLarge(file.size);
        setPhase({ step: 'sending', done: 0, total: file.size });
        const withSheet = fileKind(file.name) === 'xlsx' && sheet ? { ...form, sheet } : form;
        setResult(await api.upload(file, file.name, withSheet, onProgress, onServerProgress));
        onUploaded();
      }
    } finally {
      setPhase(null);
    }
  });

  // Units derived from sales value need no units column.
  const problems = columns ? mappingProblems(mapping, columns.headers).filter((p) => !(unitsFrom && p.field === 'units_sold')) : [];
  // Sales value but no units: offer the two ways on before the buyer uploads (the service would refuse the file as it is).
  const money =
    moneyChoice(upload.error) ??
    (columns && !mapping.units_sold && mapping.sales_value && !unitsFrom
      ? { moneyColumn: mapping.sales_value, priceColumn: mapping.price || null }
      : null);
  const needsStore = columns !== null && !mapping.store_id;

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
          <ErrorMessage error={sizeError?.error ?? null} title={sizeError?.title ?? ''} />
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
          <Field label="Weekly data is dated by" hint="Recognise: the first day, unless the date column says ending">
            <Select value={weekDates} onChange={(_, d) => setWeekDates(d.value as WeekDates | '')} aria-label="Weekly data is dated by">
              <option value="">Recognise</option>
              <option value="start">The first day of each week</option>
              <option value="end">The last day of each week</option>
            </Select>
          </Field>
        </div>
      ) : null}
      {(from === 'file' && file) || (from === 'workbook' && columns) ? (
        <div className={s.row}>
          <Button
            appearance="primary"
            onClick={() => void upload.run({})}
            disabled={upload.busy || problems.length > 0 || (from === 'file' && sizeError !== null)}
          >
            Upload
          </Button>
        </div>
      ) : null}
      {phase ? <UploadProgress phase={phase} /> : null}
      <ErrorMessage error={upload.error} title="Upload failed" />
      {money ? (
        <MoneyChoices
          {...money}
          busy={upload.busy}
          onDerive={() => {
            setUnitsFrom('sales_value');
            void upload.run({ unitsFrom: 'sales_value' });
          }}
          onForecastMoney={(money) => {
            const next = { ...mapping, units_sold: money };
            setMapping(next);
            void upload.run({ mapping: next });
          }}
        />
      ) : null}
      {result ? (
        <Notice>
          Stored {fmt(result.records)} {result.grain} records ({fmt(result.inserted)} new, {fmt(result.updated)} updated,{' '}
          {fmt(result.skipped)} unchanged) from {fmt(result.rows_read)} rows for {result.stores.join(', ')}, {spanOf(result, dates)}.
          <div role="status" aria-label="Data period">
            {periodSentence(result)}
          </div>
          <Warnings warnings={result.warnings} />
        </Notice>
      ) : null}
    </div>
  );
}

/** The span the upload covers, in its periods (stored dates are the first day of each week or month). */
function spanOf(result: Pick<UploadResponse, 'grain' | 'date_range'>, dates: DateFormatter): string {
  const { first, last } = result.date_range;
  if (result.grain === 'weekly') return `the weeks starting ${dates.day(first)} to ${dates.day(last)}`;
  if (result.grain === 'monthly') return `the months ${dates.month(first)} to ${dates.month(last)}`;
  return `${dates.day(first)} to ${dates.day(last)}`;
}

/** The period the service read the data at, in a buyer's words, with how to correct a wrong week reading. */
function periodSentence(result: Pick<UploadResponse, 'grain' | 'week_dates'>): string {
  if (result.grain === 'monthly') return 'Data period: months. Each record is one calendar month of sales, shown dated the 1st.';
  if (result.grain === 'weekly') {
    const read = result.week_dates === 'end' ? 'last' : 'first';
    const other = result.week_dates === 'end' ? 'The first day of each week' : 'The last day of each week';
    return `Data period: weeks. Each date was read as the ${read} day of its week; if that is wrong, choose "${other}" above and upload again.`;
  }
  return 'Data period: days.';
}

/** The service's "money is not units" refusal, with the columns it named. */
function moneyChoice(error: unknown): { moneyColumn: string; priceColumn: string | null } | null {
  if (!(error instanceof ApiError) || error.code !== 'money_not_units') return null;
  const details = error.details as { money_column?: string; price_column?: string | null } | undefined;
  return details?.money_column ? { moneyColumn: details.money_column, priceColumn: details.price_column ?? null } : null;
}

/** The two ways on from a file that has sales value but no units: derive units, or forecast the money on purpose. */
function MoneyChoices(props: {
  moneyColumn: string;
  priceColumn: string | null;
  busy: boolean;
  onDerive: () => void;
  onForecastMoney: (money: string) => void;
}) {
  return (
    <Notice intent="info">
      &quot;{props.moneyColumn}&quot; is sales value, not units sold. Choose the units column above if the file has one, or:
      <div>
        {props.priceColumn ? (
          <Button size="small" disabled={props.busy} onClick={props.onDerive}>
            Upload with units = {props.moneyColumn} ÷ {props.priceColumn}
          </Button>
        ) : null}{' '}
        <Button size="small" disabled={props.busy} onClick={() => props.onForecastMoney(props.moneyColumn)}>
          Upload forecasting the sales value itself
        </Button>
      </div>
    </Notice>
  );
}
