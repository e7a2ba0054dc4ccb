-- What a product's supplier is like: the spread of its lead time (days, one standard deviation) and who supplies it.
ALTER TABLE products ADD COLUMN lead_time_sd_days double precision;
ALTER TABLE products ADD COLUMN supplier_id text;
