import type { Database } from '../db/connection';
import { countSales, storeUpload } from '../db/sales';
import { generateDemoSales } from './generate';

/** Fills an empty database with generated demo sales; leaves a database with any sales alone. */
export async function seedDemoData(db: Pick<Database, 'sql' | 'kind'>): Promise<{ seeded: boolean; records: number }> {
  if ((await countSales(db.sql)) > 0) return { seeded: false, records: 0 };
  const records = generateDemoSales();
  await storeUpload(
    db,
    {
      filename: 'demo-data (generated)',
      checksum: 'demo',
      format: 'demo',
      grain: 'daily',
      rowsRead: records.length,
      columns: {},
      warnings: [],
      // Marks its stores as demo stores: GET /stores says so, uploads into them warn, DELETE /demo removes it all.
      demo: true,
    },
    records,
  );
  return { seeded: true, records: records.length };
}
