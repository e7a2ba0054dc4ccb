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
    // Periods named, whole units for orders and reorder points.
    expect(within(screen.getByRole('group', { name: 'Next 7 days' })).getByText('20.0')).toBeTruthy();
    expect(within(screen.getByRole('group', { name: 'Reorder point' })).getByText('12')).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Over lead time' }).textContent).toContain(
      'the next 7 days, until an order placed now arrives',
    );
    expect(screen.getByRole('group', { name: 'Expected revenue' }).textContent).toContain('over lead time + review (14 days)');
    expect(within(screen.getByRole('group', { name: 'Revenue at risk' })).getByText('8.25')).toBeTruthy();
    expect(screen.getByRole('group', { name: '95% interval (daily)' }).textContent).toContain('1.2 – 4.8');
    // An answer without labels (an older service): summed as "other factors", the column names kept for "Advanced".
    const why = within(result).getByRole('list', { name: 'What moves the forecast' });
    expect(
      within(why)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['other factors+0.8 units']);
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
    const weekly = await screen.findByRole('group', { name: 'Next 7 days' });
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
    expect(screen.getByRole('group', { name: '95% interval (Week of Jul 7, 2025)' }).textContent).toContain('30.0 – 60.0');
    expect(result.textContent).not.toMatch(/WAPE|MASE|baseline:/);
    await user.click(within(result).getByRole('button', { name: 'Advanced' }));
    expect(await within(result).findByText(/WAPE: 31.0% · best simple method \(moving_average\): 36.0%/)).toBeTruthy();
    // Outside it, the accuracy in words, in the store's weeks.
    expect(
      within(result).getByText('Model accuracy: typical weekly error 31%; 14% better than the simple method (moving average)'),
    ).toBeTruthy();
    // A rough estimate flags the order and demand cards themselves.
    expect(within(screen.getByRole('group', { name: 'Order quantity' })).getByText('low confidence')).toBeTruthy();
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

  it('says why in words: groups summed, biggest first, signed units per period, at most six lines, raw names only under Advanced', async () => {
    const item = (feature: string, contribution: number, group: string, label: string, value?: number) => ({
      feature,
      contribution,
      group,
      label,
      unit: 'units/day',
      ...(value === undefined ? {} : { value }),
    });
    const explanation = [
      item('roll_mean_28', 4.1, 'recent_sales_28', 'average daily sales, last 4 weeks', 5.3),
      item('price_rel_28', -1.9, 'price', 'price vs usual price: -10%', 0.9),
      item('lag_14', 2.1, 'recent_sales_28', 'average daily sales, last 4 weeks', 7),
      item('promotion', 1.25, 'promotion', 'promotion', 1),
      item('day_of_week', -0.74, 'day_of_week', 'day of week (Saturday)', 5),
      item('event_name_1', 0.6, 'holiday', 'holiday or event: Christmas'),
      item('store', 0.3, 'store', 'this store'),
      item('price', -0.1, 'price', 'price vs usual price: -10%', 1.8),
      item('roll_std_7', 0.2, 'variability', 'how much daily sales vary', 1.1),
      item('category', -0.02, 'category', 'this category'),
      item('lag_364', 12.4, 'sales_last_year', 'sales on the same weekday last year', 30),
    ];
    const api = fakeApi({
      stores: async () => stores,
      products: async (s) => products(s),
      predictWithContext: async () => contextAnswer({ explanation }),
    });
    const user = await ready(api);
    await user.click(screen.getByRole('button', { name: 'Get recommendation' }));
    const group = await screen.findByRole('group', { name: 'Explanation' });
    const lines = () =>
      within(within(group).getByRole('list', { name: 'What moves the forecast' }))
        .getAllByRole('listitem')
        .map((li) => li.textContent);
    expect(lines()).toEqual([
      'sales on the same weekday last year+12 units/day',
      'average daily sales, last 4 weeks+6.2 units/day',
      'price vs usual price: -10%-2.0 units/day',
      'promotion+1.3 units/day',
      'day of week (Saturday)-0.7 units/day',
      'holiday or event: Christmas+0.6 units/day',
    ]);
    await user.click(within(group).getByRole('button', { name: 'Show details (3 more)' }));
    expect(lines().slice(6)).toEqual([
      'this store+0.3 units/day',
      'how much daily sales vary+0.2 units/day',
      'this categoryabout 0 units/day',
    ]);
    await user.click(within(group).getByRole('button', { name: 'Show fewer' }));
    expect(lines()).toHaveLength(6);
    // The model's own column names are only in the "Advanced" disclosure, closed until asked for.
    const advanced = group.querySelector('details')!;
    expect(advanced.open).toBe(false);
    expect(advanced.querySelector('summary')!.textContent).toBe('Advanced: model columns');
    const outside = [...group.childNodes]
      .filter((n) => n !== advanced)
      .map((n) => n.textContent)
      .join(' ');
    expect(outside).toContain('price vs usual price: -10%');
    expect(outside).not.toMatch(/lag_|roll_|dow_|price_rel|event_name|_/);
    expect(advanced.textContent).toContain('roll_mean_28');
    expect(advanced.textContent).toContain('value 0.9 · -1.900');
  });

  it('builds scenarios only from filled inputs', () => {
    expect(scenarioFrom('', '', false)).toBeUndefined();
    expect(scenarioFrom('5', '10', false)).toEqual([{ price_change_pct: 5, discount: 10 }]);
  });
});

