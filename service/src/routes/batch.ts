import { Hono } from 'hono';
import { BatchEnvelope, BatchQuery, type BatchResponse } from '../../../shared/schemas';
import type { BatchService, RejectedQuery } from '../batch/service';
import { describeIssues, validate } from '../http';

export function batchRoutes(batch: BatchService) {
  return new Hono().post('/batch', validate('json', BatchEnvelope), async (c) => {
    const body = c.req.valid('json');
    // Each query is checked on its own: a malformed one fails its own result, not the batch.
    const queries = body.queries.map((raw): BatchQuery | RejectedQuery => {
      const parsed = BatchQuery.safeParse(raw);
      if (parsed.success) return parsed.data;
      const id = (raw as { id?: unknown } | null)?.id;
      return { rejected: `Invalid query: ${describeIssues(parsed.error.issues)}`, ...(typeof id === 'string' ? { id } : {}) };
    });
    const response: BatchResponse = await batch.answer(queries, body.stores ?? []);
    return c.json(response);
  });
}
