import pino from 'pino';

/**
 * JSON lines: one per event, `request_id` on every line a request writes (observability/requests.ts), `job_id` on
 * every line of a training job. `destination` defaults to stdout (tests collect lines in memory).
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream) {
  return pino({ level, base: { service: 'demand-forecasting' } }, destination);
}
