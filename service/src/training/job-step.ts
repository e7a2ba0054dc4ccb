// A running job's current step, kept in its `result` until the job ends (finishJob then writes the final result):
// every instance answering GET /training_status/{id} reads it from the database, whichever one trains.
import type { Sql } from '../db/connection';
import type { JobStep } from './train-job';

/** What a running job's `result` holds. */
export interface RunningResult {
  step: JobStep;
}

/** Records the step a running job has begun; a job that has ended meanwhile keeps its final result. */
export async function recordJobStep(sql: Sql, jobId: number, running: RunningResult): Promise<void> {
  await sql`UPDATE training_jobs SET result = ${sql.json(running as never)} WHERE id = ${jobId} AND status = 'running'`;
}
