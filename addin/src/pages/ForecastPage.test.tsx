// @vitest-environment jsdom
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ForecastOverride } from '../../../shared/schemas';
import { ApiError } from '../api/client';
import { deferred } from '../testing/dom';
import {
  fakeApi,
  fakeHost,
  forecastAnswer,
  historyPoints,
  products,
  stores,
  weeklyForecastAnswer,
  weeklyHistory,
} from '../testing/fixtures';
import { chartRows } from '../components/ForecastChart';
import { ForecastPage, parseLevels } from './ForecastPage';

async function ready(api: ReturnType<typeof fakeApi>, host = fakeHost()) {
  const user = userEvent.setup();
  render(<ForecastPage api={api} host={host} />);
  await waitFor(() => expect(screen.getByRole('combobox', { name: 'Product' })).toHaveProperty('value', 'P0001'));
  return user;
}

describe('Forecast page', () => {
  it('shows a spinner, then the chart with its interval band, and writes the sheet', async () => {
    const answer = deferred<ReturnType<typeof forecastAnswer>>();
    const host = fakeHost('excel');
    const api = fakeApi({
      stores: async () => stores,
      products: async (s) => products(s),
      forecast: () => answer.promise,
      history: async () => ({ store_id: 'S001', product_id: 'P0001', grain: 'daily' as const, history: historyPoints(20) }),
    });
    const user = await ready(api, host);
    await user.clear(screen.getByLabelText('Horizon (days)'));
    await user.type(screen.getByLabelText('Horizon (days)'), '7');
    await user.clear(screen.getByLabelText('Interval levels (%)'));
    await user.type(screen.getByLabelText('Interval levels (%)'), '90');
    await user.click(screen.getByRole('button', { name: 'Forecast' }));
    expect(screen.getByText('Forecasting…')).toBeTruthy();
    answer.resolve(forecastAnswer());
    expect(await screen.findByTestId('forecast-chart')).toBeTruthy();
    expect(screen.getByText(/7 days after Jun 30, 2025: 63 units expected/)).toBeTruthy();
    expect(api.forecast).toHaveBeenCalledWith({ store_id: 'S001', product_id: 'P0001', horizon_days: 7, levels: [90] });
    expect(api.history).toHaveBeenCalledWith('S001', 'P0001', { from: '2025-04-01' });

    await user.click(screen.getByRole('button', { name: 'Write to sheet' }));
    await waitFor(() => expect(host.writeSheets).toHaveBeenCalled());
    expect(host.writeSheets.mock.calls[0][0][0].sheetName).toBe('Forecast S001 P0001');
    expect(await screen.findByText('Written Forecast S001 P0001')).toBeTruthy();
  });

  it('adjusts the forecast: a multiplier over its days with a reason, then the forecast again; ends an adjustment in force', async () => {
    let inForce: ForecastOverride[] = [];
    const made: ForecastOverride = {
      id: 9,
      store_id: 'S001',
      product_id: 'P0001',
      category: null,
      from: '2025-07-01',
      to: '2025-07-03',
      multiplier: 1.5,
      quantity: null,
      reason: 'Leaflet promotion',
      created_by: 'anna',
      created_at: '2025-06-30T10:00:00.000Z',
      active: true,
      ended_at: null,
      ended_by: null,
    };
    const api = fakeApi({
      stores: async () => stores,
      products: async (s) => products(s),
      forecast: async () => forecastAnswer(),
      history: async () => ({ store_id: 'S001', product_id: 'P0001', grain: 'daily' as const, history: historyPoints(20) }),
      overrides: async () => ({ overrides: inForce }),
      createOverride: async () => {
        inForce = [made];
        return made;
      },
      endOverride: async () => {
        inForce = [];
        return { ...made, active: false };
      },
    });
    const user = await ready(api);
    await user.click(screen.getByRole('button', { name: 'Forecast' }));
    const form = await screen.findByRole('group', { name: 'Adjust this forecast' });
    const apply = within(form).getByRole('button', { name: 'Apply adjustment' });
    expect(apply).toHaveProperty('disabled', true);
    await user.type(within(form).getByLabelText('Multiply by'), '1,5');
    await user.clear(within(form).getByLabelText('To'));
    await user.type(within(form).getByLabelText('To'), '2025-07-03');
    await user.type(within(form).getByLabelText('Reason'), 'Leaflet promotion');
    await user.click(apply);
    await waitFor(() =>
      expect(api.createOverride).toHaveBeenCalledWith({
        store_id: 'S001',
        product_id: 'P0001',
        from: '2025-07-01',
        to: '2025-07-03',
        multiplier: 1.5,
        reason: 'Leaflet promotion',
      }),
    );
    await waitFor(() => expect(api.forecast).toHaveBeenCalledTimes(2));
    const listed = await screen.findByRole('list', { name: 'Adjustments in force' });
    expect(within(listed).getByText('x1.5 from 2025-07-01 to 2025-07-03: Leaflet promotion (anna)')).toBeTruthy();
    await user.click(within(listed).getByRole('button', { name: 'End adjustment 9' }));
    await waitFor(() => expect(api.endOverride).toHaveBeenCalledWith(9));
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Adjustments in force' })).toBeNull());
    expect(api.forecast).toHaveBeenCalledTimes(3);
  });

  it('says "Download .xlsx" in a browser', async () => {
    const api = fakeApi({
      stores: async () => stores,
      products: async (s) => products(s),
      forecast: async () => forecastAnswer(),
      history: async () => ({ store_id: 'S001', product_id: 'P0001', grain: 'daily' as const, history: historyPoints(20) }),
    });
    const user = await ready(api);
    await user.click(screen.getByRole('button', { name: 'Forecast' }));
    expect(await screen.findByRole('button', { name: 'Download .xlsx' })).toBeTruthy();
  });

  it("shows the service's error message and refuses bad levels", async () => {
    const api = fakeApi({
      stores: async () => stores,
      products: async (s) => products(s),
      forecast: async () => {
        throw new ApiError(404, 'not_found', 'Product "P0001" in store "S001" was not found');
      },
    });
    const user = await ready(api);
    await user.click(screen.getByRole('button', { name: 'Forecast' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Product "P0001" in store "S001" was not found');
    await user.clear(screen.getByLabelText('Interval levels (%)'));
    await user.type(screen.getByLabelText('Interval levels (%)'), 'eighty');
    expect(screen.getByRole('button', { name: 'Forecast' })).toHaveProperty('disabled', true);
  });

  it('sends the periods chosen, names each one, and shows the basis line with a warning for a rough estimate', async () => {
    const host = fakeHost('excel');
    const api = fakeApi({
      stores: async () => stores,
      products: async (s) => products(s),
      forecast: async () => ({ ...weeklyForecastAnswer(3), store_id: 'S001' }),
      history: async () => ({ store_id: 'S001', product_id: 'P0001', grain: 'daily' as const, history: historyPoints(28, '2025-07-06') }),
    });
    const user = await ready(api, host);
    expect(screen.getByRole('radio', { name: 'Auto' })).toHaveProperty('checked', true);
    expect(screen.getByText("Auto: the store's own periods (days).")).toBeTruthy();
    await user.click(screen.getByRole('radio', { name: 'Weeks' }));
    // The horizon is now counted in weeks, from a default that suits weeks.
    const horizon = screen.getByLabelText('Horizon (weeks)');
    expect(horizon).toHaveProperty('value', '8');
    await user.clear(horizon);
    await user.type(horizon, '3');
    await user.click(screen.getByRole('button', { name: 'Forecast' }));

    const table = await screen.findByRole('table', { name: 'Forecast by period' });
    expect(
      within(table)
        .getAllByRole('row')
        .map((r) => r.textContent),
    ).toEqual([
      'PeriodExpectedRange (80%)',
      // In the pane's locale (the browser's here: en-US); the sheet below keeps its own names.
      'Week of Jul 7, 202540' + '30 – 52',
      'Week of Jul 14, 202545' + '35 – 57',
      'Week of Jul 21, 202550' + '40 – 62',
    ]);
    expect(api.forecast).toHaveBeenCalledWith({
      store_id: 'S001',
      product_id: 'P0001',
      granularity: 'week',
      horizon_periods: 3,
      levels: [80, 95],
    });
    expect(api.history).toHaveBeenCalledWith('S001', 'P0001', { from: '2025-01-06' }); // 26 whole weeks before 7 Jul
    expect(screen.getByText('3 weeks after Jul 6, 2025: 135 units expected')).toBeTruthy();
    const basis = screen.getByRole('group', { name: 'Forecast basis' });
    expect(within(basis).getByText('Forecast by: same week last year (simple method) · 5 weeks of history · Confidence: low')).toBeTruthy();
    const warning = within(basis).getByRole('group', { name: 'Low confidence: treat this as a rough estimate' });
    expect(warning.textContent).toContain('"P0001" has 5 weeks of history: a rough estimate from its own recent sales.');
    // No model terms outside "Advanced", and none until it is opened.
    expect(screen.queryByText(/Model version/)).toBeNull();
    expect(screen.queryByText(/baseline:seasonal_naive/)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Advanced' }));
    expect(await screen.findByText('Method: baseline:seasonal_naive')).toBeTruthy();
    expect(screen.getByText('Model version: baseline:W01')).toBeTruthy();

    // The sheet names the weeks too, with the daily history summed into them.
    await user.click(screen.getByRole('button', { name: 'Write to sheet' }));
    await waitFor(() => expect(host.writeSheets).toHaveBeenCalled());
    const [spec] = host.writeSheets.mock.calls[0][0];
    expect(spec.rows.map((r: unknown[]) => [r[0], r[1], r[2]])).toEqual([
      ['Week of 9 Jun 2025', 56, null],
      ['Week of 16 Jun 2025', 56, null],
      ['Week of 23 Jun 2025', 56, null],
      ['Week of 30 Jun 2025', 56, null],
      ['Week of 7 Jul 2025', null, 40],
      ['Week of 14 Jul 2025', null, 45],
      ['Week of 21 Jul 2025', null, 50],
    ]);
  });

  it('forecasts a weekly store in its own weeks, and offers no days it cannot answer', async () => {
    const weekly = { stores: [{ ...stores.stores[0], store_id: 'W01', grain: 'weekly' as const }] };
    const api = fakeApi({
      stores: async () => weekly,
      products: async (s) => products(s),
      forecast: async () => weeklyForecastAnswer(8),
      history: async () => ({ store_id: 'W01', product_id: 'P0001', grain: 'weekly' as const, history: weeklyHistory(30) }),
    });
    const user = await ready(api);
    expect(screen.getByRole('radio', { name: 'Auto' })).toHaveProperty('checked', true);
    expect(screen.getByRole('radio', { name: 'Days' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('radio', { name: 'Months' })).toHaveProperty('disabled', false);
    expect(screen.getByText(/Its sales are weekly, so it is forecast in weeks or longer/)).toBeTruthy();
    expect(screen.getByLabelText('Horizon (weeks)')).toHaveProperty('value', '8');
    await user.click(screen.getByRole('button', { name: 'Forecast' }));
    expect(await screen.findByText('8 weeks after Jul 6, 2025: 460 units expected')).toBeTruthy();
    expect(api.forecast).toHaveBeenCalledWith({ store_id: 'W01', product_id: 'P0001', horizon_periods: 8, levels: [80, 95] });
    expect(screen.getByText('Week of Aug 25, 2025')).toBeTruthy();
  });

  it('says what to do when the product has too little history for a forecast', async () => {
    const api = fakeApi({
      stores: async () => stores,
      products: async (s) => products(s),
      forecast: async () => {
        throw new ApiError(
          422,
          'insufficient_history',
          'No forecast for "P0001": "P0001" has sales records for 2 days: at least 4 days are needed for any forecast. Upload more of its sales history.',
        );
      },
    });
    const user = await ready(api);
    await user.click(screen.getByRole('button', { name: 'Forecast' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('No forecast for this product');
    expect(alert.textContent).toContain('"P0001" has sales records for 2 days: at least 4 days are needed for any forecast.');
    expect(alert.textContent).toContain('upload more sales history of this product (Data & Training page)');
    expect(screen.queryByTestId('forecast-chart')).toBeNull();
    expect(api.history).not.toHaveBeenCalled();
  });

  it('parses levels and merges history with forecast for the chart', () => {
    expect(parseLevels('80, 95')).toEqual([80, 95]);
    expect(parseLevels('x')).toBeNull();
    const rows = chartRows(historyPoints(2), forecastAnswer().forecast.slice(0, 2));
    expect(rows).toEqual([
      { date: '2025-06-29', sold: 5 },
      { date: '2025-06-30', sold: 6, expected: 6 },
      { date: '2025-07-01', expected: 6, band: [3, 10] },
      { date: '2025-07-02', expected: 7, band: [4, 11] },
    ]);
  });

  it('charts weeks against the sales of the same weeks, each named', () => {
    const rows = chartRows(weeklyHistory(3), weeklyForecastAnswer(1).forecast, undefined, { granularity: 'week', from: '2025-06-23' });
    expect(rows).toEqual([
      { date: '2025-06-23', end: '2025-06-29', sold: 77 },
      { date: '2025-06-30', end: '2025-07-06', sold: 84, expected: 84 },
      { date: '2025-07-07', end: '2025-07-13', expected: 40, band: [30, 52] },
    ]);
  });
});

describe('Forecast page: what is written is what is on screen', () => {
  const api = () =>
    fakeApi({
      stores: async () => stores,
      products: async (s) => products(s),
      forecast: async () => forecastAnswer(),
      history: async () => ({ store_id: 'S001', product_id: 'P0001', grain: 'daily' as const, history: historyPoints(20) }),
    });

  it('says "Run again" when a field changed since the forecast, and holds the sheet back until then', async () => {
    const host = fakeHost('excel');
    const user = await ready(api(), host);
    await user.click(screen.getByRole('button', { name: 'Forecast' }));
    await screen.findByTestId('forecast-chart');
    expect(screen.getByRole('button', { name: 'Write to sheet' })).toHaveProperty('disabled', false);
    await user.clear(screen.getByLabelText('Interval levels (%)'));
    await user.type(screen.getByLabelText('Interval levels (%)'), '50');
    expect(screen.getByText(/Run again to apply the changes/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Write to sheet' })).toHaveProperty('disabled', true);
    await user.click(screen.getByRole('button', { name: 'Forecast' }));
    await waitFor(() => expect(screen.queryByText(/Run again to apply the changes/)).toBeNull());
    expect(screen.getByRole('button', { name: 'Write to sheet' })).toHaveProperty('disabled', false);
  });

  it('highlights a horizon out of range with a sentence and does not forecast', async () => {
    const forecasting = api();
    const user = await ready(forecasting);
    await user.clear(screen.getByLabelText('Horizon (days)'));
    await user.type(screen.getByLabelText('Horizon (days)'), '500');
    expect(screen.getByText('Horizon is in whole days, from 1 to 180')).toBeTruthy();
    expect(screen.getByLabelText('Horizon (days)').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('button', { name: 'Forecast' })).toHaveProperty('disabled', true);
    expect(forecasting.forecast).not.toHaveBeenCalled();
  });
});
