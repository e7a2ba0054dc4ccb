// DEMAND.FORECAST's granularity argument, through the real batcher to a stand-in for POST /batch (no service): the
// periods asked for reach the batch query, n periods of a horizon are n weeks or months, a store's own periods
// answer when none is asked for, and the service's refusals reach the cell with its own message.
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchQueryInput, BatchRequest, BatchResult, Granularity } from '../../../shared/schemas';
import { basis } from '../testing/fixtures';
import { QueryBatcher } from './batcher';
import { basis as basisCell, forecast, useBatcher } from './functions';
import { StandInCellError } from './runtime';

const FIRST_DAY = '2025-07-16';
const STORES: Record<string, { own: Granularity; grain: 'daily' | 'weekly' }> = {
  S1: { own: 'day', grain: 'daily' },
  W1: { own: 'week', grain: 'weekly' },
};
const TOO_FINE = 'Store "W1" holds weekly sales, so it can be forecast in weeks or months, not in days. Ask with granularity "week".';
const TOO_LITTLE = 'No forecast for "NEW": "NEW" has sales records for 2 weeks: at least 3 weeks are needed for any forecast.';

const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const monthEnd = (iso: string) => new Date(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), 0)).toISOString().slice(0, 10);

/** `count` periods as the service makes them: days, 7-day weeks or calendar months from `start`. */
function periodsFrom(start: string, g: Granularity, count: number) {
  const out: { date: string; period_end: string }[] = [];
  for (let at = start; out.length < count;) {
    const end = g === 'day' ? at : g === 'week' ? addDays(at, 6) : monthEnd(at);
    out.push({ date: at, period_end: end });
    at = addDays(end, 1);
  }
  return out;
}

/** A stand-in for the service's answer to one batch forecast query. */
function answer(q: BatchQueryInput): BatchResult {
  if (q.kind !== 'forecast') throw new Error(`unexpected query ${q.kind}`);
  const store = STORES[q.store_id];
  const g = q.granularity ?? store.own;
  if (store.own === 'week' && g === 'day') return { ok: false, error: { code: 'granularity_too_fine', status: 422, message: TOO_FINE } };
  if (q.product_id === 'NEW') return { ok: false, error: { code: 'insufficient_history', status: 422, message: TOO_LITTLE } };
  if (q.horizon_days !== undefined) throw new Error('the cell asks in periods, not days');
  const periods = q.date ? periodsFrom(q.date, g, 1) : periodsFrom(FIRST_DAY, g, q.horizon_periods!);
  const scale = { day: 1, week: 7, month: 30 }[g];
  return {
    ok: true,
    kind: 'forecast',
    model_version: `store:${q.store_id}@1`,
    last_history_date: addDays(FIRST_DAY, -1),
    granularity: g,
    basis: basis({ grain: store.grain }),
    forecast: periods.map((p, i) => ({
      ...p,
      expected_demand: scale * (i + 1),
      intervals: (q.levels ?? []).map((level) => ({ level: level * 100, lower: scale * i, upper: scale * (i + 2) })),
    })),
  };
}

let sent: BatchRequest[] = [];
function connect() {
  sent = [];
  useBatcher(
    new QueryBatcher({
      windowMs: 0,
      connect: async () => ({
        key: 'stand-in',
        send: async (request) => {
          sent.push(request);
          return { results: request.queries.map(answer), versions: { S1: 'v1', W1: 'v1' } };
        },
      }),
    }),
  );
}
const queries = () => sent.flatMap((r) => r.queries);

async function cellError(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StandInCellError);
  return { code: (err as StandInCellError).code, message: (err as StandInCellError).message };
}

afterEach(() => useBatcher(null));

