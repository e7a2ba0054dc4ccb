// @vitest-environment jsdom
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { deferred } from '../testing/dom';
import { contextAnswer, fakeApi, lowBasis, products, stores } from '../testing/fixtures';
import { scenarioFrom, SmartPage } from './SmartPage';

async function ready(api: ReturnType<typeof fakeApi>) {
  const user = userEvent.setup();
  render(<SmartPage api={api} />);
  await waitFor(() => expect(screen.getByRole('combobox', { name: 'Product' })).toHaveProperty('value', 'P0001'));
  return user;
}

describe('Smart Prediction page', () => {
  it('shows a spinner, then recommendation, demand, money, interval and explanation', async () => {
    const answer = deferred<ReturnType<typeof contextAnswer>>();
    const api = fakeApi({ stores: async () => stores, products: async (s) => products(s), predictWithContext: () => answer.promise });
    const user = await ready(api);
    await user.type(screen.getByLabelText('Stock on hand'), '10');
    await user.click(screen.getByRole('button', { name: 'Get recommendation' }));
    expect(screen.getByText('Asking the model…')).toBeTruthy();
    answer.resolve(contextAnswer());
    const result = await screen.findByRole('group', { name: 'Recommendation' });
    expect(within(result).getByText(/order 20 units now/)).toBeTruthy();
    expect(within(screen.getByRole('group', { name: 'Status' })).getByText('LOW')).toBeTruthy();
    expect(within(screen.getByRole('group', { name: 'Order quantity' })).getByText('20')).toBeTruthy();
    expect(within(screen.getByRole('group', { name: 'Weekly' })).getByText('20.0')).toBeTruthy();
    expect(within(screen.getByRole('group', { name: 'Revenue at risk' })).getByText('8.25')).toBeTruthy();
    expect(screen.getByRole('group', { name: '95% interval (daily)' }).textContent).toContain('1.2 – 4.8');
    expect(within(result).getByText('lag_7')).toBeTruthy();
    expect(api.predictWithContext).toHaveBeenCalledTimes(1);
    expect(api.predictWithContext).toHaveBeenCalledWith({ store_id: 'S001', product_id: 'P0001', current_stock: 10 });
  });

  it('sends a what-if scenario and shows the plain answer beside it', async () => {
    const api = fakeApi({
      stores: async () => stores,
      products: async (s) => products(s),
      predictWithContext: async (req) =>
        req.scenario
          ? contextAnswer({
              demand_estimates: { ...contextAnswer().demand_estimates, daily: 4, weekly: 28, monthly: 120, over_lead_time: 28 },
            })
          : contextAnswer(),
    });
    const user = await ready(api);
    await user.type(screen.getByLabelText('Price change (%)'), '-10');
    await user.click(screen.getByLabelText('On promotion'));
    await user.click(screen.getByRole('button', { name: 'Get recommendation' }));
    const weekly = await screen.findByRole('group', { name: 'Weekly' });
    expect(weekly.textContent).toContain('28.0');
    expect(weekly.textContent).toContain('without the what-if: 20.0');
    expect(api.predictWithContext).toHaveBeenCalledWith({
      store_id: 'S001',
      product_id: 'P0001',
      scenario: [{ price_change_pct: -10, promotion: true }],
    });
  });

  it("shows the service's error message", async () => {
    const api = fakeApi({
      stores: async () => stores,
      products: async (s) => products(s),
      predictWithContext: async () => {
        throw new ApiError(422, 'invalid_request', 'Invalid body: service_level: a level of 1 (100%) has no finite interval');
      },
    });
    const user = await ready(api);
    await user.click(screen.getByRole('button', { name: 'Get recommendation' }));
    expect((await screen.findByRole('alert')).textContent).toContain('a level of 1 (100%) has no finite interval');
  });

  it('shows the basis line, warns of a rough estimate, names the week of the interval, and keeps model figures in Advanced', async () => {
    const weekly = contextAnswer({
      basis: lowBasis(),
      confidence_interval: { level: 0.95, lower: 30, upper: 60, date: '2025-07-07', period_end: '2025-07-13' },
      performance_context: {
        model_version: 'baseline:W01',
        wape: 0.31,
        mase: 0.9,
        baseline_wape: 0.4,
        accuracy: 69,
        best_baseline: 'moving_average',
        best_baseline_wape: 0.36,
      },
    });
    const api = fakeApi({ stores: async () => stores, products: async (s) => products(s), predictWithContext: async () => weekly });
    const user = await ready(api);
    await user.click(screen.getByRole('button', { name: 'Get recommendation' }));
    const result = await screen.findByRole('group', { name: 'Recommendation' });
    expect(
      within(result).getByText('Forecast by: same week last year (simple method) · 5 weeks of history · Confidence: low'),
    ).toBeTruthy();
    expect(within(result).getByRole('group', { name: 'Low confidence: treat this as a rough estimate' }).textContent).toContain(
      'a rough estimate from its own recent sales',
    );
    expect(screen.getByRole('group', { name: '95% interval (Week of 7 Jul 2025)' }).textContent).toContain('30.0 – 60.0');
    expect(result.textContent).not.toMatch(/WAPE|MASE|baseline:/);
    await user.click(within(result).getByRole('button', { name: 'Advanced' }));
    expect(await within(result).findByText(/Typical error \(WAPE\): 31.0% · best simple method \(moving_average\): 36.0%/)).toBeTruthy();
    expect(within(result).getByText('Model version: baseline:W01')).toBeTruthy();
  });

  it('says what to do when the product has too little history for a recommendation', async () => {
    const api = fakeApi({
      stores: async () => stores,
      products: async (s) => products(s),
      predictWithContext: async () => {
        throw new ApiError(422, 'insufficient_history', 'No forecast for "P0001": "P0001" has sales records for 1 week.');
      },
    });
    const user = await ready(api);
    await user.click(screen.getByRole('button', { name: 'Get recommendation' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('"P0001" has sales records for 1 week.');
    expect(alert.textContent).toContain('What to do: upload more sales history of this product');
  });

  it('builds scenarios only from filled inputs', () => {
    expect(scenarioFrom('', '', false)).toBeUndefined();
    expect(scenarioFrom('5', '10', false)).toEqual([{ price_change_pct: 5, discount: 10 }]);
  });
});
