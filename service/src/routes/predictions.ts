import { Hono } from 'hono';
import {
  BulkPredictRequest,
  ForecastRequest,
  PredictRequest,
  PredictWithContextRequest,
  PurchasePlanRequest,
} from '../../../shared/schemas';
import { AppError } from '../errors';
import { describeIssues, validate } from '../http';
import { requestLogger } from '../observability/requests';
import { planToCsv, planToXlsx, type PlanParameters } from '../predictions/export';
import type { PredictionService } from '../predictions/service';

export function predictionRoutes(predictions: PredictionService) {
  return new Hono()
    .post('/predict', validate('json', PredictRequest), async (c) => {
      const r = await predictions.predict(c.req.valid('json'));
      requestLogger(c).info(
        {
          store_id: r.store_id,
          product_id: r.product_id,
          date: r.date,
          model_version: r.model_version,
          predicted_demand: r.predicted_demand,
        },
        'prediction',
      );
      return c.json(r);
    })
    .post('/forecast', validate('json', ForecastRequest), async (c) => {
      const r = await predictions.forecast(c.req.valid('json'));
      requestLogger(c).info(
        { store_id: r.store_id, product_id: r.product_id, days: r.forecast.length, model_version: r.model_version },
        'forecast',
      );
      return c.json(r);
    })
    .post('/predict_with_context', validate('json', PredictWithContextRequest), async (c) => {
      const r = await predictions.predictWithContext(c.req.valid('json'));
      const { status, order_quantity } = r.stock_recommendation;
      requestLogger(c).info(
        {
          store_id: r.store_id,
          product_id: r.product_id,
          date: r.date,
          status,
          order_quantity,
          model_version: r.performance_context.model_version,
        },
        'recommendation',
      );
      return c.json(r);
    })
    .post('/bulk_predict', validate('json', BulkPredictRequest), async (c) => {
      const r = await predictions.bulkPredict(c.req.valid('json'));
      const { total_products, critical, low, total_order_quantity } = r.summary;
      requestLogger(c).info(
        {
          store_id: r.store_id,
          horizon_days: r.horizon_days,
          products: total_products,
          critical,
          low,
          total_order_quantity,
          model_version: r.model_version,
        },
        'store plan',
      );
      return c.json(r);
    })
    .post('/purchase_plan', validate('json', PurchasePlanRequest), async (c) => c.json(await predictions.purchasePlan(c.req.valid('json'))))
    .get('/bulk_predict/:file', async (c) => {
      const match = /^(.+)\.(csv|xlsx)$/.exec(c.req.param('file'));
      if (!match) throw new AppError(404, 'not_found', 'Ask for /bulk_predict/{store_id}.csv or /bulk_predict/{store_id}.xlsx');
      const [, storeId, format] = match;
      const q = c.req.query();
      const parsed = BulkPredictRequest.safeParse({
        store_id: storeId,
        prediction_date: q.prediction_date,
        horizon_days: q.horizon_days === undefined ? undefined : Number(q.horizon_days),
        lead_time_days: q.lead_time_days === undefined ? undefined : Number(q.lead_time_days),
        review_days: q.review_days === undefined ? undefined : Number(q.review_days),
        service_level: q.service_level === undefined ? undefined : Number(q.service_level),
      });
      if (!parsed.success) throw new AppError(422, 'invalid_request', `Invalid query: ${describeIssues(parsed.error.issues)}`);
      const plan = await predictions.bulkPredict(parsed.data);
      // The header block says what was asked; what was not is each product's own value, else the service's default.
      const { lead_time_days, review_days, service_level } = parsed.data;
      const asked = Object.fromEntries(
        Object.entries({ lead_time_days, review_days, service_level }).filter(([, v]) => v !== undefined),
      ) as PlanParameters;
      const name = `bulk_predictions_${storeId.replace(/[^\w.-]/g, '_')}_${plan.prediction_date}.${format}`;
      c.header('Content-Disposition', `attachment; filename="${name}"`);
      if (format === 'csv') {
        c.header('Content-Type', 'text/csv; charset=utf-8');
        return c.body(planToCsv(plan, asked));
      }
      c.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      return c.body(new Uint8Array(await planToXlsx(plan, asked)));
    });
}
