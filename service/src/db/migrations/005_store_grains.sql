-- The period each store's sales are kept at: daily, weekly (each record dated by its week's first day) or monthly
-- (dated the 1st). A store's sales keep one grain; week_dates says how its weekly files dated their weeks.
CREATE TABLE store_grains (
  store_id   text        PRIMARY KEY,
  grain      text        NOT NULL CHECK (grain IN ('daily', 'weekly', 'monthly')),
  week_dates text        CHECK (week_dates IN ('start', 'end')),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Sales stored before grains were kept were stored as days (weekly files spread over their days).
INSERT INTO store_grains (store_id, grain) SELECT DISTINCT store_id, 'daily' FROM products;
