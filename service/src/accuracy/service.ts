// The tracked-accuracy use-case: a store's saved plans against the sales uploaded since (GET /accuracy/{store_id}).
import type { AccuracyQuery, AccuracyResponse, Granularity } from '../../../shared/schemas';
import type { Grain } from '../features/index';
import type { Sql } from '../db/connection';
import { storeExists } from '../db/known-ids';
import { snapshotGranularities, trackedPeriods } from '../db/snapshots';
import { notFound } from '../errors';
import { accuracyNotes, accuracyReport } from './score';

export class AccuracyService {
  constructor(private readonly sql: Sql) {}

  async storeAccuracy(storeId: string, query: Omit<AccuracyQuery, 'top'> & { top: number }): Promise<AccuracyResponse> {
    if (!(await storeExists(this.sql, storeId))) throw notFound(`Store "${storeId}"`, { store_id: storeId });
    const saved = (await snapshotGranularities(this.sql, storeId)) as Granularity[];
    const granularity = query.granularity ?? saved[0] ?? null;
    const rows = granularity === null ? [] : await trackedPeriods(this.sql, storeId, granularity, { from: query.from, to: query.to });
    const report = accuracyReport(rows, granularity ?? 'day', query.top);
    return {
      store_id: storeId,
      granularity,
      ...report,
      notes: accuracyNotes(report, { saved, granularity, grain: (rows[0]?.grain as Grain | undefined) ?? 'daily' }),
    };
  }
}
