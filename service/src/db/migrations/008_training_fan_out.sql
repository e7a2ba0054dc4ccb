-- An "all" job fans out: a child job per model (the global one, then one per store), claimed by any instance's
-- training workers; the parent reports its children's progress and outcome.
ALTER TABLE training_jobs ADD COLUMN parent_id bigint REFERENCES training_jobs (id) ON DELETE CASCADE;
-- A job that may start only once this one has ended (a store's model is blended with the global model of its job).
ALTER TABLE training_jobs ADD COLUMN after_id bigint REFERENCES training_jobs (id) ON DELETE SET NULL;
-- Set once the parent's children are booked: from then on the children do its work (no worker holds the parent).
ALTER TABLE training_jobs ADD COLUMN fanned_out boolean NOT NULL DEFAULT false;
CREATE INDEX training_jobs_parent_idx ON training_jobs (parent_id) WHERE parent_id IS NOT NULL;
-- One open job per scope among requested jobs; a fanned-out child may run beside a store's own job.
DROP INDEX training_jobs_one_open_per_scope;
CREATE UNIQUE INDEX training_jobs_one_open_per_scope ON training_jobs (scope)
  WHERE status IN ('queued', 'running') AND parent_id IS NULL;

-- The global model's holdout forecasts, per store: each store's job (on whichever instance) blends with them.
-- forecasts: { "<series key>": { "origin", "values" } }.
CREATE TABLE model_backtests (
  model_id  bigint NOT NULL REFERENCES models (id) ON DELETE CASCADE,
  store_id  text   NOT NULL,
  forecasts jsonb  NOT NULL,
  PRIMARY KEY (model_id, store_id)
);
