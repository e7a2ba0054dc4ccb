// @vitest-environment jsdom
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { deferred } from '../testing/dom';
import type { BulkPredictResponse } from '../../../shared/schemas';
import { basis, bulkAnswer, contextAnswer, fakeApi, fakeHost, lowBasis, stores } from '../testing/fixtures';
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

const NO_FORECAST = '"P0004" has sales records for 2 days: at least 4 days are needed for any forecast. Upload more of its sales history.';

/** The sample plan with P0001 a rough estimate and a new product P0004 without any forecast. */
function planWithDoubts(): BulkPredictResponse {
  const plan = bulkAnswer();
  const [critical, low, adequate] = plan.predictions;
  return {
    ...plan,
    summary: { ...plan.summary, total_products: 4, unknown: 1, by_confidence: { normal: 2, low: 1, none: 1 } },
    predictions: [
      critical,
      { ...low, basis: lowBasis() },
      adequate,
      {
        ...adequate,
        product_id: 'P0004',
        status: 'UNKNOWN',
        priority: 5,
        predicted_demand: null,
        lower: null,
        upper: null,
        order_quantity: 0,
        order_value: 0,
        revenue_at_risk: null,
        days_of_cover: null,
        demand_breakdown: { daily: 0, weekly: 0, monthly: 0, quarterly: 0 },
        basis: basis({ confidence: 'none', reasons: [NO_FORECAST], history_periods: 2, observed_periods: 2, series_kind: 'new' }),
        note: NO_FORECAST,
      },
    ],
  };
}

const cellsOf = (product: string) =>
  within(document.querySelector(`tr[data-product="${product}"]`) as HTMLElement)
    .getAllByRole('cell')
    .map((c) => c.textContent);

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

  it('shows "—" and the note for a product without a forecast, flags rough estimates, and counts both', async () => {
    const api = fakeApi({ stores: async () => stores, bulkPredict: async () => planWithDoubts() });
    const user = await runFor(api);
    await screen.findByRole('table', { name: 'Products' });
    expect(
      screen.getByText(/1 product has too little history for an order · 1 product is a rough estimate \(low confidence\)/),
    ).toBeTruthy();

    // [details, product, status, stock, demand, order, value, at risk, cover]: no forecast, so no demand and no order.
    expect(cellsOf('P0004')).toEqual(['▸', 'P0004 no forecast', 'UNKNOWN', '60', '—', '—', '—', '—', '—']);
    expect(screen.getByRole('row', { name: 'Note on P0004' }).textContent).toBe(NO_FORECAST);
    expect(cellsOf('P0001')).toEqual(['▸', 'P0001 low confidence', 'LOW', '10', '20.0', '20', '60.50', '8.25', '3.5']);
    expect(cellsOf('P0003')[1]).toBe('P0003'); // a normal forecast carries no flag
    expect(screen.queryByRole('row', { name: 'Note on P0001' })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Details of P0004' }));
    const detail = screen.getByRole('group', { name: 'Details of P0004' });
    expect(within(detail).getByRole('group', { name: 'No forecast: too little history' }).textContent).toContain(NO_FORECAST);
    expect(within(detail).getByText('7-day range').nextSibling?.textContent).toBe('—');
    expect(within(detail).getByText('Weekly').nextSibling?.textContent).toBe('—');
    expect(within(detail).queryByRole('button', { name: 'Explain this prediction' })).toBeNull();
    expect(detail.textContent).not.toMatch(/NaN/);

    await user.click(screen.getByRole('button', { name: 'Details of P0001' }));
    const rough = screen.getByRole('group', { name: 'Details of P0001' });
    expect(
      within(rough).getByText(/Forecast by: same week last year \(simple method\) · 5 weeks of history · Confidence: low/),
    ).toBeTruthy();
    expect(within(rough).getByRole('group', { name: 'Low confidence: treat this as a rough estimate' })).toBeTruthy();
  });

  it('says nothing about confidence when every forecast is normal', async () => {
    const api = fakeApi({ stores: async () => stores, bulkPredict: async () => bulkAnswer() });
    await runFor(api);
    await screen.findByRole('table', { name: 'Products' });
    expect(screen.queryByText(/too little history|rough estimate/)).toBeNull();
    expect(screen.queryByText('low confidence')).toBeNull();
  });

  it('sorts blanks last and status by priority', () => {
    const rows = bulkAnswer().predictions;
    rows[1] = { ...rows[1], days_of_cover: null };
    expect(sortPredictions(rows, 'days_of_cover', 'ascending').map((p) => p.product_id)).toEqual(['P0003', 'P0002', 'P0001']);
    expect(sortPredictions(rows, 'days_of_cover', 'descending').map((p) => p.product_id)).toEqual(['P0002', 'P0003', 'P0001']);
    expect(sortPredictions(rows, 'status', 'descending').map((p) => p.status)).toEqual(['ADEQUATE', 'LOW', 'CRITICAL']);
  });
});