describe('Smart Prediction page: fields, defaults, money and stale answers', () => {
  const smartApi = (over: Parameters<typeof fakeApi>[0] = {}) =>
    fakeApi({ stores: async () => stores, products: async (s) => products(s), predictWithContext: async () => contextAnswer(), ...over });

  it('highlights a wrong field with a sentence and does not ask; 0.95 in a percent field is questioned', async () => {
    const api = smartApi();
    const user = await ready(api);
    await user.type(screen.getByLabelText('Service level (%)'), '0.95');
    expect(screen.getByText('Service level is in percent: did you mean 95%? Type 95, not 0.95')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Get recommendation' })).toHaveProperty('disabled', true);
    await user.clear(screen.getByLabelText('Service level (%)'));
    await user.type(screen.getByLabelText('Service level (%)'), '120');
    expect(screen.getByText('Service level must be between 50 and 99.9%')).toBeTruthy();
    await user.clear(screen.getByLabelText('Service level (%)'));
    await user.type(screen.getByLabelText('Lead time (days)'), '-2');
    expect(screen.getByText('Lead time is in days, 0 or more')).toBeTruthy();
    expect(screen.getByLabelText('Lead time (days)').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('button', { name: 'Get recommendation' })).toHaveProperty('disabled', true);
    await user.clear(screen.getByLabelText('Lead time (days)'));
    await user.type(screen.getByLabelText('Service level (%)'), '97.5');
    await user.click(screen.getByRole('button', { name: 'Get recommendation' }));
    await screen.findByRole('group', { name: 'Recommendation' });
    expect(api.predictWithContext).toHaveBeenCalledWith({ store_id: 'S001', product_id: 'P0001', service_level: 97.5 });
  });

  it("fills empty fields with the buyer's defaults, shows their currency and 'unknown' money, never 0.00", async () => {
    const api = {
      ...smartApi({
        predictWithContext: async () =>
          contextAnswer({
            financial_impact: { ...contextAnswer().financial_impact, unit_cost: null, order_value: null, excess_stock_value: null },
          }),
      }),
      defaults: { leadTimeDays: 10, reviewDays: 3, serviceLevel: 98, currency: 'EUR' },
    };
    const user = await ready(api);
    expect(screen.getByLabelText('Lead time (days)').getAttribute('placeholder')).toBe('10 days (your default)');
    await user.type(screen.getByLabelText('Review period (days)'), '5');
    await user.click(screen.getByRole('button', { name: 'Get recommendation' }));
    await screen.findByRole('group', { name: 'Recommendation' });
    expect(api.predictWithContext).toHaveBeenCalledWith({
      store_id: 'S001',
      product_id: 'P0001',
      lead_time_days: 10,
      review_days: 5,
      service_level: 98,
    });
    expect(screen.getByText('Financial impact (EUR)')).toBeTruthy();
    const order = screen.getByRole('group', { name: 'Order value' });
    expect(within(order).getByText('unknown')).toBeTruthy();
    expect(order.textContent).toContain('unit cost unknown');
    expect(order.textContent).not.toMatch(/0\.00/);
  });

  it('says "Run again" once a field changes after the answer, and clears the old answer when a run fails', async () => {
    let fail = false;
    const api = smartApi({
      predictWithContext: async () => {
        if (fail)
          throw new ApiError(409, 'no_model', 'No trained model for store "S001" yet: POST /train_model first', { store_id: 'S001' });
        return contextAnswer();
      },
    });
    const user = await ready(api);
    await user.click(screen.getByRole('button', { name: 'Get recommendation' }));
    await screen.findByRole('group', { name: 'Recommendation' });
    expect(screen.queryByText(/Run again to apply the changes/)).toBeNull();
    await user.type(screen.getByLabelText('On order'), '5');
    expect(screen.getByText(/Run again to apply the changes/)).toBeTruthy();
    fail = true;
    await user.click(screen.getByRole('button', { name: 'Get recommendation' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('No forecast yet: go to Data & Training and train this store (S001).');
    expect(alert.textContent).not.toMatch(/POST|train_model/);
    expect(screen.queryByRole('group', { name: 'Recommendation' })).toBeNull();
  });

  it('explains when 7 x the per-day figure is not the next 7 days', async () => {
    const api = smartApi({
      predictWithContext: async () => contextAnswer({ demand_estimates: { ...contextAnswer().demand_estimates, daily: 2, weekly: 20 } }),
    });
    const user = await ready(api);
    await user.click(screen.getByRole('button', { name: 'Get recommendation' }));
    expect(await screen.findByText(/so they come to 20.0 rather than 7 × 2.0 = 14.0/)).toBeTruthy();
  });
});