describe('DEMAND.FORECAST in days, weeks or months', () => {
  it('sends the granularity with a date: the week or month starting that day', async () => {
    connect();
    expect(await forecast('S1' as never, 'P1' as never, '2025-07-07' as never, undefined, 'week')).toEqual([[7]]);
    expect(await forecast('S1' as never, 'P1' as never, '2025-08-01' as never, undefined, 'Months')).toEqual([[30]]);
    expect(queries()).toEqual([
      { kind: 'forecast', store_id: 'S1', product_id: 'P1', date: '2025-07-07', granularity: 'week' },
      { kind: 'forecast', store_id: 'S1', product_id: 'P1', date: '2025-08-01', granularity: 'month' },
    ]);
  });

  it('reads a number as that many periods: 4 weeks, or 3 months (the first one begun mid-month)', async () => {
    connect();
    expect(await forecast('S1' as never, 'P1' as never, 4 as never, undefined, 'week')).toEqual([[7], [14], [21], [28]]);
    expect(await forecast('S1' as never, 'P1' as never, 3 as never, 0.9, 'month')).toEqual([
      [30, 0, 60],
      [60, 30, 90],
      [90, 60, 120],
    ]);
    expect(queries()).toEqual([
      { kind: 'forecast', store_id: 'S1', product_id: 'P1', horizon_periods: 4, granularity: 'week' },
      { kind: 'forecast', store_id: 'S1', product_id: 'P1', horizon_periods: 3, levels: [0.9], granularity: 'month' },
    ]);
  });

  it("gives the next n of the store's own periods without a granularity: days of a daily store, weeks of a weekly one", async () => {
    connect();
    expect(await forecast('S1' as never, 'P1' as never, 3 as never)).toEqual([[1], [2], [3]]);
    expect(queries()).toEqual([{ kind: 'forecast', store_id: 'S1', product_id: 'P1', horizon_periods: 3 }]);

    connect();
    expect(await forecast('W1' as never, 'P1' as never, 3 as never)).toEqual([[7], [14], [21]]);
    expect(queries()).toEqual([{ kind: 'forecast', store_id: 'W1', product_id: 'P1', horizon_periods: 3 }]);
  });

  it("shows the service's own message when a weekly store is asked for days, or a product has too little history", async () => {
    connect();
    expect(await cellError(forecast('W1' as never, 'P1' as never, '2025-07-07' as never, undefined, 'day'))).toEqual({
      code: '#VALUE!',
      message: TOO_FINE,
    });
    expect(queries()).toEqual([{ kind: 'forecast', store_id: 'W1', product_id: 'P1', date: '2025-07-07', granularity: 'day' }]);
    // No forecast is available: #N/A with what is missing, not #VALUE! as for a typing slip.
    expect(await cellError(forecast('W1' as never, 'NEW' as never, 4 as never, undefined, 'week'))).toEqual({
      code: '#N/A',
      message: TOO_LITTLE,
    });
  });

  it('DEMAND.BASIS gives the confidence, or "none" and why when there is no basis for any forecast', async () => {
    connect();
    expect(await basisCell('S1' as never, 'P1' as never)).toEqual([['normal']]);
    expect(await basisCell('W1' as never, 'NEW' as never)).toEqual([['none']]);
    expect(await basisCell('W1' as never, 'NEW' as never, 'why')).toEqual([[TOO_LITTLE]]);
    expect(await basisCell('W1' as never, 'P1' as never, 'History')).toEqual([['200 weeks']]);
    expect(queries()[0]).toEqual({ kind: 'forecast', store_id: 'S1', product_id: 'P1', horizon_periods: 1 });
    expect((await cellError(basisCell('S1' as never, 'P1' as never, 'mood'))).code).toBe('#VALUE!');
  });

  it('refuses an unknown granularity and a horizon beyond the service in those periods, asking nothing', async () => {
    connect();
    const odd = await cellError(forecast('S1' as never, 'P1' as never, 4 as never, undefined, 'fortnight'));
    expect(odd).toEqual({ code: '#VALUE!', message: 'granularity must be "day", "week" or "month", not "fortnight"' });
    const long = await cellError(forecast('S1' as never, 'P1' as never, 53 as never, undefined, 'week'));
    expect(long.message).toMatch(/whole number of weeks from 1 to 52/);
    expect(sent).toEqual([]);
  });
});
