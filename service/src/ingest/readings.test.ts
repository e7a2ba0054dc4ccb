// Buyers' real files read right: money is not units, net over gross, returns, store-level files, totals, closed days.
import { describe, expect, it } from 'vitest';
import { parseCsv, rejection } from './testing';

describe('money is not units', () => {
  it.each(['Sales', 'Weekly_Sales', 'Revenue', 'Amount', 'Umsatz', 'Turnover', 'Net sales'])(
    'refuses "%s" without units, offering the three choices',
    async (money) => {
      const e = await rejection(parseCsv(`Date,Store,${money}\n2024-01-01,1,100\n2024-01-02,1,120\n`), 422, 'money_not_units');
      expect(e.message).toContain(`"${money}" holds money (sales value)`);
      expect(e.message).toContain('mapping {"units_sold": "<your units column>"}');
      expect(e.message).toMatch(/needs a price column.*units_from=sales_value/);
      expect(e.message).toContain(`mapping {"units_sold": "${money}"}`);
      expect(e.message).toMatch(/in money, not units/);
      expect(e.details).toMatchObject({ missing: ['units_sold'], money_column: money, price_column: null });
    },
  );

  it('offers units_from=sales_value by name when there is a price, and derives units with it', async () => {
    const csv = 'Date,SKU,Revenue,Price\n2024-01-01,A,100,2\n2024-01-02,A,120,3\n';
    const e = await rejection(parseCsv(csv), 422, 'money_not_units');
    expect(e.message).toContain('derive units per row as "Revenue" / "Price": send units_from=sales_value');
    const parsed = await parseCsv(csv, { unitsFrom: 'sales_value' });
    expect(parsed.records.map((r) => r.unitsSold)).toEqual([50, 40]);
    expect(parsed.columns).toMatchObject({ sales_value: 'Revenue', price: 'Price' });
    expect(parsed.warnings.join(' ')).toMatch(/derived per row as "Revenue" \/ "Price" \(units_from=sales_value\)/);
  });

  it('names the rows without a price when deriving units', async () => {
    const csv = 'Date,SKU,Revenue,Price\n2024-01-01,A,100,2\n2024-01-02,A,120,\n';
    const e = await rejection(parseCsv(csv, { unitsFrom: 'sales_value' }), 422, 'invalid_value');
    expect(e.message).toMatch(/Column "Price" has no usable price .* row 3/);
  });

  it('honours money mapped as the quantity on purpose, with a warning', async () => {
    const parsed = await parseCsv('Date,Store,Weekly_Sales\n2024-01-01,1,100\n2024-01-02,1,120\n', {
      mapping: { units_sold: 'Weekly_Sales' },
    });
    expect(parsed.records.map((r) => r.unitsSold)).toEqual([100, 120]);
    expect(parsed.warnings.join(' ')).toMatch(/units_sold is read from "Weekly_Sales", which holds money.*in money, not units/);
  });

  it('keeps a money column next to units as an extra column, never as units', async () => {
    const parsed = await parseCsv('Date,SKU,Units,Sales\n2024-01-01,A,4,10\n');
    expect(parsed.records[0]).toMatchObject({ unitsSold: 4, extra: { Sales: 10 } });
  });
});

describe('net and gross quantities', () => {
  it.each([
    ['Qty', 'Net_Qty'],
    ['Quantity', 'Net Quantity'],
  ])('reads %s / %s from the net column and says so; a day of only returns is 0 units', async (gross, net) => {
    const parsed = await parseCsv(`Date,SKU,${gross},${net}\n2024-01-01,A,5,3\n2024-01-02,A,0,-3\n2024-01-03,A,0,-1\n`);
    expect(parsed.columns.units_sold).toBe(net);
    expect(parsed.records.map((r) => r.unitsSold)).toEqual([3, 0, 0]);
    const text = parsed.warnings.join(' ');
    expect(text).toContain(`Units sold were read from "${net}" (net of returns); the gross quantity "${gross}" was not used as units.`);
    expect(text).toContain(`2 rows had negative units in "${net}" (returns)`);
    expect(text).toContain('2 dates had more returns than sales and are stored as 0 units sold (returns are not demand).');
  });

  it('subtracts returns from the same day sales before clipping at 0', async () => {
    const parsed = await parseCsv('Date,SKU,Units\n2024-01-01,A,5\n2024-01-01,A,-2\n2024-01-02,A,1\n2024-01-02,A,-4\n');
    expect(parsed.records.map((r) => r.unitsSold)).toEqual([3, 0]);
    expect(parsed.warnings.join(' ')).toMatch(/1 date had more returns than sales/);
  });
});

