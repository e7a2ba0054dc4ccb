-- Uploads, sales, products: the system of record for what buyers sent us.

CREATE TABLE uploads (
  id            bigserial PRIMARY KEY,
  filename      text        NOT NULL,
  uploaded_at   timestamptz NOT NULL DEFAULT now(),
  checksum      text        NOT NULL,
  format        text        NOT NULL,
  grain         text        NOT NULL DEFAULT 'daily',
  store_ids     text[]      NOT NULL,
  rows_read     integer     NOT NULL,
  record_count  integer     NOT NULL,
  inserted      integer     NOT NULL,
  updated       integer     NOT NULL,
  skipped       integer     NOT NULL,
  first_date    date,
  last_date     date,
  columns       jsonb       NOT NULL DEFAULT '{}',
  warnings      jsonb       NOT NULL DEFAULT '[]'
);
CREATE INDEX uploads_checksum_idx ON uploads (checksum);

-- One row per store, product and day.
CREATE TABLE sales (
  store_id        text             NOT NULL,
  product_id      text             NOT NULL,
  date            date             NOT NULL,
  units_sold      double precision NOT NULL,
  inventory_level double precision,
  units_ordered   double precision,
  price           double precision,
  discount        double precision,
  promotion       boolean,
  category        text,
  region          text,
  extra           jsonb,
  -- Provenance only: no foreign key, whose per-row check would dominate bulk loads.
  upload_id       bigint,
  PRIMARY KEY (store_id, product_id, date)
);

-- Product master: catalog figures kept current by each upload, and replenishment attributes.
CREATE TABLE products (
  store_id       text    NOT NULL,
  product_id     text    NOT NULL,
  category       text,
  region         text,
  unit_cost      double precision,
  lead_time_days integer,
  pack_size      double precision,
  min_order_qty  double precision,
  records        integer NOT NULL DEFAULT 0,
  first_date     date,
  last_date      date,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, product_id)
);

-- Models and training jobs (filled by the training issue).
CREATE TABLE models (
  id          bigserial PRIMARY KEY,
  scope       text        NOT NULL,
  version     integer     NOT NULL,
  engine      text        NOT NULL,
  format      text        NOT NULL,
  params      jsonb       NOT NULL DEFAULT '{}',
  features    jsonb       NOT NULL DEFAULT '[]',
  encodings   jsonb       NOT NULL DEFAULT '{}',
  metrics     jsonb       NOT NULL DEFAULT '{}',
  residuals   jsonb,
  -- Prediction-interval calibration from the backtest residuals.
  intervals   jsonb,
  data_window jsonb       NOT NULL DEFAULT '{}',
  records     integer     NOT NULL DEFAULT 0,
  model       bytea       NOT NULL,
  active      boolean     NOT NULL DEFAULT false,
  trained_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (scope, version)
);
CREATE UNIQUE INDEX models_one_active_per_scope ON models (scope) WHERE active;

CREATE TABLE training_jobs (
  id           bigserial PRIMARY KEY,
  scope        text        NOT NULL,
  status       text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  params       jsonb       NOT NULL DEFAULT '{}',
  progress     real        NOT NULL DEFAULT 0,
  error        text,
  model_id     bigint REFERENCES models (id),
  attempts     integer     NOT NULL DEFAULT 0,
  worker       text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  started_at   timestamptz,
  heartbeat_at timestamptz,
  finished_at  timestamptz
);
CREATE INDEX training_jobs_status_idx ON training_jobs (status, created_at);
