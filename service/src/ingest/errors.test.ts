// Small hand-made bad files: each must fail with the right status, code and a message naming column and rows.
import { describe, expect, it } from 'vitest';
import { parseSalesFile } from './index';
import { parseCsv, rejection } from './testing';

describe('file type', () => {
  it('rejects .xls with advice to save as .xlsx', async () => {
    const e = await rejection(parseSalesFile({ filename: 'Sales.XLS', data: Buffer.from('x') }), 415, 'unsupported_file_type');
    expect(e.message).toMatch(/save as \.xlsx/);
  });

  it('rejects other extensions listing the accepted types', async () => {
    const e = await rejection(parseSalesFile({ filename: 'sales.json', data: Buffer.from('{}') }), 415, 'unsupported_file_type');
    expect(e.message).toContain('.csv, .csv.gz or .xlsx');
  });

  it('accepts extensions in any case', async () => {
    const parsed = await parseSalesFile({ filename: 'SALES.CSV', data: Buffer.from('date,sku,qty\n2022-01-01,A,1\n') });
    expect(parsed.records).toHaveLength(1);
  });

  it('rejects binary bytes named .csv', async () => {
    const e = await rejection(parseCsv(Buffer.from([0x64, 0x61, 0x00, 0x01, 0xff, 0x00])), 415, 'unsupported_file_type');
    expect(e.message).toMatch(/binary/);
  });

  it('recognises a workbook renamed to .csv', async () => {
    const e = await rejection(parseCsv(Buffer.from('PK\x03\x04rest-of-zip', 'latin1')), 415, 'unsupported_file_type');
    expect(e.message).toMatch(/ZIP.*xlsx/);
  });

  it('rejects text named .xlsx', async () => {
    await rejection(parseSalesFile({ filename: 'a.xlsx', data: Buffer.from('date,sku,qty\n') }), 415, 'unsupported_file_type');
  });
});

describe('empty files', () => {
  it('rejects a file with no bytes', async () => {
    await rejection(parseCsv(''), 422, 'empty_file');
  });

  it('rejects a file of blank lines', async () => {
    await rejection(parseCsv('\n\r\n  \n'), 422, 'empty_file');
  });

  it('rejects a header without data', async () => {
    const e = await rejection(parseCsv('Date,Store,SKU,Units\n'), 422, 'empty_file');
    expect(e.message).toMatch(/no data rows/);
  });
});

describe('headers', () => {
  it('names what is missing and the headers the file has', async () => {
    const e = await rejection(parseCsv('Date,Store,SKU,Demand Forecast\n2022-01-01,S1,A,5\n'), 422, 'missing_columns');
    expect(e.message).toMatch(/no column for units_sold/);
    expect(e.message).toContain('"Demand Forecast"');
    expect(e.details).toEqual({ missing: ['units_sold'], headers: ['Date', 'Store', 'SKU', 'Demand Forecast'] });
  });

  it('rejects duplicate headers, ignoring case and spaces', async () => {
    const e = await rejection(parseCsv('Date,SKU,Units, date \n2022-01-01,A,1,x\n'), 422, 'duplicate_header');
    expect(e.message).toMatch(/"date" appears more than once \(columns A and D\)/);
  });

  it('rejects a mapping to a header the file lacks', async () => {
    const e = await rejection(parseCsv('Day,SKU,Qty\n2022-01-01,A,1\n', { mapping: { units_sold: 'Units' } }), 422, 'invalid_mapping');
    expect(e.message).toMatch(/units_sold to "Units".*"Day", "SKU", "Qty"/);
  });

  it('rejects a mapping key that is not a canonical field', async () => {
    const mapping = { quantity: 'Qty' } as unknown as Record<string, string>;
    const e = await rejection(parseCsv('Day,SKU,Qty\n2022-01-01,A,1\n', { mapping }), 422, 'invalid_mapping');
    expect(e.message).toMatch(/"quantity", which is not one of our fields/);
  });

  it('rejects a mapping that sends two fields to one column', async () => {
    const e = await rejection(
      parseCsv('Day,SKU,Qty\n2022-01-01,A,1\n', { mapping: { units_sold: 'Qty', inventory_level: 'qty' } }),
      422,
      'invalid_mapping',
    );
    expect(e.message).toMatch(/both units_sold and inventory_level/);
  });
});

