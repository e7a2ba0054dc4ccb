// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { TrainingJob, UploadResponse } from '../../../shared/schemas';
import { ApiError } from '../api/client';
import type { DataSource, WorkbookAccess } from '../host';
import { isoToExcelSerial } from '../mapping/csv';
import { deferred } from '../testing/dom';
import { fakeApi, fakeHost, model, stores } from '../testing/fixtures';
import { DataPage } from './DataPage';

const uploaded: UploadResponse = {
  upload_id: 1,
  filename: 'sales.csv',
  checksum: 'abc',
  format: 'generic',
  grain: 'daily',
  rows_read: 3,
  records: 3,
  inserted: 3,
  updated: 0,
  skipped: 0,
  stores: ['S001'],
  date_range: { first: '2025-01-01', last: '2025-01-03' },
  columns: { date: 'Day', product_id: 'SKU', units_sold: 'Qty' },
  warnings: ['1 row had no date and was skipped'],
};

const job = (over: Partial<TrainingJob>): TrainingJob => ({
  job_id: 7,
  store_id: 'S001',
  status: 'running',
  progress: 0.5,
  created_at: '2025-07-01T10:00:00Z',
  started_at: '2025-07-01T10:00:01Z',
  finished_at: null,
  ...over,
});

const baseApi = (over: Parameters<typeof fakeApi>[0] = {}) =>
  fakeApi({ stores: async () => stores, models: async () => ({ models: [model(), model({ version: 2, active: false, trained_at: '2025-07-02T10:00:00Z' })] }), ...over });

