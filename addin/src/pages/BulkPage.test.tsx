// @vitest-environment jsdom
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { deferred } from '../testing/dom';
import { bulkAnswer, contextAnswer, fakeApi, fakeHost, stores } from '../testing/fixtures';
import { BulkPage, sortPredictions } from './BulkPage';

const productColumn = () =>
  within(screen.getByRole('table', { name: 'Products' }))
    .getAllByRole('row')
    .slice(1)
    .map((r) => r.getAttribute('data-product'))
    .filter(Boolean);

async function runFor(api: ReturnType<typeof fakeApi>, host = fakeHost()) {
  const user = userEvent.setup();
  render(<BulkPage api={api} host={host} />);
  await waitFor(() => expect(screen.getByRole('combobox', { name: 'Store' })).toHaveProperty('value', 'S001'));
  await user.click(screen.getByRole('button', { name: 'Run predictions' }));
  return user;
}

describe('Bulk Predictions page', () => {
  it('shows a spinner while predicting, then 5 summary cards and the product table', async () => {
    const answer = deferred<ReturnType<typeof bulkAnswer>>();
    const api = fakeApi({ stores: async () => stores, bulkPredict: () => answer.promise });
    const user = await runFor(api);
    expect(screen.getByText('Predicting every product…')).toBeTruthy();
    answer.resolve(bulkAnswer());
    await screen.findByRole('table', { name: 'Products' });
    for (const label of ['Products', 'Critical', 'Low', 'Order value', 'Revenue at risk']) {
      expect(screen.getByRole('group', { name: label })).toBeTruthy();
    }
    expect(within(screen.getByRole('group', { name: 'Order value' })).getByText('210.50')).toBeTruthy();
    expect(productColumn()).toEqual(['P0003', 'P0001', 'P0002']);
    expect(api.bulkPredict).toHaveBeenCalledWith({ store_id: 'S001', horizon_days: 7 });

    // Sorting: click a header, then again to reverse.
    await user.click(screen.getByText('Order', { selector: 'th *, th' }));
    expect(productColumn()).toEqual(['P0003', 'P0001', 'P0002']);
    await user.click(screen.getByText('Order', { selector: 'th *, th' }));
    expect(productColumn()).toEqual(['P0002', 'P0001', 'P0003']);
    await user.click(screen.getByText('Product', { selector: 'th *, th' }));
    expect(productColumn()).toEqual(['P0001', 'P0002', 'P0003']);
  });

  it('expands a row: projections, financial section, last 4 weeks, explanation on demand', async () => {
    const api = fakeApi({
      stores: async () => stores,
      bulkPredict: async () => bulkAnswer(),
      predictWithContext: async () => contextAnswer(),
    });
    const user = await runFor(api);
    await user.click(await screen.findByRole('button', { name: 'Details of P0001' }));
    const detail = screen.getByRole('group', { name: 'Details of P0001' });
    for (const text of ['Projections', 'Financial', 'Last 4 weeks', 'Quarterly', 'Revenue at risk', 'Last week']) {
      expect(within(detail).getAllByText(text).length).toBeGreaterThan(0);
    }
    await user.click(within(detail).getByRole('button', { name: 'Explain this prediction' }));
    expect(await within(detail).findByText('lag_7')).toBeTruthy();
    expect(api.predictWithContext).toHaveBeenCalledWith({ store_id: 'S001', product_id: 'P0001', date: '2025-07-01' });
  });

  it('writes both result sheets inside Excel ("Write to sheet")', async () => {
    const host = fakeHost('excel');
    const api = fakeApi({ stores: async () => stores, bulkPredict: async () => bulkAnswer() });
    const user = await runFor(api, host);
    await user.click(await screen.findByRole('button', { name: 'Write to sheet' }));
    await waitFor(() => expect(host.writeSheets).toHaveBeenCalled());
    const [specs, stem] = host.writeSheets.mock.calls[0];
    expect(specs.map((s: { sheetName: string }) => s.sheetName)).toEqual(['Bulk Predictions S001', 'Reorder Plan S001']);
    expect(stem).toBe('bulk-predictions-S001-2025-07-01');
    expect(await screen.findByText('Written Bulk Predictions S001, Reorder Plan S001')).toBeTruthy();
  });

  it('offers "Download .xlsx" in a browser, and exports the service file', async () => {
    const host = fakeHost('browser');
    const blob = new Blob(['x']);
    const api = fakeApi({
      stores: async () => stores,
      bulkPredict: async () => bulkAnswer(),
      bulkExport: async () => ({ data: blob, fileName: 'bulk_predictions_S001_2025-07-01.xlsx' }),
    });
    const user = await runFor(api, host);
    expect(await screen.findByRole('button', { name: 'Download .xlsx' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Write to sheet' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Export .xlsx' }));
    await waitFor(() => expect(host.saveFile).toHaveBeenCalledWith(blob, 'bulk_predictions_S001_2025-07-01.xlsx'));
    expect(api.bulkExport).toHaveBeenCalledWith('S001', 'xlsx', {
      prediction_date: '2025-07-01',
      horizon_days: 7,
      lead_time_days: undefined,
      service_level: undefined,
    });
  });

  it("shows the service's error message", async () => {
    const api = fakeApi({
      stores: async () => stores,
      bulkPredict: async () => {
        throw new ApiError(404, 'no_model', 'Store "S001" has no trained model yet: train it on the Data page');
      },
    });
    await runFor(api);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Bulk prediction failed');
    expect(alert.textContent).toContain('Store "S001" has no trained model yet: train it on the Data page');
  });

  it('sorts blanks last and status by priority', () => {
    const rows = bulkAnswer().predictions;
    rows[1] = { ...rows[1], days_of_cover: null };
    expect(sortPredictions(rows, 'days_of_cover', 'ascending').map((p) => p.product_id)).toEqual(['P0003', 'P0002', 'P0001']);
    expect(sortPredictions(rows, 'days_of_cover', 'descending').map((p) => p.product_id)).toEqual(['P0002', 'P0003', 'P0001']);
    expect(sortPredictions(rows, 'status', 'descending').map((p) => p.status)).toEqual(['ADEQUATE', 'LOW', 'CRITICAL']);
  });
});
