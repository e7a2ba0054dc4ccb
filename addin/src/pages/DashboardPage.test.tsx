// @vitest-environment jsdom
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { deferred } from '../testing/dom';
import { bulkAnswer, fakeApi, forecastAnswer, historyPoints, model, products, stores } from '../testing/fixtures';
import { DashboardPage, modelFor, needsStart } from './DashboardPage';

const card = (label: string) => screen.getByRole('group', { name: label });

/** The service of two stores with a trained S001, its plan, history and forecast; `over` replaces any of them. */
const storeApi = (over: Parameters<typeof fakeApi>[0] = {}) =>
  fakeApi({
    stores: async () => stores,
    products: async (s) => products(s),
    trainingStatus: async () => ({ models: [model()], jobs: [] }),
    bulkPredict: async () => bulkAnswer(),
    history: async () => ({ store_id: 'S001', product_id: 'P0001', grain: 'daily' as const, history: historyPoints(30) }),
    forecast: async () => forecastAnswer(),
    ...over,
  });

describe('Dashboard page', () => {
  it('shows spinners while the stores load', () => {
    const api = fakeApi({ stores: () => deferred<typeof stores>().promise, trainingStatus: () => new Promise(() => {}) });
    render(<DashboardPage api={api} />);
    expect(screen.getAllByRole('progressbar').length).toBeGreaterThan(0);
  });

  it('shows the four stat cards and the chart of the first product', async () => {
    const api = storeApi({});
    render(<DashboardPage api={api} />);
    await waitFor(() => expect(within(card('Products')).getByText('10')).toBeTruthy());
    expect(within(card('Stores')).getByText('2')).toBeTruthy();
    // The typical error and the gain over the best simple method, not "75% accuracy" next to a seasonal naive.
    await waitFor(() => expect(within(card('Typical error')).getByText('25%')).toBeTruthy());
    expect(
      within(card('Typical error')).getByText('typical daily error 25%; 17% better than the simple method (average of the last 28 days)'),
    ).toBeTruthy();
    await waitFor(() => expect(within(card('Products needing orders')).getByText('2')).toBeTruthy());
    // Each card says what it covers: all stores, or the chosen one.
    const scope = (label: string) => within(card(label)).getByLabelText('Scope').textContent;
    expect(scope('Products')).toBe('All 2 stores');
    expect(scope('Stores')).toBe('All 2 stores');
    expect(scope('Typical error')).toBe("Store S001's own model");
    expect(scope('Products needing orders')).toBe('Store S001');
    // The model's own figures are under "Advanced", not on the card.
    expect(card('Typical error').textContent).not.toMatch(/WAPE|MASE/);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Advanced' }));
    expect(await screen.findByText('WAPE: 25.0%')).toBeTruthy();
    expect(screen.getByText('MASE: 0.80')).toBeTruthy();
    expect(screen.getByText('Accuracy measured on the last 28 days, which the model did not see.')).toBeTruthy();
    // Not a service that needs starting.
    expect(screen.queryByRole('region', { name: 'Get started' })).toBeNull();
    expect(screen.queryByRole('region', { name: 'Demo data' })).toBeNull();
    expect(await screen.findByTestId('forecast-chart')).toBeTruthy();
    expect(api.history).toHaveBeenCalledWith('S001', 'P0001', { from: '2025-04-02' });
    expect(api.forecast).toHaveBeenCalledWith(expect.objectContaining({ store_id: 'S001', product_id: 'P0001', horizon_days: 28 }));
  });

  it("shows how the store's saved plans turned out: forecast vs sold week by week, in sentences, and the products missed most", async () => {
    const figures = (actual: number, forecast: number) => ({
      periods: 7,
      products: 1,
      actual,
      forecast,
      absolute_error: Math.abs(forecast - actual),
      wape: Math.abs(forecast - actual) / actual,
      bias: (forecast - actual) / actual,
      coverage: 0.86,
      interval_level: 95,
      reference_forecast: actual * 1.2,
      reference_wape: 0.3,
      value_added: 0.1,
    });
    const report = {
      store_id: 'S001',
      granularity: 'day' as const,
      scored_periods: 14,
      pending_periods: 7,
      first_period: '2025-06-16',
      last_period: '2025-06-29',
      reference: 'moving_average',
      overall: figures(200, 190),
      over_time_unit: 'week' as const,
      over_time: [
        { from: '2025-06-16', to: '2025-06-22', ...figures(100, 90) },
        { from: '2025-06-23', to: '2025-06-29', ...figures(100, 100) },
      ],
      largest_error: [{ product_id: 'P0004', ...figures(60, 40) }],
      largest_bias: [],
      override_effect: null,
      notes: [
        'Over 14 product-periods (2025-06-16 to 2025-06-29) the forecasts were off by 5% of the units sold, and too low by 5% overall.',
      ],
    };
    const api = storeApi({
      accuracy: async () => report,
    });
    render(<DashboardPage api={api} />);
    const section = await screen.findByRole('region', { name: 'Forecast vs what sold' });
    expect(api.accuracy).toHaveBeenCalledWith('S001', { top: 3 });
    expect(within(section).getByTestId('tracked-accuracy-chart')).toBeTruthy();
    expect(within(section).getByText(report.notes[0])).toBeTruthy();
    expect(within(section).getByText('Missed most: P0004 (forecast 40, sold 60).')).toBeTruthy();
    // The figures themselves are under "Advanced".
    expect(section.textContent).not.toMatch(/WAPE/);
    await userEvent.setup().click(within(section).getByRole('button', { name: 'Advanced' }));
    expect(await within(section).findByText('WAPE: 5.0%')).toBeTruthy();
    expect(within(section).getByText('Interval coverage: 86% (nominal 95%)')).toBeTruthy();
  });

  it("warns when the store's model has been missing what sold by more than its test said", async () => {
    const tracked = {
      periods: 56,
      wape: 0.6,
      backtest_wape: 0.25,
      drifting: true,
      note: 'Its forecasts missed by 60% of what sold, against 25% in its test: train it again on the newer sales.',
    };
    const api = storeApi({ trainingStatus: async () => ({ models: [{ ...model(), tracked }], jobs: [] }) });
    render(<DashboardPage api={api} />);
    expect(await screen.findByText(/Forecasts for store S001 have been missing more than when its model was tested/)).toBeTruthy();
    expect(screen.getByText(/train it again on the newer sales/)).toBeTruthy();
  });

  it('says in a line, not an alert, when past forecasts cannot be checked', async () => {
    const api = storeApi({
      accuracy: async () => {
        throw new ApiError(0, 'network', 'Cannot reach the service at http://svc: Failed to fetch');
      },
    });
    render(<DashboardPage api={api} />);
    expect(await screen.findByText(/Could not check past forecasts against what sold/)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it("shows the service's messages when predictions are unavailable, keeping the rest", async () => {
    const api = fakeApi({
      stores: async () => stores,
      products: async (s) => products(s),
      trainingStatus: async () => ({ models: [], jobs: [] }),
      bulkPredict: async () => {
        throw new ApiError(409, 'no_model', 'No trained model for store "S001" yet: POST /train_model first');
      },
      history: async () => ({ store_id: 'S001', product_id: 'P0001', grain: 'daily' as const, history: historyPoints(30) }),
      forecast: async () => {
        throw new ApiError(404, 'no_model', 'No model for S001');
      },
    });
    render(<DashboardPage api={api} />);
    expect(
      await within(card('Products needing orders')).findByText('No forecast yet: go to Data & Training and train this store.'),
    ).toBeTruthy();
    expect(within(card('Typical error')).getByText('no trained model yet')).toBeTruthy();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('No forecast yet: go to Data & Training and train this store.');
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

describe('Dashboard page of a new service', () => {
  const demoStores = { stores: stores.stores.map((s) => ({ ...s, demo: true })) };

  it('shows the three steps to start on an empty service', async () => {
    const api = fakeApi({ stores: async () => ({ stores: [] }), trainingStatus: async () => ({ models: [], jobs: [] }) });
    render(<DashboardPage api={api} />);
    const start = await screen.findByRole('region', { name: 'Get started' });
    expect(
      within(start)
        .getAllByRole('listitem')
        .map((li) => li.querySelector('span')?.textContent),
    ).toEqual(['Upload your sales', 'Train a model', 'Plan orders']);
    expect(screen.queryByRole('region', { name: 'Demo data' })).toBeNull();
  });

  it('says the data is a demo, with the three steps, and removes the demo data on request', async () => {
    let stored = demoStores;
    const api = {
      ...fakeApi({
        stores: async () => stored,
        products: async (s) => products(s),
        trainingStatus: async () => ({ models: [model()], jobs: [] }),
        bulkPredict: async () => bulkAnswer(),
        history: async () => ({ store_id: 'S001', product_id: 'P0001', grain: 'daily' as const, history: historyPoints(30) }),
        forecast: async () => forecastAnswer(),
      }),
      removeDemo: vi.fn(async () => {
        stored = { stores: [] };
        return { stores: ['S001', 'S002'], removed: { sales_rows: 2000, products: 10, models: 1, jobs: 1 } };
      }),
    };
    render(<DashboardPage api={api} />);
    const banner = await screen.findByRole('region', { name: 'Demo data' });
    expect(banner.textContent).toContain('generated sales, not yours');
    const start = screen.getByRole('region', { name: 'Get started' });
    expect(start.textContent).toContain('Start with your own data');
    expect(start.textContent).not.toContain('✓'); // a demo store's model is not the buyer's
    await userEvent.setup().click(within(banner).getByRole('button', { name: 'Remove demo data' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Demo data' })).toBeNull());
    expect(api.removeDemo).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(within(card('Stores')).getByText('0')).toBeTruthy()); // the lists load again
    expect(screen.getByRole('region', { name: 'Get started' }).textContent).toContain('Get started');
  });

  it('ticks the steps done once the buyer has a store and its model', () => {
    expect(needsStart(undefined)).toBe(false); // not known yet
    expect(needsStart({ stores: [] })).toBe(true);
    expect(needsStart(demoStores)).toBe(true);
    expect(needsStart(stores)).toBe(false);
  });

  it("says which model a store's accuracy comes from when it has none of its own", async () => {
    const api = fakeApi({
      stores: async () => stores,
      products: async (s) => products(s),
      trainingStatus: async () => ({
        models: [model({ scope: 'global', store_id: null, metrics: { ...model().metrics, grain: 'weekly' } })],
        jobs: [],
      }),
      bulkPredict: async () => bulkAnswer(),
      history: async () => ({ store_id: 'S001', product_id: 'P0001', grain: 'daily' as const, history: historyPoints(30) }),
      forecast: async () => forecastAnswer(),
    });
    render(<DashboardPage api={api} />);
    await waitFor(() =>
      expect(within(card('Typical error')).getByLabelText('Scope').textContent).toBe(
        'Store S001, by the model of all stores (it has none of its own)',
      ),
    );
    expect(card('Typical error').textContent).toContain('typical weekly error 25%');
  });
});
