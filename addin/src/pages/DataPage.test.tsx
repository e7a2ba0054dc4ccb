// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { CalendarUploadResponse, TrainingJob, UploadResponse } from '../../../shared/schemas';
import { ApiError } from '../api/client';
import type { DataSource, WorkbookAccess } from '../pane-host';
import { isoToExcelSerial } from '../mapping/csv';
import { deferred } from '../testing/dom';
import { calendarSummary, fakeApi, fakeHost, model, stores } from '../testing/fixtures';
import { DataPage } from './DataPage';

const uploaded: UploadResponse = {
  upload_id: 1,
  filename: 'sales.csv',
  checksum: 'abc',
  format: 'generic',
  grain: 'daily',
  week_dates: null,
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
  fakeApi({
    stores: async () => stores,
    calendar: async () => calendarSummary(),
    models: async () => ({ models: [model(), model({ version: 2, active: false, trained_at: '2025-07-02T10:00:00Z' })] }),
    ...over,
  });

const calendarStored: CalendarUploadResponse = {
  filename: 'holidays.csv',
  rows_read: 3,
  inserted: 2,
  replaced: 1,
  calendar: calendarSummary({
    days: 40,
    regions: ['CA', 'TX'],
    first_date: '2025-01-01',
    last_date: '2025-12-25',
    event_days: 12,
    snap_days: 30,
  }),
  warnings: ['Dates were read as day-month-year'],
};

describe('Data & Training page', () => {
  it('shows a spinner while the models load, then the model table with "Activate" for other versions', async () => {
    const models = deferred<{ models: ReturnType<typeof model>[] }>();
    const api = baseApi({ models: () => models.promise, activate: async () => model({ version: 2 }) });
    const user = userEvent.setup();
    render(<DataPage api={api} host={fakeHost()} />);
    expect(screen.getByText('Loading models…')).toBeTruthy();
    models.resolve({ models: [model(), model({ version: 2, active: false })] });
    const table = await screen.findByRole('table', { name: 'Model versions' });
    const rows = within(table).getAllByRole('row');
    // Accuracy in words next to the best simple method; the raw figures are under Advanced.
    expect(rows[0].textContent).toContain('Versus the simple method');
    expect(rows[1].textContent).toMatch(
      /S001.*2.*Jul 1, 2025, \d\d:\d\d.*1,200.*typical daily error 25%.*17% better than the simple method \(average of the last 28 days\)/,
    );
    expect(within(rows[2]).getByText('active')).toBeTruthy();
    await user.click(within(rows[1]).getByRole('button', { name: 'Activate' }));
    await waitFor(() => expect(api.activate).toHaveBeenCalledWith('S001', 2));
    await waitFor(() => expect(api.models).toHaveBeenCalledTimes(2)); // reloaded
  });

  it('sends the week-date choice and says what period the service read, and how to correct it', async () => {
    const user = userEvent.setup();
    const weekly: UploadResponse = {
      ...uploaded,
      grain: 'weekly',
      week_dates: 'end',
      warnings: ["The data is weekly (e.g. 2025-01-05 then 2025-01-12): each record is one week's sales, kept as a week."],
    };
    const api = baseApi({ upload: async () => weekly });
    render(<DataPage api={api} host={fakeHost()} />);
    const csv = 'Week,Shop,SKU,Qty\n2025-01-05,S001,P1,30\n2025-01-12,S001,P1,28\n';
    fireEvent.change(screen.getByLabelText('Sales file'), { target: { files: [new File([csv], 'weeks.csv', { type: 'text/csv' })] } });
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Weekly data is dated by' }), 'end');
    await user.click(screen.getByRole('button', { name: 'Upload' }));
    expect(await screen.findByText(/Stored 3 weekly records/)).toBeTruthy();
    expect(screen.getByRole('status', { name: 'Data period' }).textContent).toBe(
      'Data period: weeks. Each date was read as the last day of its week; if that is wrong, choose "The first day of each week" above and upload again.',
    );
    expect(screen.getByText(/The data is weekly/)).toBeTruthy();
    expect(api.upload.mock.calls[0][2]).toMatchObject({ week_dates: 'end' });
  });

  it('offers the two ways on when the file has sales value but no units, and uploads with the one chosen', async () => {
    const user = userEvent.setup();
    const api = baseApi({ upload: async () => uploaded });
    render(<DataPage api={api} host={fakeHost()} />);
    const csv = 'Day,Shop,SKU,Sales,Price\n2025-01-01,S001,P1,30,2.5\n';
    const pick = () =>
      fireEvent.change(screen.getByLabelText('Sales file'), { target: { files: [new File([csv], 'money.csv', { type: 'text/csv' })] } });
    pick();
    await user.click(await screen.findByRole('button', { name: 'Upload with units = Sales ÷ Price' }));
    await screen.findByText(/Stored 3 daily records/);
    expect(api.upload.mock.calls[0][2]).toMatchObject({ units_from: 'sales_value' });
    expect(api.upload.mock.calls[0][2]).not.toHaveProperty('mapping.units_sold');

    pick();
    await user.click(await screen.findByRole('button', { name: 'Upload forecasting the sales value itself' }));
    await waitFor(() => expect(api.upload).toHaveBeenCalledTimes(2));
    expect(api.upload.mock.calls[1][2]).toMatchObject({ mapping: { units_sold: 'Sales' } });
    expect(api.upload.mock.calls[1][2]).not.toHaveProperty('units_from');
  });

  it("shows the same choices when the service refuses a file's money as units", async () => {
    const user = userEvent.setup();
    const refusal = new ApiError(422, 'money_not_units', 'The file has no units column: "Umsatz" holds money (sales value)', {
      money_column: 'Umsatz',
      price_column: null,
    });
    const api = baseApi({
      upload: async () => {
        throw refusal;
      },
    });
    render(<DataPage api={api} host={fakeHost()} />);
    const file = new File([new Uint8Array([31, 139, 8, 0])], 'sales.csv.gz');
    fireEvent.change(screen.getByLabelText('Sales file'), { target: { files: [file] } });
    await user.click(await screen.findByRole('button', { name: 'Upload' }));
    expect(await screen.findByRole('button', { name: 'Upload forecasting the sales value itself' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Upload with units =/ })).toBeNull();
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
    expect(await screen.findByText(/Stored 3 daily records/)).toBeTruthy();
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
      upload: async () => {
        throw new ApiError(422, 'missing_columns', 'The file has no column for units_sold. Its columns are: "Day", "SKU".');
      },
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
    await screen.findByText(/Stored 3 daily records/);
    const [blob, name, form] = api.upload.mock.calls[0];
    expect(name).toBe('Sales.csv');
    expect(form).toEqual({ mapping: { date: 'Date', product_id: 'SKU', units_sold: 'Qty' } });
    expect(await (blob as Blob).text()).toBe('Date,SKU,Qty\r\n2025-01-01,A,1\r\n2025-01-02,"A, ""big""",2\r\n');
  });

  it('trains a store with a progress bar until the job ends, then reloads the models', async () => {
    const user = userEvent.setup();
    const answers = [
      job({ status: 'queued', progress: 0 }),
      job({ progress: 0.5 }),
      job({ status: 'succeeded', progress: 1, models: [model()] }),
    ];
    const api = baseApi({
      train: async () => ({ job_id: 7, status: 'queued', store_id: 'S001' }),
      job: async () => answers.shift()!,
    });
    const refreshCellFunctions = vi.fn(async () => {});
    render(<DataPage api={api} host={fakeHost('excel', { refreshCellFunctions })} pollMs={5} />);
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Store' })).toHaveProperty('value', 'S001'));
    expect(refreshCellFunctions).not.toHaveBeenCalled();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Objective' }), 'tweedie');
    await user.type(screen.getByLabelText('Rounds'), '30');
    await user.click(screen.getByRole('button', { name: 'Train' }));
    expect(await screen.findByText('Done: 1 model(s) stored.')).toBeTruthy();
    expect(screen.getByText('Training S001: succeeded (100%)')).toBeTruthy();
    expect(api.train).toHaveBeenCalledWith({ store_id: 'S001', params: { objective: 'tweedie', rounds: 30 } });
    expect(api.job).toHaveBeenCalledTimes(3);
    await waitFor(() => expect(api.models).toHaveBeenCalledTimes(2));
    // DEMAND.* cells in the workbook are recalculated with the new model.
    expect(refreshCellFunctions).toHaveBeenCalledTimes(1);
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
    const api = baseApi({
      models: async () => {
        throw new ApiError(500, 'internal_error', 'Something went wrong on our side');
      },
    });
    render(<DataPage api={api} host={fakeHost()} />);
    expect((await screen.findByRole('alert')).textContent).toContain('Something went wrong on our side');
  });

  describe('events calendar', () => {
    it('shows the stored calendar, uploads a calendar file with its day order and shows what was stored', async () => {
      const user = userEvent.setup();
      const api = baseApi({
        calendar: async () => calendarSummary({ days: 3, first_date: '2025-01-01', last_date: '2025-01-03', event_days: 1 }),
        uploadCalendar: async () => calendarStored,
      });
      render(<DataPage api={api} host={fakeHost()} />);
      const section = screen.getByRole('group', { name: 'Events calendar' });
      expect(await within(section).findByText('3 days, Jan 1, 2025 to Jan 3, 2025: 1 with events or holidays, 0 SNAP days.')).toBeTruthy();
      expect(within(section).getByText(/Models use the calendar from their next training/)).toBeTruthy();
      const upload = within(section).getByRole('button', { name: 'Upload calendar' });
      expect(upload).toHaveProperty('disabled', true);
      const file = new File(['Date,Holiday,Type\n01/01/2025,New Year,National\n'], 'holidays.csv', { type: 'text/csv' });
      fireEvent.change(within(section).getByLabelText('Calendar file'), { target: { files: [file] } });
      await user.selectOptions(within(section).getByRole('combobox', { name: 'Day order of calendar dates' }), 'DMY');
      await user.click(upload);
      expect(await within(section).findByText(/Read 3 rows from holidays\.csv: 2 new, 1 replaced/)).toBeTruthy();
      expect(within(section).getByText('Dates were read as day-month-year')).toBeTruthy();
      // The summary is the one the upload answered with: no second GET.
      expect(
        within(section).getByText('40 days, Jan 1, 2025 to Dec 25, 2025 for CA, TX: 12 with events or holidays, 30 SNAP days.'),
      ).toBeTruthy();
      expect(api.calendar).toHaveBeenCalledTimes(1);
      expect(api.uploadCalendar).toHaveBeenCalledWith(file, 'holidays.csv', { date_format: 'DMY' });
      // The sales upload is untouched.
      expect(api.upload).not.toHaveBeenCalled();
    });

    it("says when there is no calendar yet, and shows the service's 422 message", async () => {
      const api = baseApi({
        uploadCalendar: async () => {
          throw new ApiError(
            422,
            'missing_column',
            'The calendar has no event, holiday or SNAP column: name one "event_name" (or "holiday").',
          );
        },
      });
      render(<DataPage api={api} host={fakeHost()} />);
      const section = screen.getByRole('group', { name: 'Events calendar' });
      expect(await within(section).findByText('No calendar yet: holidays and events help the model around those days.')).toBeTruthy();
      fireEvent.change(within(section).getByLabelText('Calendar file'), {
        target: { files: [new File(['Date,Remark\n2025-01-01,x\n'], 'notes.csv')] },
      });
      await userEvent.setup().click(within(section).getByRole('button', { name: 'Upload calendar' }));
      const alert = await within(section).findByRole('alert');
      expect(alert.textContent).toContain('Calendar upload failed');
      expect(alert.textContent).toContain('The calendar has no event, holiday or SNAP column');
      expect(api.uploadCalendar.mock.calls[0][2]).toEqual({});
    });

    it('shows why the calendar could not be loaded', async () => {
      const api = baseApi({
        calendar: async () => {
          throw new ApiError(0, 'network', 'Cannot reach the service at http://svc: Failed to fetch');
        },
      });
      render(<DataPage api={api} host={fakeHost()} />);
      const alert = await within(screen.getByRole('group', { name: 'Events calendar' })).findByRole('alert');
      expect(alert.textContent).toContain('Could not load the calendar');
      expect(alert.textContent).toContain('Cannot reach the service at http://svc');
    });

    it('uploads a table from the workbook in Excel as CSV with dates as ISO days', async () => {
      const user = userEvent.setup();
      const sales: DataSource = { kind: 'table', name: 'Sales', sheet: 'Data', rows: 3, columns: 3, label: 'Table Sales (Data, 2 rows)' };
      const holidays: DataSource = {
        kind: 'table',
        name: 'Holidays',
        sheet: 'Events',
        rows: 3,
        columns: 3,
        label: 'Table Holidays (Events, 2 rows)',
      };
      const headers = ['Date', 'Holiday', 'Week'];
      const workbook: WorkbookAccess = {
        listSources: vi.fn(async () => [sales, holidays]),
        preview: vi.fn(async () => ({ headers, rows: [], totalRows: 2 })),
        read: vi.fn(async (_s, onRows) => {
          onRows([[isoToExcelSerial('2025-12-25'), 'Christmas', 52]]);
          onRows([[isoToExcelSerial('2026-01-01'), 'New Year, "observed"', 1]]);
          return { headers, rows: 2 };
        }),
      };
      const api = baseApi({ uploadCalendar: async () => calendarStored });
      render(<DataPage api={api} host={fakeHost('excel', { workbook })} />);
      const section = screen.getByRole('group', { name: 'Events calendar' });
      expect(within(section).getByLabelText('A table or sheet')).toHaveProperty('checked', true);
      expect(within(section).getByRole('button', { name: 'Upload calendar' })).toHaveProperty('disabled', true);
      await user.click(within(section).getByRole('button', { name: 'Find calendar data' }));
      await user.selectOptions(await within(section).findByRole('combobox', { name: 'Calendar data' }), 'Table Holidays (Events, 2 rows)');
      await user.click(within(section).getByRole('button', { name: 'Upload calendar' }));
      await within(section).findByText(/Read 3 rows from holidays\.csv/);
      expect(workbook.preview).toHaveBeenCalledWith(holidays);
      expect(workbook.read).toHaveBeenCalledWith(holidays, expect.any(Function), undefined);
      const [blob, name, form] = api.uploadCalendar.mock.calls[0];
      expect(name).toBe('Holidays.csv');
      expect(form).toEqual({});
      expect(await (blob as Blob).text()).toBe('Date,Holiday,Week\r\n2025-12-25,Christmas,52\r\n2026-01-01,"New Year, ""observed""",1\r\n');
      // A file can be chosen instead.
      await user.click(within(section).getByLabelText('A .csv file'));
      expect(within(section).getByLabelText('Calendar file')).toBeTruthy();
    });
  });
});