describe('Data & Training page', () => {
  it('shows a spinner while the models load, then the model table with "Activate" for other versions', async () => {
    const models = deferred<{ models: ReturnType<typeof model>[] }>();
    const api = fakeApi({ stores: async () => stores, models: () => models.promise, activate: async () => model({ version: 2 }) });
    const user = userEvent.setup();
    render(<DataPage api={api} host={fakeHost()} />);
    expect(screen.getByText('Loading models…')).toBeTruthy();
    models.resolve({ models: [model(), model({ version: 2, active: false })] });
    const table = await screen.findByRole('table', { name: 'Model versions' });
    const rows = within(table).getAllByRole('row');
    expect(rows[0].textContent).toContain('Baseline WAPE');
    expect(rows[1].textContent).toMatch(/S001.*2.*2025-07-01 10:00.*1,200.*25\.0%.*0\.80.*35\.0%/);
    expect(within(rows[2]).getByText('active')).toBeTruthy();
    await user.click(within(rows[1]).getByRole('button', { name: 'Activate' }));
    await waitFor(() => expect(api.activate).toHaveBeenCalledWith('S001', 2));
    await waitFor(() => expect(api.models).toHaveBeenCalledTimes(2)); // reloaded
  });

  it('uploads a file with the detected mapping, which the user can change', async () => {
    const user = userEvent.setup();
    const api = baseApi({ upload: async () => uploaded });
    render(<DataPage api={api} host={fakeHost()} />);
    const csv = 'Day,Shop,SKU,Qty,Remark\n2025-01-01,S001,P1,3,x\n2025-01-02,S001,P1,4,y\n';
    const file = new File([csv], 'sales.csv', { type: 'text/csv' });
    fireEvent.change(screen.getByLabelText('Sales file'), { target: { files: [file] } });
    const dateSelect = await screen.findByRole('combobox', { name: 'Column for Date' });
    expect(dateSelect).toHaveProperty('value', 'Day');
    expect(screen.getByRole('combobox', { name: 'Column for Store' })).toHaveProperty('value', 'Shop');
    expect(screen.getByRole('combobox', { name: 'Column for Units sold' })).toHaveProperty('value', 'Qty');
    expect(screen.getByRole('table', { name: 'First rows' }).textContent).toContain('2025-01-01');
    // The user says Remark is the category.
    await user.selectOptions(screen.getByRole('combobox', { name: 'Column for Category' }), 'Remark');
    await user.click(screen.getByRole('button', { name: 'Upload' }));
    expect(await screen.findByText(/Stored 3 records/)).toBeTruthy();
    expect(screen.getByText('1 row had no date and was skipped')).toBeTruthy();
    const [sent, name, form] = api.upload.mock.calls[0];
    expect(sent).toBe(file);
    expect(name).toBe('sales.csv');
    expect(form).toEqual({ mapping: { date: 'Day', store_id: 'Shop', product_id: 'SKU', units_sold: 'Qty', category: 'Remark' } });
  });

  it('blocks the upload until required columns are mapped, and asks for a store when there is no store column', async () => {
    const user = userEvent.setup();
    const api = baseApi({ upload: async () => uploaded });
    render(<DataPage api={api} host={fakeHost()} />);
    const file = new File(['When,What,HowMany\n2025-01-01,A,1\n'], 'odd.csv');
    fireEvent.change(screen.getByLabelText('Sales file'), { target: { files: [file] } });
    await screen.findByRole('combobox', { name: 'Column for Date' });
    expect(screen.getByRole('button', { name: 'Upload' })).toHaveProperty('disabled', true);
    expect(screen.getByText('Choose the column for date.')).toBeTruthy();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Column for Date' }), 'When');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Column for Product' }), 'What');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Column for Units sold' }), 'HowMany');
    await user.type(screen.getByLabelText('Store for all rows'), 'S9');
    await user.click(screen.getByRole('button', { name: 'Upload' }));
    await waitFor(() => expect(api.upload).toHaveBeenCalled());
    expect(api.upload.mock.calls[0][2]).toEqual({ mapping: { date: 'When', product_id: 'What', units_sold: 'HowMany' }, store_id: 'S9' });
  });

  it("shows the service's upload error message", async () => {
    const api = baseApi({
      upload: async () => { throw new ApiError(422, 'missing_columns', 'The file has no column for units_sold. Its columns are: "Day", "SKU".'); },
    });
    render(<DataPage api={api} host={fakeHost()} />);
    fireEvent.change(screen.getByLabelText('Sales file'), { target: { files: [new File(['Day,SKU,Qty\n2025-01-01,A,1\n'], 's.csv')] } });
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Upload' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Upload failed');
    expect(alert.textContent).toContain('The file has no column for units_sold');
  });

  it('reads the workbook in Excel and uploads it as CSV with dates as ISO days', async () => {
    const user = userEvent.setup();
    const source: DataSource = { kind: 'table', name: 'Sales', sheet: 'Data', rows: 3, columns: 3, label: 'Table Sales (Data, 2 rows)' };
    const headers = ['Date', 'SKU', 'Qty'];
    const workbook: WorkbookAccess = {
      listSources: vi.fn(async () => [source]),
      preview: vi.fn(async () => ({ headers, rows: [[isoToExcelSerial('2025-01-01'), 'A', 1]], totalRows: 2 })),
      read: vi.fn(async (_s, onRows, onProgress) => {
        onRows([[isoToExcelSerial('2025-01-01'), 'A', 1]]);
        onProgress?.(1, 2);
        onRows([[isoToExcelSerial('2025-01-02'), 'A, "big"', 2]]);
        onProgress?.(2, 2);
        return { headers, rows: 2 };
      }),
    };
    const api = baseApi({ upload: async () => uploaded });
    render(<DataPage api={api} host={fakeHost('excel', { workbook })} />);
    await user.click(screen.getByRole('button', { name: 'Find sales data' }));
    expect(await screen.findByRole('combobox', { name: 'Data' })).toBeTruthy();
    expect(screen.getByRole('combobox', { name: 'Column for Date' })).toHaveProperty('value', 'Date');
    await user.click(screen.getByRole('button', { name: 'Upload' }));
    await screen.findByText(/Stored 3 records/);
    const [blob, name, form] = api.upload.mock.calls[0];
    expect(name).toBe('Sales.csv');
    expect(form).toEqual({ mapping: { date: 'Date', product_id: 'SKU', units_sold: 'Qty' } });
    expect(await (blob as Blob).text()).toBe('Date,SKU,Qty\r\n2025-01-01,A,1\r\n2025-01-02,"A, ""big""",2\r\n');
  });

  it('trains a store with a progress bar until the job ends, then reloads the models', async () => {
    const user = userEvent.setup();
    const answers = [job({ status: 'queued', progress: 0 }), job({ progress: 0.5 }), job({ status: 'succeeded', progress: 1, models: [model()] })];
    const api = baseApi({
      train: async () => ({ job_id: 7, status: 'queued', store_id: 'S001' }),
      job: async () => answers.shift()!,
    });
    render(<DataPage api={api} host={fakeHost()} pollMs={5} />);
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Store' })).toHaveProperty('value', 'S001'));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Objective' }), 'tweedie');
    await user.type(screen.getByLabelText('Rounds'), '30');
    await user.click(screen.getByRole('button', { name: 'Train' }));
    expect(await screen.findByText('Done: 1 model(s) stored.')).toBeTruthy();
    expect(screen.getByText('Training S001: succeeded (100%)')).toBeTruthy();
    expect(api.train).toHaveBeenCalledWith({ store_id: 'S001', params: { objective: 'tweedie', rounds: 30 } });
    expect(api.job).toHaveBeenCalledTimes(3);
    await waitFor(() => expect(api.models).toHaveBeenCalledTimes(2));
  });

  it("shows a failed job's error", async () => {
    const user = userEvent.setup();
    const api = baseApi({
      train: async () => ({ job_id: 7, status: 'queued', store_id: 'S001' }),
      job: async () => job({ status: 'failed', progress: 0.2, error: 'Store S001 has only 20 days of sales; at least 56 are needed' }),
    });
    render(<DataPage api={api} host={fakeHost()} pollMs={5} />);
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Store' })).toHaveProperty('value', 'S001'));
    await user.click(screen.getByRole('button', { name: 'Train' }));
    expect(await screen.findByText('Store S001 has only 20 days of sales; at least 56 are needed')).toBeTruthy();
  });

  it('shows an error when the models cannot be loaded', async () => {
    const api = fakeApi({ stores: async () => stores, models: async () => { throw new ApiError(500, 'internal_error', 'Something went wrong on our side'); } });
    render(<DataPage api={api} host={fakeHost()} />);
    expect((await screen.findByRole('alert')).textContent).toContain('Something went wrong on our side');
  });
});
