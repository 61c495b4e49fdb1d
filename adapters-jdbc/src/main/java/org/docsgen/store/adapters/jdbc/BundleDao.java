package org.docsgen.store.adapters.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactVersion;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.bundle.BundleEntry;
import org.docsgen.store.domain.bundle.BundleRecord;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Bundle records and their entries (one bundle per run; never changed). */
interface BundleDao extends SqlObject {
  /** Inserts the bundle row; 0 rows when the run already has one (the primary key decides). */
  @SqlUpdate(
      "INSERT INTO bundles (run_id, zip_path, zip_generation, zip_hash, zip_size, final_stage,"
          + " final_attempt, created_by, created_at, attestation, signature) VALUES (:runId,"
          + " :zipPath, :zipGeneration, :zipHash, :zipSize, :finalStage, :finalAttempt,"
          + " :createdBy, :createdAt, :attestation, :signature) ON CONFLICT (run_id) DO NOTHING")
  int insert(
      String runId,
      String zipPath,
      int zipGeneration,
      String zipHash,
      long zipSize,
      String finalStage,
      int finalAttempt,
      String createdBy,
      long createdAt,
      String attestation,
      String signature);

  default void insertEntries(RunId runId, List<BundleEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    PreparedBatch batch =
        getHandle()
            .prepareBatch(
                "INSERT INTO bundle_entries (run_id, ordinal, entry_name, hash, size,"
                    + " source_path, source_generation, source_hash) VALUES (:runId, :ordinal,"
                    + " :name, :hash, :size, :sourcePath, :sourceGeneration, :sourceHash)");
    int ordinal = 0;
    for (BundleEntry entry : entries) {
      ArtifactVersion source = entry.source();
      batch
          .bind("runId", runId.toString())
          .bind("ordinal", ordinal++)
          .bind("name", entry.name())
          .bind("hash", entry.hash().hex())
          .bind("size", entry.size())
          .bind("sourcePath", source == null ? null : source.path().toString())
          .bind("sourceGeneration", source == null ? null : source.generation())
          .bind("sourceHash", source == null ? null : source.hash().hex())
          .add();
    }
    batch.execute();
  }

  /** The bundle of a run with its entries in recorded order; call inside one transaction. */
  default Optional<BundleRecord> find(RunId runId) {
    List<BundleEntry> entries =
        getHandle()
            .createQuery("SELECT * FROM bundle_entries WHERE run_id = :runId ORDER BY ordinal")
            .bind("runId", runId.toString())
            .map((rs, ctx) -> entry(rs))
            .list();
    return getHandle()
        .createQuery("SELECT * FROM bundles WHERE run_id = :runId")
        .bind("runId", runId.toString())
        .map((rs, ctx) -> record(rs, runId, entries))
        .findOne();
  }

  private static BundleEntry entry(ResultSet rs) throws SQLException {
    String sourcePath = rs.getString("source_path");
    ArtifactVersion source =
        sourcePath == null
            ? null
            : new ArtifactVersion(
                LogicalPath.parse(sourcePath),
                rs.getInt("source_generation"),
                new ContentHash(rs.getString("source_hash")));
    return new BundleEntry(
        rs.getString("entry_name"),
        new ContentHash(rs.getString("hash")),
        rs.getLong("size"),
        source);
  }

  private static BundleRecord record(ResultSet rs, RunId runId, List<BundleEntry> entries)
      throws SQLException {
    return new BundleRecord(
        runId,
        new ArtifactVersion(
            LogicalPath.parse(rs.getString("zip_path")),
            rs.getInt("zip_generation"),
            new ContentHash(rs.getString("zip_hash"))),
        rs.getLong("zip_size"),
        entries,
        new ExecutionRef(
            runId, Stage.parse(rs.getString("final_stage")), rs.getInt("final_attempt")),
        rs.getString("created_by"),
        EpochNanos.toInstant(rs.getLong("created_at")),
        rs.getString("attestation"),
        rs.getString("signature"));
  }
}
