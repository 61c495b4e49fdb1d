-- One row the health probe rewrites, so /health says whether the manifest takes a write, not only
-- whether it answers a query: an immutable or read-only SQLite file, a PostgreSQL in read-only
-- mode or out of disk all still answer SELECT 1.

CREATE TABLE health_probe (
  id        INTEGER NOT NULL,
  probed_at TEXT NOT NULL,
  CONSTRAINT health_probe_pk PRIMARY KEY (id)
);
INSERT INTO health_probe (id, probed_at) VALUES (1, '');
