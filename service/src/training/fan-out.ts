// An "all" job fanned out: one child job per model (the global one first, then each store's, waiting for it), run
// by any instance's training workers. The parent's progress, step and report are its children's; it ends when they
// all have, succeeded when any model was trained.
import type { Sql } from '../db/connection';
import { childJobs, fanOutJob, finishJob, parentsToEnd, type JobRow } from '../db/training';
import type { RunningResult } from './job-step';
import { scopesOfAllJob, type JobStep, type ScopeReport } from './train-job';

const ENDED = new Set(['succeeded', 'failed', 'cancelled']);

/** Books the children of a claimed "all" job. */
export async function fanOut(sql: Sql, parent: JobRow): Promise<JobRow[]> {
  return fanOutJob(sql, parent, await scopesOfAllJob(sql));
}

/** What a child came to, for its parent's report: its own report, or (a worker that died) its error. */
function childReport(child: JobRow): ScopeReport[] {
  const report = ENDED.has(child.status) ? (child.result?.report as ScopeReport[] | undefined) : undefined;
  if (report?.length) return report;
  if (child.status === 'failed' || child.status === 'cancelled')
    return [{ scope: child.scope, outcome: 'failed', reason: child.error ?? `the job was ${child.status}` }];
  return [];
}

/** A running fanned-out job as its children show it: progress, the step of a running child, the report so far. */
export function parentView(children: JobRow[]): { progress: number; step?: JobStep; report: ScopeReport[] } {
  const progress = children.length
    ? children.reduce((sum, c) => sum + (ENDED.has(c.status) ? 1 : c.status === 'running' ? Math.min(1, c.progress) : 0), 0) /
      children.length
    : 0;
  // With several workers, several children run: the earliest one is named.
  const stepOf = (c: JobRow) => (c.status === 'running' ? (c.result as Partial<RunningResult> | null)?.step : undefined);
  const step = children.map(stepOf).find((s) => s !== undefined);
  return { progress, ...(step ? { step } : {}), report: children.flatMap(childReport) };
}

/** Ends every fanned-out job whose children have all ended (whichever instance sees it first). Returns how many. */
export async function endFinishedParents(sql: Sql): Promise<number> {
  let ended = 0;
  for (const parent of await parentsToEnd(sql)) {
    const children = await childJobs(sql, [parent.id]);
    const report = children.flatMap(childReport);
    const models = children.flatMap((c) =>
      c.status === 'succeeded' ? ((c.result?.models as { scope: string; version: number }[]) ?? []) : [],
    );
    const lastModel = children.filter((c) => c.model_id !== null).at(-1)?.model_id ?? undefined;
    const outcome = models.length
      ? { status: 'succeeded' as const, modelId: lastModel, result: { models, report } }
      : { status: 'failed' as const, error: report.map((r) => r.reason).join(' ') || 'no model was trained', result: { report } };
    if (await finishJob(sql, parent.id, outcome, { once: true })) ended++;
  }
  return ended;
}
