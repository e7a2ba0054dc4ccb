// @vitest-environment jsdom
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { deferred } from '../testing/dom';
import { fakeApi, fakeHost, forecastAnswer, historyPoints, products, stores } from '../testing/fixtures';
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
    expect(screen.getByText(/7 days after 2025-06-30: 63 units expected/)).toBeTruthy();
    expect(api.forecast).toHaveBeenCalledWith({ store_id: 'S001', product_id: 'P0001', horizon_days: 7, levels: [90] });
    expect(api.history).toHaveBeenCalledWith('S001', 'P0001', { from: '2025-04-01' });

    await user.click(screen.getByRole('button', { name: 'Write to sheet' }));
    await waitFor(() => expect(host.writeSheets).toHaveBeenCalled());
    expect(host.writeSheets.mock.calls[0][0][0].sheetName).toBe('Forecast S001 P0001');
    expect(await screen.findByText('Written Forecast S001 P0001')).toBeTruthy();
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
});
