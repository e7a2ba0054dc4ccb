import { Hono } from 'hono';
import { z } from 'zod';
import { ActivateModelRequest, Identifier, TrainModelRequest } from '../../../shared/schemas';
import { AppError } from '../errors';
import { validate } from '../http';
import type { TrainingService } from '../training/service';

const StoreParam = z.object({ store_id: Identifier });
const JobId = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);

export function trainingRoutes(training: TrainingService) {
  return new Hono()
    .post('/train_model', validate('json', TrainModelRequest), async (c) => c.json(await training.train(c.req.valid('json')), 202))
    .get('/training_status', async (c) => c.json(await training.status()))
    .get('/training_status/:job_id', async (c) => {
      const id = JobId.safeParse(c.req.param('job_id'));
      if (!id.success) throw new AppError(422, 'invalid_request', 'job_id must be a positive whole number');
      return c.json(await training.job(id.data));
    })
    .get('/models', async (c) => c.json(await training.models()))
    .post('/models/:store_id/activate', validate('param', StoreParam), validate('json', ActivateModelRequest), async (c) =>
      c.json(await training.activate(c.req.valid('param').store_id, c.req.valid('json').version)),
    );
}
