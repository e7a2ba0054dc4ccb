// Test/bench support (does I/O): loads the M5 extract in /work/shared/data/m5 into SeriesInput[].
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SalesRecord } from '../sales/record';
import { parseCalendarFile } from '../ingest/calendar';
import { buildCalendar, type CalendarEvents } from './calendar';
import type { SeriesInput } from './frame';

/** <project root>/../shared/data/m5 */
export const M5_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/m5');
export const m5Available = () => existsSync(resolve(M5_DIR, 'sales.csv'));

export function loadM5Series(): SeriesInput[] {
  const categories = new Map<string, string>();
  const items = readFileSync(resolve(M5_DIR, 'items.csv'), 'utf8').split('\n');
  for (let l = 1; l < items.length; l++) {
    const f = items[l].replaceAll('"', '').split(',');
    if (f.length >= 3) categories.set(f[0], f[2].trim());
  }
  const lines = readFileSync(resolve(M5_DIR, 'sales.csv'), 'utf8').split('\n');
  const byKey = new Map<string, SeriesInput>();
  for (let l = 1; l < lines.length; l++) {
    const line = lines[l];
    if (line.length === 0) continue;
    const f = line.split(',');
    const storeId = f[1];
    const productId = f[2];
    const key = storeId + '\u0000' + productId;
    let s = byKey.get(key);
    if (!s) byKey.set(key, (s = { storeId, productId, category: categories.get(productId) ?? null, region: null, records: [] }));
    const priceText = f[4]?.trim() ?? '';
    const rec: SalesRecord = {
      date: f[0],
      storeId,
      productId,
      unitsSold: Number(f[3]),
      inventoryLevel: null,
      unitsOrdered: null,
      price: priceText === '' ? null : Number(priceText),
      discount: null,
      promotion: null,
      category: s.category,
      region: null,
      unitCost: null,
      extra: null,
    };
    s.records.push(rec);
  }
  const out = [...byKey.values()];
  for (const s of out) s.records.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return out;
}

export function loadM5Calendar(): CalendarEvents {
  // The same reader as POST /upload_calendar.
  return buildCalendar(parseCalendarFile({ filename: 'calendar.csv', data: readFileSync(resolve(M5_DIR, 'calendar.csv')) }).days);
}
