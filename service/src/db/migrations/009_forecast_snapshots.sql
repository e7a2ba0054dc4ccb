-- Forecasts as issued (a bulk plan saved with save: true, and every plan the pane writes to a sheet), kept so that the
-- sales uploaded later can score them: what was expected for each product and period, its interval, what the best
-- simple method expected at the time, and (once its days are stored) what sold.
CREATE TABLE forecast_snapshots (
  id               bigserial   PRIMARY KEY,
  issued_at        timestamptz NOT NULL DEFAULT now(),
  source           text        NOT NULL,
  store_id         text        NOT NULL,
  grain            text        NOT NULL,
  granularity      text        NOT NULL,
  prediction_date  date        NOT NULL,
  horizon_days     integer     NOT NULL,
  model_version    text        NOT NULL,
  interval_level   double precision NOT NULL,
  parameters       jsonb       NOT NULL,
  products         integer     NOT NULL
);
CREATE INDEX forecast_snapshots_store_idx ON forecast_snapshots (store_id, prediction_date);

CREATE TABLE forecast_snapshot_periods (
  snapshot_id  bigint NOT NULL REFERENCES forecast_snapshots (id) ON DELETE CASCADE,
  store_id     text   NOT NULL,
  product_id   text   NOT NULL,
  period_start date   NOT NULL,
  period_end   date   NOT NULL,
  expected     double precision NOT NULL,
  lower        double precision,
  upper        double precision,
  -- The simple method the forecast is judged against (the best on the model's backtest; the method itself when a
  -- simple method answered) and what it expected for the same period.
  reference        text,
  reference_value  double precision,
  method       text   NOT NULL,
  confidence   text   NOT NULL,
  -- A buyer's override changed the forecast: which, and what the forecast was before it (forecast value added).
  override_id  bigint,
  unadjusted   double precision,
  -- Units stored for the period once the store's sales cover its last day (null until then).
  actual       double precision,
  scored_at    timestamptz,
  PRIMARY KEY (snapshot_id, product_id, period_start)
);
CREATE INDEX forecast_snapshot_periods_score_idx ON forecast_snapshot_periods (store_id, period_end);

-- A buyer's adjustment of the forecasts: for a product (or every product of a category) of a store over a date range,
-- a multiplier or an absolute quantity per store period (a day, week or month). Ended, never deleted: the plans
-- saved under it still name it.
CREATE TABLE forecast_overrides (
  id          bigserial   PRIMARY KEY,
  store_id    text        NOT NULL,
  product_id  text,
  category    text,
  date_from   date        NOT NULL,
  date_to     date        NOT NULL,
  multiplier  double precision,
  quantity    double precision,
  reason      text        NOT NULL,
  created_by  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  ended_at    timestamptz,
  ended_by    text,
  CHECK ((product_id IS NULL) <> (category IS NULL)),
  CHECK ((multiplier IS NULL) <> (quantity IS NULL)),
  CHECK (date_from <= date_to)
);
CREATE INDEX forecast_overrides_store_idx ON forecast_overrides (store_id) WHERE ended_at IS NULL;
