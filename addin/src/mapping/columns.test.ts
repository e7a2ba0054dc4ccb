import { describe, expect, it } from 'vitest';
import { planColumns } from '../../../service/src/ingest/headers';
import { cleanMapping, detectMapping, mappingProblems } from './columns';
import { csvLine, excelSerialToIso, isoToExcelSerial } from './csv';

const HEADER_SETS = [
  [
    'Date',
    'Store ID',
    'Product ID',
    'Category',
    'Region',
    'Inventory Level',
    'Units Sold',
    'Units Ordered',
    'Demand Forecast',
    'Price',
    'Discount',
    'Weather Condition',
    'Holiday/Promotion',
    'Competitor Pricing',
    'Seasonality',
  ],
  ['date', 'store_id', 'item_id', 'dept_id', 'sell_price', 'units'],
  ['STORE', 'UPC', 'WEEK', 'MOVE', 'PRICE', 'week_start'],
  ['InvoiceNo', 'StockCode', 'Quantity', 'InvoiceDate', 'UnitPrice', 'Country'],
  ['Day', 'Shop', 'SKU', 'Qty', 'Cost', 'Stock'],
];

describe('column pre-detection', () => {
  it.each(HEADER_SETS)('agrees with the service on %s…', (...headers) => {
    let service: Record<string, string> | null = null;
    try {
      service = planColumns(headers, undefined).columns as Record<string, string>;
    } catch {
      service = null; // the service needs a mapping for these headers: the pane must not claim more
    }
    const pane = detectMapping(headers);
    if (service) expect(pane).toEqual(service);
    else expect(mappingProblems(pane, headers).length).toBeGreaterThan(0);
  });

  it('reports missing required fields and a column used twice', () => {
    const problems = mappingProblems({ date: 'A', product_id: 'A' }, ['A', 'B']).map((p) => p.message);
    expect(problems).toContain('Choose the column for units sold.');
    expect(problems.some((p) => p.includes('"A" already feeds date'))).toBe(true);
    expect(cleanMapping({ date: 'A', price: '' as string })).toEqual({ date: 'A' });
  });
});

describe('CSV for upload', () => {
  it('quotes what needs quoting and writes Excel serials in date columns as ISO days', () => {
    const serial = isoToExcelSerial('2025-03-01');
    expect(excelSerialToIso(serial)).toBe('2025-03-01');
    expect(isoToExcelSerial('1900-03-01')).toBe(61);
    expect(csvLine([serial, 'a,b', 'say "hi"', null, true, 3.5, ' pad'], new Set([0]))).toBe(
      '2025-03-01,"a,b","say ""hi""",,TRUE,3.5," pad"',
    );
    // numbers outside the date column stay numbers
    expect(csvLine([serial, serial], new Set([0]))).toBe(`2025-03-01,${serial}`);
  });
});
