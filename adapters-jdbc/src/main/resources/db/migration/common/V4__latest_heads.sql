-- Each path's newest generation, beside the append-only version tables. A "latest only" page is
-- then a range of the heads' primary key (the path prefix of the run or stage, from the cursor)
-- joined to its version by primary key, stopping after LIMIT rows; no correlated "is there a
-- newer generation" test whose cost a planner has to guess (docs/storage-layout.md shows
-- PostgreSQL scanning a whole stage for that). Writers keep a head with an upsert that only ever
-- raises the generation, in the transaction that adds the version, so concurrent writers of one
-- path cannot move it backwards.

CREATE TABLE artifact_heads (
  path       ${key_text} NOT NULL,
  generation INTEGER NOT NULL,
  type       TEXT NOT NULL,
  CONSTRAINT artifact_heads_pk PRIMARY KEY (path),
  CONSTRAINT artifact_heads_version FOREIGN KEY (path, generation)
    REFERENCES artifacts (path, generation)
);
INSERT INTO artifact_heads (path, generation, type)
  SELECT a.path, a.generation, a.type FROM artifacts a
  WHERE a.generation = (SELECT MAX(n.generation) FROM artifacts n WHERE n.path = a.path);

CREATE TABLE blob_heads (
  path       ${key_text} NOT NULL,
  generation INTEGER NOT NULL,
  CONSTRAINT blob_heads_pk PRIMARY KEY (path),
  CONSTRAINT blob_heads_version FOREIGN KEY (path, generation)
    REFERENCES blob_versions (path, generation)
);
INSERT INTO blob_heads (path, generation)
  SELECT v.path, v.generation FROM blob_versions v
  WHERE v.generation = (SELECT MAX(n.generation) FROM blob_versions n WHERE n.path = v.path);
