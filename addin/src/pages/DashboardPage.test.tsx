// @vitest-environment jsdom
import { render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { deferred } from '../testing/dom';
import { bulkAnswer, fakeApi, forecastAnswer, historyPoints, model, products, stores } from '../testing/fixtures';
import { DashboardPage, modelFor } from './DashboardPage';

const card = (label: string) => screen.getByRole('group', { name: label });

describe('Dashboard page', () => {
  it('shows spinners while the stores load', () => {
    const api = fakeApi({ stores: () => deferred<typeof stores>().promise, trainingStatus: () => new Promise(() => {}) });
    render(<DashboardPage api={api} />);
    expect(screen.getAllByRole('progressbar').length).toBeGreaterThan(0);
  });

  it('shows the four stat cards and the chart of the first product', async () => {
    const api = fakeApi({
      stores: async () => stores,
      products: async (s) => products(s),
      trainingStatus: async () => ({ models: [model()], jobs: [] }),
      bulkPredict: async () => bulkAnswer(),
      history: async () => ({ store_id: 'S001', product_id: 'P0001', grain: 'daily' as const, history: historyPoints(30) }),
      forecast: async () => forecastAnswer(),
    });
    render(<DashboardPage api={api} />);
    await waitFor(() => expect(within(card('Products')).getByText('10')).toBeTruthy());
    expect(within(card('Stores')).getByText('2')).toBeTruthy();
    // The typical error and the gain over the best simple method, not "75% accuracy" next to a seasonal naive.
    await waitFor(() => expect(within(card('Typical error')).getByText('25%')).toBeTruthy());
    expect(
      within(card('Typical error')).getByText(
        'off by 25 units in 100 on the last 28 days it did not see; 17% better than the best simple method (average of the last 28 days)',
      ),
    ).toBeTruthy();
    await waitFor(() => expect(within(card('Products needing orders')).getByText('2')).toBeTruthy());
    expect(await screen.findByTestId('forecast-chart')).toBeTruthy();
    expect(api.history).toHaveBeenCalledWith('S001', 'P0001', { from: '2025-04-02' });
    expect(api.forecast).toHaveBeenCalledWith(expect.objectContaining({ store_id: 'S001', product_id: 'P0001', horizon_days: 28 }));
  });

  it("shows the service's messages when predictions are unavailable, keeping the rest", async () => {
    const api = fakeApi({
      stores: async () => stores,
      products: async (s) => products(s),
      trainingStatus: async () => ({ models: [], jobs: [] }),
      bulkPredict: async () => {
        throw new ApiError(404, 'no_model', 'Store "S001" has no trained model yet: train it first');
      },
      history: async () => ({ store_id: 'S001', product_id: 'P0001', grain: 'daily' as const, history: historyPoints(30) }),
      forecast: async () => {
        throw new ApiError(404, 'no_model', 'No model for S001');
      },
    });
    render(<DashboardPage api={api} />);
    expect(await within(card('Products needing orders')).findByText(/has no trained model yet/)).toBeTruthy();
    expect(within(card('Typical error')).getByText('no trained model yet')).toBeTruthy();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('No model for S001');
    expect(screen.getByTestId('forecast-chart')).toBeTruthy(); // history still drawn
  });

  it('shows an error when the stores cannot be loaded', async () => {
    const api = fakeApi({
      stores: async () => {
        throw new ApiError(0, 'network', 'Cannot reach the service at http://svc: Failed to fetch');
      },
      trainingStatus: async () => ({ models: [], jobs: [] }),
    });
    render(<DashboardPage api={api} />);
    const alerts = await screen.findAllByRole('alert');
    expect(alerts[0].textContent).toContain('Cannot reach the service at http://svc');
  });

  it('prefers the store model, then the global one', () => {
    const global = model({ scope: 'global', store_id: null, version: 3 });
    expect(modelFor([global, model({ store_id: 'S002' })], 'S001')).toBe(global);
    expect(modelFor([global, model()], 'S001')?.scope).toBe('store');
  });
});
