-- Each path's newest generation, beside the append-only version tables. A "latest only" page is
-- then one range of a (run, stage, path) index joined to its version by primary key, stopping
-- after LIMIT rows; no correlated "is there a newer generation" test whose cost the planner has to
-- guess (docs/storage-layout.md shows PostgreSQL scanning a whole stage for that). Writers keep a
-- head with an upsert that only ever raises the generation, in the transaction that adds the
-- version, so concurrent writers of one path cannot move it backwards.

CREATE TABLE artifact_heads (
  path       ${key_text} NOT NULL,
  run_id     ${key_text} NOT NULL,
  stage      ${key_text} NOT NULL,
  type       TEXT NOT NULL,
  generation INTEGER NOT NULL,
  CONSTRAINT artifact_heads_pk PRIMARY KEY (path),
  CONSTRAINT artifact_heads_version FOREIGN KEY (path, generation)
    REFERENCES artifacts (path, generation)
);
CREATE INDEX artifact_heads_by_run ON artifact_heads (run_id, path);
CREATE INDEX artifact_heads_by_stage ON artifact_heads (run_id, stage, path);
CREATE INDEX artifact_heads_by_type ON artifact_heads (run_id, type, path);
INSERT INTO artifact_heads (path, run_id, stage, type, generation)
  SELECT a.path, a.run_id, a.stage, a.type, a.generation FROM artifacts a
  WHERE a.generation = (SELECT MAX(n.generation) FROM artifacts n WHERE n.path = a.path);

CREATE TABLE blob_heads (
  path       ${key_text} NOT NULL,
  run_id     ${key_text} NOT NULL,
  stage      ${key_text} NOT NULL,
  generation INTEGER NOT NULL,
  CONSTRAINT blob_heads_pk PRIMARY KEY (path),
  CONSTRAINT blob_heads_version FOREIGN KEY (path, generation)
    REFERENCES blob_versions (path, generation)
);
CREATE INDEX blob_heads_by_run ON blob_heads (run_id, path);
CREATE INDEX blob_heads_by_stage ON blob_heads (run_id, stage, path);
INSERT INTO blob_heads (path, run_id, stage, generation)
  SELECT v.path, v.run_id, v.stage, v.generation FROM blob_versions v
  WHERE v.generation = (SELECT MAX(n.generation) FROM blob_versions n WHERE n.path = v.path);
