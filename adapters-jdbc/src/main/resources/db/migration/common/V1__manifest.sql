-- DocsGen Store manifest, version 1. Portable SQL with the same meaning on SQLite and
-- PostgreSQL; ${key_text} is TEXT (SQLite, binary collation) or TEXT COLLATE "C" (PostgreSQL) so
-- keys sort by bytes on both. Instants are BIGINT nanoseconds since the epoch (exact round trip
-- of java.time.Instant). Strings are TEXT: no length limit that one database would enforce and
-- the other ignore. docs/storage-layout.md explains every table and index.

-- One row per day: createRun bumps last_seq with an upsert ... RETURNING inside its transaction,
-- so concurrent creates get distinct, gapless sequence numbers.
CREATE TABLE run_sequences (
  run_day  ${key_text} NOT NULL,
  last_seq INTEGER NOT NULL,
  CONSTRAINT run_sequences_pk PRIMARY KEY (run_day),
  CONSTRAINT run_sequences_positive CHECK (last_seq >= 1)
);

-- Id blocks for issues and approvals (and blobs): UPDATE ... SET last_id = last_id + n
-- RETURNING last_id hands out n ids in input order, the same way on both databases.
CREATE TABLE id_allocations (
  name    ${key_text} NOT NULL,
  last_id BIGINT NOT NULL,
  CONSTRAINT id_allocations_pk PRIMARY KEY (name)
);
INSERT INTO id_allocations (name, last_id) VALUES ('issues', 0);
INSERT INTO id_allocations (name, last_id) VALUES ('approvals', 0);

CREATE TABLE runs (
  run_id        ${key_text} NOT NULL,
  run_day       ${key_text} NOT NULL,
  run_seq       INTEGER NOT NULL,
  status        TEXT NOT NULL,
  created_by    TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  core_files    TEXT NOT NULL,
  bundle_readme BOOLEAN NOT NULL,
  CONSTRAINT runs_pk PRIMARY KEY (run_id),
  -- listRuns pages newest first over this key (run_day DESC, run_seq DESC)
  CONSTRAINT runs_day_seq UNIQUE (run_day, run_seq),
  CONSTRAINT runs_status CHECK (status IN ('ACTIVE', 'BUNDLED'))
);

CREATE TABLE executions (
  run_id      ${key_text} NOT NULL,
  stage       ${key_text} NOT NULL,
  stage_order INTEGER NOT NULL,
  attempt     INTEGER NOT NULL,
  status      TEXT NOT NULL,
  executor    TEXT NOT NULL,
  started_at  BIGINT NOT NULL,
  finished_at BIGINT,
  error       TEXT,
  CONSTRAINT executions_pk PRIMARY KEY (run_id, stage, attempt),
  CONSTRAINT executions_run FOREIGN KEY (run_id) REFERENCES runs (run_id),
  CONSTRAINT executions_attempt CHECK (attempt >= 1),
  CONSTRAINT executions_status CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'GATE_FAILED')),
  CONSTRAINT executions_finished CHECK ((status = 'RUNNING' AND finished_at IS NULL)
                                     OR (status <> 'RUNNING' AND finished_at IS NOT NULL))
);
-- At most one RUNNING execution per (run, stage), enforced by the database itself.
CREATE UNIQUE INDEX executions_one_running ON executions (run_id, stage) WHERE status = 'RUNNING';
-- listExecutions: by stage order (phase number, final last), then attempt.
CREATE INDEX executions_by_order ON executions (run_id, stage_order, attempt);

-- The artifact index: one row per (path, generation), never updated.
CREATE TABLE artifacts (
  path                ${key_text} NOT NULL,
  generation          INTEGER NOT NULL,
  run_id              ${key_text} NOT NULL,
  stage               ${key_text} NOT NULL,
  name                ${key_text} NOT NULL,
  type                TEXT NOT NULL,
  hash                TEXT NOT NULL,
  size                BIGINT NOT NULL,
  media_type          TEXT NOT NULL,
  created_by          TEXT NOT NULL,
  created_at          BIGINT NOT NULL,
  produced_by_attempt INTEGER NOT NULL,
  CONSTRAINT artifacts_pk PRIMARY KEY (path, generation),
  CONSTRAINT artifacts_produced_by FOREIGN KEY (run_id, stage, produced_by_attempt)
    REFERENCES executions (run_id, stage, attempt),
  CONSTRAINT artifacts_generation CHECK (generation >= 1),
  CONSTRAINT artifacts_size CHECK (size >= 0),
  CONSTRAINT artifacts_type CHECK (type IN ('DOCUMENTATION', 'VALIDATION_REPORT', 'PLAN', 'BUNDLE', 'OTHER'))
);
-- No secondary index: every path of a run (or stage) shares the prefix '<run>/[<stage>/]', so a
-- listing page is the primary-key range (path, generation) > (cursor) AND path < '<prefix end>'
-- ORDER BY path, generation LIMIT n. Equalities on run_id/stage would only give planners a second
-- index to choose and a selectivity to misjudge.