describe('dates', () => {
  it('names the column, rows and values of unreadable dates', async () => {
    const csv = 'Date,SKU,Units\n2022-01-01,A,1\n31-31-2022,A,2\n2022-02-30,A,3\nabc,A,4\n,A,5\n';
    const e = await rejection(parseCsv(csv), 422, 'invalid_date');
    expect(e.message).toMatch(
      /Column "Date" has dates that cannot be read in row 3 \("31-31-2022"\), row 4 \("2022-02-30"\), row 5 \("abc"\) and row 6 \(empty\)\./,
    );
    expect(e.details).toEqual({ column: 'Date', rows: [3, 4, 5, 6], values: ['31-31-2022', '2022-02-30', 'abc', '(empty)'], count: 4 });
  });

  it('rejects 31-02-2022 once the column is known to be DMY', async () => {
    const e = await rejection(parseCsv('Date,SKU,Units\n13-01-2022,A,1\n31-02-2022,A,2\n'), 422, 'invalid_date');
    expect(e.details).toMatchObject({ rows: [3], values: ['31-02-2022'] });
  });

  it('rejects a column mixing day-first and month-first dates', async () => {
    const e = await rejection(parseCsv('Date,SKU,Units\n13-01-2022,A,1\n01-13-2022,A,2\n'), 422, 'invalid_date');
    expect(e.message).toMatch(/mixes day-first dates \(row 2: "13-01-2022"\) and month-first dates \(row 3: "01-13-2022"\)/);
  });

  it('asks for date_format when nothing decides the order', async () => {
    const e = await rejection(parseCsv('Date,SKU,Units\n03-04-2022,A,1\n03-04-2022,B,2\n'), 422, 'ambiguous_date');
    expect(e.message).toMatch(/Column "Date".*"03-04-2022" \(row 2\).*date_format=DMY or date_format=MDY/);
  });

  it('follows a forced order', async () => {
    const dmy = await parseCsv('Date,SKU,Units\n03-04-2022,A,1\n', { dateOrder: 'DMY' });
    expect(dmy.records[0].date).toBe('2022-04-03');
    const mdy = await parseCsv('Date,SKU,Units\n03-04-2022,A,1\n', { dateOrder: 'MDY' });
    expect(mdy.records[0].date).toBe('2022-03-04');
    await rejection(parseCsv('Date,SKU,Units\n03-04-2022,A,1\n', { dateOrder: 'YMD' }), 422, 'invalid_date');
  });
});

describe('numbers and values', () => {
  it('names column, rows and values that are not numbers, formulas included', async () => {
    const csv = 'Date,SKU,Units,Price\n2022-01-01,A,1,2\n2022-01-02,A,=1+2,2\n2022-01-03,A,lots,2\n2022-01-04,A,1,3\n';
    const e = await rejection(parseCsv(csv), 422, 'invalid_number');
    expect(e.message).toMatch(/Column "Units" has values that are not numbers in row 3 \("=1\+2"\) and row 4 \("lots"\)/);
    expect(e.details).toEqual({ column: 'Units', rows: [3, 4], values: ['=1+2', 'lots'], count: 2 });
  });

  it('reports only the first five rows but counts them all', async () => {
    const rows = Array.from({ length: 8 }, (_, i) => `2022-01-0${i + 1},A,x${i}`).join('\n');
    const e = await rejection(parseCsv(`Date,SKU,Units\n${rows}\n`), 422, 'invalid_number');
    expect(e.details).toMatchObject({ rows: [2, 3, 4, 5, 6], count: 8 });
    expect(e.message).toMatch(/and 3 more rows/);
  });

  it('rejects formula-looking ids', async () => {
    const csv = 'Date,Store,SKU,Units\n2022-01-01,S1,A,1\n2022-01-01,S1,=HYPERLINK("x"),1\n2022-01-01,S1,+1,1\n2022-01-01,S1,@SUM(A1),1\n';
    const e = await rejection(parseCsv(csv), 422, 'invalid_value');
    expect(e.message).toMatch(/Column "SKU" has ids that cannot be used in row 3 .*row 4 \("\+1"\) and row 5 \("@SUM\(A1\)"\)/);
  });

  it('rejects ids starting with a tab and empty ids', async () => {
    const e = await rejection(parseCsv('Date,Store,SKU,Units\n2022-01-01,\tS1,A,1\n2022-01-01,,A,1\n'), 422, 'invalid_value');
    expect(e.details).toMatchObject({ column: 'Store', rows: [2, 3], values: ['\tS1', '(empty)'] });
  });

  it('rejects an unreadable promotion flag', async () => {
    const e = await rejection(parseCsv('Date,SKU,Units,Promo\n2022-01-01,A,1,maybe\n'), 422, 'invalid_value');
    expect(e.message).toMatch(/Column "Promo" has values that are not yes\/no in row 2 \("maybe"\)/);
  });

  it('reports the leftmost problem column first', async () => {
    const e = await rejection(parseCsv('Date,SKU,Units,Price\nbad,A,x,y\n'), 422, 'invalid_date');
    expect(e.details).toMatchObject({ column: 'Date' });
  });

  it('rejects an unusable default store', async () => {
    await rejection(parseCsv('Date,SKU,Units\n2022-01-01,A,1\n', { defaultStoreId: '=evil' }), 422, 'invalid_value');
  });
});

describe('caps', () => {
  it('stops at maxRows', async () => {
    const e = await rejection(
      parseCsv('Date,SKU,Units\n2022-01-01,A,1\n2022-01-02,A,1\n2022-01-03,A,1\n', { maxRows: 2 }),
      413,
      'too_many_rows',
    );
    expect(e.message).toMatch(/more than 2 data rows/);
  });

  it('allows exactly maxRows', async () => {
    const parsed = await parseCsv('Date,SKU,Units\n2022-01-01,A,1\n2022-01-02,A,1\n', { maxRows: 2 });
    expect(parsed.rowsRead).toBe(2);
  });

  it('rejects rows wider than the header in a CSV', async () => {
    const e = await rejection(parseCsv('Date,SKU,Units\n2022-01-01,A,1\n2022-01-02,A,1,oops\n'), 422, 'invalid_file');
    expect(e.message).toMatch(/row 3 \("D: oops"\)/);
  });

  it('rejects an unclosed quote', async () => {
    const e = await rejection(parseCsv('Date,SKU,Units\n2022-01-01,"A,1\n'), 422, 'invalid_file');
    expect(e.message).toMatch(/Quote Not Closed/);
  });
});
