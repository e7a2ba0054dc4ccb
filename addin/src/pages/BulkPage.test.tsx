// @vitest-environment jsdom
// Long file: the Bulk page is the buyer's main page; its tests (plan, sheets, budget, supplier, sorting, errors) share one fake API and its fixtures.
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { deferred } from '../testing/dom';
import type { BulkPredictResponse } from '../../../shared/schemas';
import { basis, bulkAnswer, contextAnswer, fakeApi, fakeHost, lowBasis, stores } from '../testing/fixtures';
import { BulkPage, NARROW_PANE, sortPredictions } from './BulkPage';

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
    expect(within(screen.getByRole('group', { name: 'Order value' })).getByText('210.50 USD')).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Order value' }).textContent).toContain('70 units to order now');
    expect(productColumn()).toEqual(['P0003', 'P0001', 'P0002']);
    expect(api.bulkPredict).toHaveBeenCalledWith({ store_id: 'S001', horizon_days: 7, save: true }); // saved: it may be written to a sheet and ordered on

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
    for (const text of ['Projections', 'Order (money in USD)', 'Last 4 weeks', 'Next 91 days', 'Revenue at risk', 'Last week']) {
      expect(within(detail).getAllByText(text).length).toBeGreaterThan(0);
    }
    // Periods named, and per day x 7 is the next 7 days on the same card: 20 / 7 = 2.86 a day.
    expect(within(detail).getByText('Per day (average)').nextSibling?.textContent).toBe('2.86');
    expect(within(detail).getByText('Next 7 days').nextSibling?.textContent).toBe('20.0');
    expect(within(detail).queryByText(/rather than 7 ×/)).toBeNull();
    // Whole units for the reorder point and the safety stock.
    expect(within(detail).getByText('Reorder point (units)').nextSibling?.textContent).toBe('12');
    expect(within(detail).getByText('Expected revenue, over lead time + review').nextSibling?.textContent).toBe('60.00');
    await user.click(within(detail).getByRole('button', { name: 'Explain this prediction' }));
    expect(await within(detail).findByRole('group', { name: 'Explanation' })).toBeTruthy();
    expect(api.predictWithContext).toHaveBeenCalledWith({ store_id: 'S001', product_id: 'P0001', date: '2025-07-01' });
  });

  it("names each product beside its id: in the list, in its expanded row and in both sheets' Product name column", async () => {
    const host = fakeHost('excel');
    const api = fakeApi({ stores: async () => stores, bulkPredict: async () => bulkAnswer() });
    const user = await runFor(api, host);
    await screen.findByRole('table', { name: 'Products' });
    // P0002 has no name (null), P0003 comes from a service older than names (absent): the id alone.
    expect(['P0001', 'P0002', 'P0003'].map((id) => cellsOf(id)[1])).toEqual(['P0001 · Orange juice 1l', 'P0002', 'P0003']);
    await user.click(screen.getByRole('button', { name: 'Details of P0001' }));
    expect(within(screen.getByRole('group', { name: 'Details of P0001' })).getByText('P0001 · Orange juice 1l')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Write to sheets' }));
    await waitFor(() => expect(host.writeSheets).toHaveBeenCalled());
    const [specs] = host.writeSheets.mock.calls[0] as [{ columns: { header: string }[]; rows: unknown[][] }[]];
    for (const spec of specs) {
      const [id, name] = ['Product', 'Product name'].map((h) => spec.columns.findIndex((c) => c.header === h));
      expect(name).toBeGreaterThan(id);
      expect(Object.fromEntries(spec.rows.map((r) => [r[id], r[name]]))).toMatchObject({ P0001: 'Orange juice 1l', P0003: null });
    }
  });

  it('writes the plan, the reorder sheet and the header block inside Excel ("Write to sheets")', async () => {
    const host = fakeHost('excel');
    const api = fakeApi({ stores: async () => stores, bulkPredict: async () => bulkAnswer() });
    const user = await runFor(api, host);
    await user.click(await screen.findByRole('button', { name: 'Write to sheets' }));
    await waitFor(() => expect(host.writeSheets).toHaveBeenCalled());
    const [specs, stem] = host.writeSheets.mock.calls[0];
    expect(specs.map((s: { sheetName: string }) => s.sheetName)).toEqual(['Bulk Predictions S001', 'Reorder Plan S001']);
    expect(stem).toBe('bulk-predictions-S001-2025-07-01');
    for (const spec of specs) {
      expect(Object.fromEntries(spec.header)).toMatchObject({
        Store: 'S001',
        'Planning day': '2025-07-01',
        Horizon: '7 days (2025-07-01 to 2025-07-07)',
        'Lead time': "each product's own from the data, else the service's default",
        'Service level': "the service's default",
        Model: 'store:S001@1',
        Basis: 'forecasting model trained on this store: 3 products · confidence: 3 normal',
        Currency: 'USD',
      });
    }
    expect(await screen.findByText('Written Bulk Predictions S001, Reorder Plan S001')).toBeTruthy();
  });

  it('plans the order within a budget: what to buy first, what it spends and leaves short, and writes the ranked list', async () => {
    const host = fakeHost('excel');
    const purchase = {
      store_ids: ['S001'],
      prediction_date: '2025-07-01',
      currency: 'USD',
      budget: 100,
      capacity_units: null,
      spend: 96,
      units: 48,
      unconstrained_spend: 210.5,
      expected_units_short: 12.4,
      expected_units_short_unconstrained: 3.1,
      lines: [
        {
          rank: 1,
          store_id: 'S001',
          product_id: 'P0003',
          product_name: null,
          units: 24,
          cost: 48,
          units_saved: 20.5,
          margin_saved: 61.5,
          value_per_money: 1.28,
          cumulative_cost: 48,
          cumulative_units: 24,
        },
        {
          rank: 2,
          store_id: 'S001',
          product_id: 'P0001',
          product_name: 'Orange juice 1l',
          units: 24,
          cost: 48,
          units_saved: 15,
          margin_saved: 30,
          value_per_money: 0.63,
          cumulative_cost: 96,
          cumulative_units: 48,
        },
      ],
      orders: [
        { store_id: 'S001', product_id: 'P0003', product_name: null, order_quantity: 24, unconstrained_order_quantity: 40 },
        { store_id: 'S001', product_id: 'P0001', product_name: 'Orange juice 1l', order_quantity: 24, unconstrained_order_quantity: 30 },
      ],
      unranked: [{ store_id: 'S001', product_id: 'P0002', reason: 'no unit cost' }],
      not_planned: [],
    };
    const api = fakeApi({ stores: async () => stores, bulkPredict: async () => bulkAnswer(), purchasePlan: async () => purchase });
    const user = await runFor(api, host);
    const group = await screen.findByRole('group', { name: 'Order within a budget' });
    await user.type(within(group).getByLabelText('Budget (USD)'), '100');
    await user.click(within(group).getByRole('button', { name: 'Plan within budget' }));
    await waitFor(() =>
      expect(api.purchasePlan).toHaveBeenCalledWith({ store_id: 'S001', prediction_date: '2025-07-01', horizon_days: 7, budget: 100 }),
    );
    expect(
      await within(group).findByText(/Buy 48 units of 2 products for 96.00 USD, the most useful first. Expected to run short by 12 units/),
    ).toBeTruthy();
    expect(within(group).getByText(/Not bought, no unit cost or price to rank them by: P0002/)).toBeTruthy();
    await user.click(within(group).getByRole('button', { name: 'Write the purchase plan' }));
    await waitFor(() => expect(host.writeSheets).toHaveBeenCalled());
    const [[sheet]] = host.writeSheets.mock.calls[0];
    expect(sheet.sheetName).toBe('Purchase Plan S001');
    expect(sheet.rows.map((r: unknown[]) => [r[0], r[1], r[2], r[4], r[6]])).toEqual([
      [1, 'S001', 'P0003', 24, 48],
      [2, 'S001', 'P0001', 24, 96],
    ]);
  });

  it("saves a product's supplier details from its row: only the fields filled in, checked first", async () => {
    const api = fakeApi({
      stores: async () => stores,
      bulkPredict: async () => bulkAnswer(),
      setSupplier: async (storeId, productId, request) => ({
        store_id: storeId,
        product_id: productId,
        lead_time_days: request.lead_time_days ?? null,
        lead_time_sd_days: request.lead_time_sd_days ?? null,
        pack_size: request.pack_size ?? null,
        min_order_qty: null,
        unit_cost: null,
        supplier_id: request.supplier_id ?? null,
      }),
    });
    const user = await runFor(api);
    await screen.findByRole('table', { name: 'Products' });
    await user.click(screen.getByRole('button', { name: 'Details of P0001' }));
    const form = within(screen.getByRole('group', { name: 'Details of P0001' })).getByRole('group', { name: 'Supplier' });
    const save = within(form).getByRole('button', { name: 'Save supplier details' });
    expect(save).toHaveProperty('disabled', true);
    await user.type(within(form).getByLabelText('Lead time (days)'), '2.5');
    expect(within(form).getByText('Whole days, 0 to 365')).toBeTruthy();
    await user.clear(within(form).getByLabelText('Lead time (days)'));
    await user.type(within(form).getByLabelText('Lead time (days)'), '6');
    await user.type(within(form).getByLabelText('Give or take (days)'), '2');
    await user.type(within(form).getByLabelText('Pack size'), '12');
    await user.type(within(form).getByLabelText('Supplier'), 'ACME');
    await user.click(save);
    await waitFor(() =>
      expect(api.setSupplier).toHaveBeenCalledWith('S001', 'P0001', {
        lead_time_days: 6,
        lead_time_sd_days: 2,
        pack_size: 12,
        supplier_id: 'ACME',
      }),
    );
    expect(await within(form).findByText('Saved. Run the predictions again to plan with them.')).toBeTruthy();
  });

  it('offers one "Download" in a browser: the same two sheets, no second export of another run', async () => {
    const host = fakeHost('browser');
    const api = fakeApi({ stores: async () => stores, bulkPredict: async () => bulkAnswer() });
    const user = await runFor(api, host);
    await user.click(await screen.findByRole('button', { name: 'Download' }));
    await waitFor(() => expect(host.writeSheets).toHaveBeenCalled());
    expect(host.writeSheets.mock.calls[0][0].map((s: { sheetName: string }) => s.sheetName)).toEqual([
      'Bulk Predictions S001',
      'Reorder Plan S001',
    ]);
    expect(screen.queryByRole('button', { name: /Export|Write to sheet/ })).toBeNull();
    expect(api.bulkExport).not.toHaveBeenCalled();
    expect(api.bulkPredict).toHaveBeenCalledTimes(1); // the download is the plan on screen, not a new run
  });

  it("shows the service's error as a sentence with what to do, never its HTTP path", async () => {
    const api = fakeApi({
      stores: async () => stores,
      bulkPredict: async () => {
        throw new ApiError(409, 'no_model', 'No trained model for store "S001" yet: POST /train_model first', { store_id: 'S001' });
      },
    });
    await runFor(api);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Bulk prediction failed');
    expect(alert.textContent).toContain('No forecast yet: go to Data & Training and train this store (S001).');
    expect(alert.textContent).not.toMatch(/POST|\/train_model/);
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
    // The cards say how many of their products are rough estimates or without a forecast.
    expect(screen.getByRole('group', { name: 'Products' }).textContent).toContain(
      '1 rough estimate (low confidence), 1 without a forecast',
    );
    expect(screen.getByRole('group', { name: 'Low' }).textContent).toContain('1 rough estimate (low confidence)');
    expect(within(screen.getByRole('group', { name: 'Low' })).getByText('low confidence')).toBeTruthy(); // the card's flag
    expect(screen.getByRole('group', { name: 'Critical' }).textContent).not.toMatch(/rough estimate/);
    expect(screen.getByRole('group', { name: 'Order value' }).textContent).toContain('1 without a forecast: no order');
    expect(screen.getByRole('row', { name: 'Note on P0004' }).textContent).toBe(NO_FORECAST);
    expect(cellsOf('P0001')).toEqual(['▸', 'P0001 · Orange juice 1l low confidence', 'LOW', '10', '20.0', '20', '60.50', '8.25', '3.5']);
    expect(cellsOf('P0003')[1]).toBe('P0003'); // a normal forecast carries no flag
    expect(screen.queryByRole('row', { name: 'Note on P0001' })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Details of P0004' }));
    const detail = screen.getByRole('group', { name: 'Details of P0004' });
    expect(within(detail).getByRole('group', { name: 'No forecast: too little history' }).textContent).toContain(NO_FORECAST);
    expect(within(detail).getByText('Range, next 7 days').nextSibling?.textContent).toBe('—');
    expect(within(detail).getByText('Next 7 days').nextSibling?.textContent).toBe('—');
    expect(within(detail).getByText('Reorder point (units)').nextSibling?.textContent).toBe('—');
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

describe('Bulk Predictions page: one plan, one download', () => {
  it('says "Run again" when a field changed since the run, and holds the download back until it is run again', async () => {
    const host = fakeHost('browser');
    const api = fakeApi({ stores: async () => stores, bulkPredict: async () => bulkAnswer() });
    const user = await runFor(api, host);
    const download = await screen.findByRole('button', { name: 'Download' });
    expect(download).toHaveProperty('disabled', false);
    await user.type(screen.getByLabelText('Lead time (days)'), '3');
    expect(screen.getByText(/Run again to apply the changes/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download' })).toHaveProperty('disabled', true);
    // Back to the values of the run: nothing to run again.
    await user.clear(screen.getByLabelText('Lead time (days)'));
    expect(screen.queryByText(/Run again to apply the changes/)).toBeNull();
    await user.type(screen.getByLabelText('Lead time (days)'), '3');
    await user.click(screen.getByRole('button', { name: 'Run predictions' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Download' })).toHaveProperty('disabled', false));
    expect(api.bulkPredict).toHaveBeenLastCalledWith({ store_id: 'S001', horizon_days: 7, lead_time_days: 3, save: true });
    await user.click(screen.getByRole('button', { name: 'Download' }));
    await waitFor(() => expect(host.writeSheets).toHaveBeenCalled());
    expect(Object.fromEntries(host.writeSheets.mock.calls[0][0][0].header)['Lead time']).toBe('3 days');
  });

  it('clears the old plan when a run fails', async () => {
    let fail = false;
    const api = fakeApi({
      stores: async () => stores,
      bulkPredict: async () => {
        if (fail) throw new ApiError(0, 'network', 'Cannot reach the service at http://svc: Failed to fetch');
        return bulkAnswer();
      },
    });
    const user = await runFor(api);
    await screen.findByRole('table', { name: 'Products' });
    fail = true;
    await user.click(screen.getByRole('button', { name: 'Run predictions' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Check the service URL in Settings, and that the service is running.');
    expect(screen.queryByRole('table', { name: 'Products' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Download' })).toBeNull();
  });

  it('checks the fields on the spot: the field highlighted, a sentence, and no run', async () => {
    const api = fakeApi({ stores: async () => stores, bulkPredict: async () => bulkAnswer() });
    const user = userEvent.setup();
    render(<BulkPage api={api} host={fakeHost()} />);
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Store' })).toHaveProperty('value', 'S001'));
    await user.type(screen.getByLabelText('Service level (%)'), '1');
    expect(screen.getByText(/^Service level is in percent: 1 would be 1%/)).toBeTruthy();
    expect(screen.getByLabelText('Service level (%)').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('button', { name: 'Run predictions' })).toHaveProperty('disabled', true);
    await user.clear(screen.getByLabelText('Service level (%)'));
    await user.clear(screen.getByLabelText('Horizon (days)'));
    await user.type(screen.getByLabelText('Horizon (days)'), '0');
    expect(screen.getByText('Horizon is in whole days, from 1 to 180')).toBeTruthy();
    await user.type(screen.getByLabelText('Review period (days)'), '-1');
    expect(screen.getByText('Review period is in days, 0 or more')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Run predictions' })).toHaveProperty('disabled', true);
    expect(api.bulkPredict).not.toHaveBeenCalled();
  });

  it("fills empty fields with the buyer's defaults and records them, with their currency, in the header block", async () => {
    const host = fakeHost('excel');
    const api = {
      ...fakeApi({ stores: async () => stores, bulkPredict: async () => bulkAnswer() }),
      defaults: { leadTimeDays: 5, reviewDays: 2, serviceLevel: 97, currency: 'EUR' },
    };
    const user = await runFor(api, host);
    expect(api.bulkPredict).toHaveBeenCalledWith({
      store_id: 'S001',
      horizon_days: 7,
      lead_time_days: 5,
      review_days: 2,
      service_level: 97,
      save: true,
    });
    expect(within(screen.getByRole('group', { name: 'Order value' })).getByText('210.50 EUR')).toBeTruthy();
    expect(screen.getByLabelText('Service level (%)').getAttribute('placeholder')).toBe('97% (your default)');
    await user.click(screen.getByRole('button', { name: 'Write to sheets' }));
    await waitFor(() => expect(host.writeSheets).toHaveBeenCalled());
    expect(Object.fromEntries(host.writeSheets.mock.calls[0][0][0].header)).toMatchObject({
      'Lead time': '5 days',
      'Review period': '2 days',
      'Service level': '97%',
      Currency: 'EUR',
    });
  });

  it('shows the value of an order without a unit cost as "unknown", never 0.00 in the total', async () => {
    const plan = bulkAnswer();
    plan.predictions[1] = { ...plan.predictions[1], order_value: null };
    const api = fakeApi({ stores: async () => stores, bulkPredict: async () => plan });
    await runFor(api);
    await screen.findByRole('table', { name: 'Products' });
    expect(cellsOf('P0001')[6]).toBe('unknown');
    const card = screen.getByRole('group', { name: 'Order value' });
    expect(within(card).getByText('150.00 USD + unknown')).toBeTruthy();
    expect(card.textContent).toContain('1 product to order has no unit cost: not in the total');

    cleanup();
    const none = bulkAnswer();
    none.predictions = none.predictions.map((p) => ({ ...p, order_value: p.order_quantity > 0 ? null : 0 }));
    await runFor(fakeApi({ stores: async () => stores, bulkPredict: async () => none }));
    await screen.findByRole('table', { name: 'Products' });
    const unknown = screen.getByRole('group', { name: 'Order value' });
    expect(within(unknown).getByText('unknown')).toBeTruthy();
    expect(unknown.textContent).not.toMatch(/0\.00/);
  });
});

describe('Bulk Predictions page in a narrow pane', () => {
  const wide = window.matchMedia;
  const narrow = () => {
    window.matchMedia = ((query: string) => ({
      ...wide(query),
      matches: query === NARROW_PANE,
      media: query,
    })) as typeof window.matchMedia;
  };
  afterEach(() => {
    window.matchMedia = wide;
  });

  it('shows product, status, order and value in the row, the rest in the expanded row, all by keyboard', async () => {
    narrow();
    const api = fakeApi({ stores: async () => stores, bulkPredict: async () => bulkAnswer() });
    const user = await runFor(api);
    const table = await screen.findByRole('table', { name: 'Products' });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual(['', 'Product', 'Status', 'Order', 'Value (USD)']);
    expect(cellsOf('P0001')).toEqual(['▸', 'P0001 · Orange juice 1l', 'LOW', '20', '60.50']);

    // Keyboard: from the row's button, Enter opens the row; its figures include the columns left out.
    const details = screen.getByRole('button', { name: 'Details of P0001' });
    details.focus();
    await user.keyboard('{Enter}');
    const rest = within(screen.getByRole('group', { name: 'Details of P0001' })).getByRole('group', { name: 'Stock and demand' });
    expect(rest.textContent).toContain('Stock on hand10');
    expect(rest.textContent).toContain('Demand, next 7 days20.0');
    expect(rest.textContent).toContain('Revenue at risk8.25');
    expect(rest.textContent).toContain('Days of cover3.5');

    // Every column header sorts by keyboard.
    const order = within(table).getByRole('columnheader', { name: 'Order' });
    const sortButton = within(order).getByRole('button');
    sortButton.focus();
    await user.keyboard('{Enter}');
    await user.keyboard('{Enter}');
    expect(productColumn()).toEqual(['P0002', 'P0001', 'P0003']);
  });
});

describe('Bulk Predictions page with demo data', () => {
  it('says so in a banner and removes the demo data on request', async () => {
    let demo = true;
    const api = {
      ...fakeApi({
        stores: async () => ({ stores: stores.stores.map((s) => ({ ...s, demo })) }),
        bulkPredict: async () => bulkAnswer(),
      }),
      removeDemo: vi.fn(async () => {
        demo = false;
        return { stores: ['S001', 'S002'], removed: { sales_rows: 2000, products: 10, models: 2, jobs: 1 } };
      }),
    };
    const user = userEvent.setup();
    render(<BulkPage api={api} host={fakeHost()} />);
    const banner = await screen.findByRole('region', { name: 'Demo data' });
    expect(banner.textContent).toContain('Stores S001, S002 hold generated sales, not yours');
    await user.click(within(banner).getByRole('button', { name: 'Remove demo data' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Demo data' })).toBeNull());
    expect(api.removeDemo).toHaveBeenCalledTimes(1);
  });
});
