-- Data that can be removed: what each upload replaced (so it can be undone), a log of removals, and the stores that
-- hold generated demo data.

-- The values a stored day had before an upload replaced them, written in the upload's transaction for the days it
-- updated only (a new day needs nothing to restore). Undoing the upload writes these back and deletes the days it
-- inserted; a later upload that replaced a day this one wrote (previous_upload_id) makes the undo a conflict.
CREATE TABLE upload_changes (
  upload_id          bigint           NOT NULL,
  store_id           text             NOT NULL,
  product_id         text             NOT NULL,
  date               date             NOT NULL,
  units_sold         double precision NOT NULL,
  inventory_level    double precision,
  units_ordered      double precision,
  price              double precision,
  discount           double precision,
  promotion          boolean,
  category           text,
  region             text,
  extra              jsonb,
  previous_upload_id bigint
);
-- No key over (upload_id, store, product, date): an upload stages each day once, and a text key's index would double
-- the time of an upload that replaces half a million days. Both indexes take one upload's rows as one run of equal keys.
CREATE INDEX upload_changes_upload_idx ON upload_changes (upload_id);
CREATE INDEX upload_changes_previous_idx ON upload_changes (previous_upload_id);

ALTER TABLE uploads ADD COLUMN undone_at timestamptz;

-- Every removal (a store, a product, an undone upload, the demo data) with what it removed. Ids come from the uploads'
-- sequence: a store's data version (the latest upload or removal touching it) then grows with every change, so
-- caches keyed by it never serve removed data.
CREATE TABLE data_removals (
  id         bigint      PRIMARY KEY DEFAULT nextval('uploads_id_seq'),
  kind       text        NOT NULL CHECK (kind IN ('store', 'product', 'upload', 'demo')),
  store_ids  text[]      NOT NULL,
  product_id text,
  upload_id  bigint,
  removed    jsonb       NOT NULL DEFAULT '{}',
  removed_at timestamptz NOT NULL DEFAULT now()
);

-- Stores holding generated demo data (demo/seed.ts), with the upload that generated it.
CREATE TABLE demo_stores (
  store_id  text   PRIMARY KEY,
  upload_id bigint NOT NULL
);
