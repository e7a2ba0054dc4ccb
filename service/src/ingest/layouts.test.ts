// Small things real files do that a buyer should not have to think about.
import { describe, expect, it } from 'vitest';
import { parseSalesFile } from './index';

const parse = (data: Buffer | string, extra: Partial<Parameters<typeof parseSalesFile>[0]> = {}) =>
  parseSalesFile({ filename: 'f.csv', data: typeof data === 'string' ? Buffer.from(data) : data, ...extra });

describe('file quirks', () => {
  it('reads Windows-1252 text with its euro sign and curly quotes', async () => {
    // "Käse Gouda €" and “Brie” in the Windows code page (0xE4 ä, 0x80 €, 0x93/0x94 quotes).
    const bytes = Buffer.concat([
      Buffer.from('Date,SKU,Units\n2026-03-02,K', 'latin1'),
      Buffer.from([0xe4]),
      Buffer.from('se Gouda ', 'latin1'),
      Buffer.from([0x80]),
      Buffer.from(',3\n2026-03-02,', 'latin1'),
      Buffer.from([0x93]),
      Buffer.from('Brie', 'latin1'),
      Buffer.from([0x94]),
      Buffer.from(',1\n', 'latin1'),
    ]);
    const parsed = await parse(bytes);
    expect(parsed.records.map((r) => r.productId).sort()).toEqual(['Käse Gouda €', '“Brie”'].sort());
    expect(parsed.warnings.join(' ')).toMatch(/Windows-1252/);
  });

  it('one product whether its name was typed with a composed or a decomposed accent', async () => {
    const parsed = await parse(`Date,SKU,Units\n2026-03-02,K\u00e4se,3\n2026-03-03,Ka\u0308se,4\n`);
    expect(parsed.records.map((r) => [r.productId, r.unitsSold])).toEqual([
      ['K\u00e4se', 3],
      ['K\u00e4se', 4],
    ]);
  });

  it('refuses a store called "all", which training reserves for every store', async () => {
    await expect(parse('Date,Store,SKU,Units\n2026-03-02,all,A,3\n')).rejects.toMatchObject({
      status: 422,
      message: expect.stringMatching(/store id "all" \(in column "Store"\) is reserved/),
    });
    await expect(parse('Date,SKU,Units\n2026-03-02,A,3\n', { defaultStoreId: 'all' })).rejects.toMatchObject({ status: 422 });
  });

  it('says when the store_id sent with a file is not used because the file names its stores', async () => {
    const parsed = await parse('Date,Store,SKU,Units\n2026-03-02,S1,A,3\n', { defaultStoreId: 'FORM' });
    expect(parsed.records[0].storeId).toBe('S1');
    expect(parsed.warnings.join(' ')).toMatch(/store column \("Store"\), so the store_id "FORM" sent with it was not used/);
  });

  it('counts one transaction line in the singular', async () => {
    const parsed = await parse('InvoiceNo,Date,SKU,Quantity\nX1,2026-03-02,A,3\n');
    expect(parsed.warnings.join(' ')).toMatch(/1 line was summed into 1 daily record/);
  });
});
