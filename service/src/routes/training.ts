import { Hono } from 'hono';
import { z } from 'zod';
import { ActivateModelRequest, Identifier, TrainModelRequest, type TrainModelResponse } from '../../../shared/schemas';
import type { Sql } from '../db/connection';
import { AppError } from '../errors';
import { validate } from '../http';
import { activateModel, allModels, jobStatus, requestTraining, trainingStatus } from '../training/status';

const StoreParam = z.object({ store_id: Identifier });

export function trainingRoutes(sql: Sql, onQueued: () => void) {
  return new Hono()
    .post('/train_model', validate('json', TrainModelRequest), async (c) => {
      const body = c.req.valid('json');
      const { job, created } = await requestTraining(sql, body.store_id, body.params);
      if (created) onQueued();
      const response: TrainModelResponse = { job_id: job.id, status: job.status, store_id: body.store_id };
      return c.json(response, 202);
    })
    .get('/training_status', async (c) => c.json(await trainingStatus(sql)))
    .get('/training_status/:job_id', async (c) => {
      const id = z.coerce
        .number()
        .int()
        .positive()
        .max(2 ** 31 - 1)
        .safeParse(c.req.param('job_id'));
      if (!id.success) throw new AppError(422, 'invalid_request', 'job_id must be a positive whole number');
      return c.json(await jobStatus(sql, id.data));
    })
    .get('/models', async (c) => c.json({ models: await allModels(sql) }))
    .post('/models/:store_id/activate', validate('param', StoreParam), validate('json', ActivateModelRequest), async (c) =>
      c.json(await activateModel(sql, c.req.valid('param').store_id, c.req.valid('json').version)),
    );
}
