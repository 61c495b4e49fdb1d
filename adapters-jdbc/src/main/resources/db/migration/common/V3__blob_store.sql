-- The artifact store that keeps bytes in the database (JdbcSettings.artifactsInDatabase).
-- A version's bytes are rows of at most 1 MiB in blob_chunks, written (one short transaction
-- per chunk) before the version row that makes them visible; blob_uploads tracks chunks not yet
-- committed so a crashed upload's leftovers can be purged. ${blob_type} is BLOB or BYTEA.
INSERT INTO id_allocations (name, last_id) VALUES ('blobs', 0);

CREATE TABLE blob_uploads (
  blob_id    BIGINT NOT NULL,
  started_at BIGINT NOT NULL,
  CONSTRAINT blob_uploads_pk PRIMARY KEY (blob_id)
);

CREATE TABLE blob_chunks (
  blob_id BIGINT NOT NULL,
  seq     INTEGER NOT NULL,
  bytes   ${blob_type} NOT NULL,
  CONSTRAINT blob_chunks_pk PRIMARY KEY (blob_id, seq)
);

-- One row per (path, generation): the unique key is the store guard's atomic create.
CREATE TABLE blob_versions (
  path        ${key_text} NOT NULL,
  generation  INTEGER NOT NULL,
  blob_id     BIGINT NOT NULL,
  run_id      ${key_text} NOT NULL,
  stage       ${key_text} NOT NULL,
  type        TEXT NOT NULL,
  hash        TEXT NOT NULL,
  size        BIGINT NOT NULL,
  media_type  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  chunk_size  INTEGER NOT NULL,
  CONSTRAINT blob_versions_pk PRIMARY KEY (path, generation),
  CONSTRAINT blob_versions_blob UNIQUE (blob_id),
  CONSTRAINT blob_versions_generation CHECK (generation >= 1),
  CONSTRAINT blob_versions_size CHECK (size >= 0),
  CONSTRAINT blob_versions_chunk_size CHECK (chunk_size >= 1)
);
-- listings are primary-key ranges of the path prefix, as for artifacts
