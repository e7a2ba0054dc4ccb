-- API keys. Only a SHA-256 of each key is stored: the key itself is shown once, when it is created.
CREATE TABLE api_keys (
  id           bigserial   PRIMARY KEY,
  name         text        NOT NULL,
  key_hash     text        NOT NULL UNIQUE,
  -- The key's last characters, so a listing can say which key is which without storing the key.
  suffix       text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
-- A name picks out one key in force; a revoked key's name can be given to a new key.
CREATE UNIQUE INDEX api_keys_one_active_name ON api_keys (name) WHERE revoked_at IS NULL;
