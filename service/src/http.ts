// Shared HTTP plumbing for route modules: validation that answers in the error shape.
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { AppError } from './errors';

/** Describes zod issues as one sentence naming each field, e.g. "horizon_days: must be at most 180". */
export function describeIssues(issues: z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

export const validate = <T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
  zValidator(target, schema, (result) => {
    if (!result.success) {
      const issues = result.error.issues;
      throw new AppError(422, 'invalid_request', `Invalid ${target}: ${describeIssues(issues)}`, {
        issues: issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
  });