-- What each execution produced or confirmed (an identical rewrite links the existing version).
CREATE TABLE execution_outputs (
  run_id     ${key_text} NOT NULL,
  stage      ${key_text} NOT NULL,
  attempt    INTEGER NOT NULL,
  path       ${key_text} NOT NULL,
  generation INTEGER NOT NULL,
  CONSTRAINT execution_outputs_pk PRIMARY KEY (run_id, stage, attempt, path, generation),
  CONSTRAINT execution_outputs_execution FOREIGN KEY (run_id, stage, attempt)
    REFERENCES executions (run_id, stage, attempt),
  CONSTRAINT execution_outputs_artifact FOREIGN KEY (path, generation)
    REFERENCES artifacts (path, generation)
);

CREATE TABLE issues (
  id            BIGINT NOT NULL,
  run_id        ${key_text} NOT NULL,
  stage         ${key_text} NOT NULL,
  attempt       INTEGER NOT NULL,
  file_path     ${key_text} NOT NULL,
  generation    INTEGER NOT NULL,
  rule          ${key_text} NOT NULL,
  severity      TEXT NOT NULL,
  message       TEXT NOT NULL,
  line_no       INTEGER,
  column_no     INTEGER,
  end_line_no   INTEGER,
  end_column_no INTEGER,
  validator     TEXT NOT NULL,
  fingerprint   TEXT NOT NULL,
  -- keyed by run first: ids are unique (allocated), but an index on id alone would let a
  -- planner walk other runs' ids to fill one run's page
  CONSTRAINT issues_pk PRIMARY KEY (run_id, id),
  CONSTRAINT issues_execution FOREIGN KEY (run_id, stage, attempt)
    REFERENCES executions (run_id, stage, attempt),
  CONSTRAINT issues_severity CHECK (severity IN ('ERROR', 'WARNING', 'INFO'))
);
-- Every UI filter is an equality on a leading column followed by id, so each page
-- (... AND id > cursor ORDER BY id LIMIT n) is a range scan (of issues_pk when only the run is
-- given), and severity counts of a run or an execution read only index entries.
CREATE INDEX issues_by_execution ON issues (run_id, stage, attempt, id);
CREATE INDEX issues_by_execution_severity ON issues (run_id, stage, attempt, severity, id);
CREATE INDEX issues_by_file ON issues (run_id, file_path, id);
CREATE INDEX issues_by_rule ON issues (run_id, rule, id);
CREATE INDEX issues_by_severity ON issues (run_id, severity, id);

-- Append-only (the vendor migration V2 adds triggers refusing UPDATE and DELETE).
CREATE TABLE approvals (
  id             BIGINT NOT NULL,
  run_id         ${key_text} NOT NULL,
  stage          ${key_text} NOT NULL,
  decision       TEXT NOT NULL,
  actor          TEXT NOT NULL,
  comment        TEXT NOT NULL,
  decided_at     BIGINT NOT NULL,
  content_digest TEXT NOT NULL,
  CONSTRAINT approvals_pk PRIMARY KEY (run_id, id),
  CONSTRAINT approvals_run FOREIGN KEY (run_id) REFERENCES runs (run_id),
  CONSTRAINT approvals_decision CHECK (decision IN ('APPROVED', 'REJECTED', 'REVOKED'))
);
CREATE INDEX approvals_by_stage ON approvals (run_id, stage, id);

-- One bundle per run (the primary key is the arbiter), recorded together with runs.status.
CREATE TABLE bundles (
  run_id         ${key_text} NOT NULL,
  zip_path       ${key_text} NOT NULL,
  zip_generation INTEGER NOT NULL,
  zip_hash       TEXT NOT NULL,
  zip_size       BIGINT NOT NULL,
  final_stage    ${key_text} NOT NULL,
  final_attempt  INTEGER NOT NULL,
  created_by     TEXT NOT NULL,
  created_at     BIGINT NOT NULL,
  attestation    TEXT NOT NULL,
  signature      TEXT NOT NULL,
  CONSTRAINT bundles_pk PRIMARY KEY (run_id),
  CONSTRAINT bundles_run FOREIGN KEY (run_id) REFERENCES runs (run_id)
);

CREATE TABLE bundle_entries (
  run_id            ${key_text} NOT NULL,
  ordinal           INTEGER NOT NULL,
  entry_name        ${key_text} NOT NULL,
  hash              TEXT NOT NULL,
  size              BIGINT NOT NULL,
  source_path       ${key_text},
  source_generation INTEGER,
  source_hash       TEXT,
  CONSTRAINT bundle_entries_pk PRIMARY KEY (run_id, ordinal),
  CONSTRAINT bundle_entries_name UNIQUE (run_id, entry_name),
  CONSTRAINT bundle_entries_bundle FOREIGN KEY (run_id) REFERENCES bundles (run_id),
  CONSTRAINT bundle_entries_source CHECK ((source_path IS NULL AND source_generation IS NULL AND source_hash IS NULL)
                                        OR (source_path IS NOT NULL AND source_generation IS NOT NULL AND source_hash IS NOT NULL))
);
