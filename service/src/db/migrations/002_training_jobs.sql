-- At most one queued or running job per scope: a second request for the scope gets the same job.
CREATE UNIQUE INDEX training_jobs_one_open_per_scope ON training_jobs (scope) WHERE status IN ('queued', 'running');
ALTER TABLE training_jobs ADD COLUMN result jsonb;
-- Per-series calendar of known-future events (holidays, SNAP days) when the data provides them.
-- events: [{ "name", "type" }]; region '' applies to every region; snap null = unknown.
CREATE TABLE calendar_events (
  date    date  NOT NULL,
  region  text  NOT NULL DEFAULT '',
  events  jsonb NOT NULL DEFAULT '[]',
  snap    boolean,
  PRIMARY KEY (date, region)
);