describe('store-level files', () => {
  it('reads a file without a product column as one product per store, named by the store id', async () => {
    const parsed = await parseCsv('Date,Store,Units\n2024-01-01,1,5\n2024-01-01,2,3\n2024-01-02,1,4\n');
    expect(parsed.records.map((r) => [r.storeId, r.productId, r.unitsSold])).toEqual([
      ['1', '1', 5],
      ['1', '1', 4],
      ['2', '2', 3],
    ]);
    expect(parsed.warnings.join(' ')).toMatch(
      /no product column: it was read as store-level sales, one product per store, whose product id is the store id/,
    );
  });

  it('accepts one column mapped as both store and product', async () => {
    const parsed = await parseCsv('Date,Store,Units\n2024-01-01,1,5\n', { mapping: { store_id: 'Store', product_id: 'Store' } });
    expect(parsed.records[0]).toMatchObject({ storeId: '1', productId: '1', unitsSold: 5 });
    expect(parsed.columns).toMatchObject({ store_id: 'Store', product_id: 'Store' });
    expect(parsed.warnings.join(' ')).toMatch(/product_id and store_id are both read from "Store"/);
  });

  it('refuses a file that holds unnamed products (two rows for one store and date), naming the rows', async () => {
    const e = await rejection(parseCsv('Date,Store,Dept,Units\n2024-01-01,1,A,5\n2024-01-01,1,B,3\n'), 422, 'missing_columns');
    expect(e.message).toMatch(/1 row repeats a store and date already in the file: row 3 \("store 1 on 2024-01-01"\)/);
    expect(e.message).toContain('mapping {"product_id": "Dept"}');
  });
});

describe('total rows', () => {
  it.each(['Total', 'SUBTOTAL', 'Grand total', 'Gesamt', 'summe', 'Totals', 'A Total'])('skips a "%s" row', async (label) => {
    const parsed = await parseCsv(`Date,Store,Product,Units\n2024-01-01,1,A,5\n2024-01-01,1,B,3\n2024-01-01,1,${label},8\n`);
    expect(parsed.records.map((r) => r.productId)).toEqual(['A', 'B']);
    expect(parsed.rowsRead).toBe(3);
    expect(parsed.warnings.join(' ')).toContain(`1 row is a total or subtotal, not sales (row 4 ("${label}") in "Product")`);
  });

  it('skips totals in the store column and ones without a date, naming each row', async () => {
    const csv = 'Date,Store,Product,Units\n2024-01-01,1,A,5\n2024-01-01,Total,,5\n,,Grand Total,5\n';
    const parsed = await parseCsv(csv);
    expect(parsed.records).toHaveLength(1);
    expect(parsed.warnings.join(' ')).toMatch(/2 rows are totals or subtotals, not sales \(row 3 \("Total"\) and row 4 \("Grand Total"\)/);
  });

  it('keeps products whose names merely contain the word', async () => {
    const parsed = await parseCsv('Date,Product,Units\n2024-01-01,Total Care 500ml,5\n2024-01-01,Summer Hat,1\n');
    expect(parsed.records.map((r) => r.productId)).toEqual(['Summer Hat', 'Total Care 500ml']);
  });
});

describe('closed days', () => {
  it('stores Open = 0 days as closed, with their units as given', async () => {
    const csv = 'Store,DayOfWeek,Date,Units,Open,Promo\n1,1,2024-01-01,0,0,0\n1,2,2024-01-02,50,1,1\n';
    const parsed = await parseCsv(csv);
    expect(parsed.columns.open).toBe('Open');
    expect(parsed.records.map((r) => [r.date, r.unitsSold, r.closed])).toEqual([
      ['2024-01-01', 0, true],
      ['2024-01-02', 50, false],
    ]);
    expect(parsed.warnings.join(' ')).toMatch(/1 day is marked closed in "Open": stored as closed, with units as given/);
  });

  it('reads a Closed column and a status column of open / closed words', async () => {
    const closedCol = await parseCsv('Date,SKU,Units,Closed\n2024-01-01,A,0,1\n2024-01-02,A,4,0\n');
    expect(closedCol.records.map((r) => r.closed)).toEqual([true, false]);
    const status = await parseCsv('Date,SKU,Units,Status\n2024-01-01,A,0,Closed\n2024-01-02,A,4,open\n');
    expect(status.columns.open).toBe('Status');
    expect(status.records.map((r) => r.closed)).toEqual([true, false]);
    // A status column that is about something else stays an extra column.
    const other = await parseCsv('Date,SKU,Units,Status\n2024-01-01,A,0,active\n');
    expect(other.records[0]).toMatchObject({ extra: { Status: 'active' } });
    expect(other.records[0].closed).toBeUndefined();
  });

  it('names the rows of an Open column that says neither', async () => {
    const e = await rejection(parseCsv('Date,SKU,Units,Open\n2024-01-01,A,0,maybe\n'), 422, 'invalid_value');
    expect(e.message).toMatch(/Column "Open" has values that say neither open nor closed in row 2 \("maybe"\)/);
  });
});
