package org.docsgen.store.adapters.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Artifact bytes in the database: versions, their chunks, and uploads still in flight. */
@RegisterRowMapper(BlobDao.VersionMapper.class)
interface BlobDao {
  @SqlUpdate("INSERT INTO blob_uploads (blob_id, started_at) VALUES (:blobId, :startedAt)")
  void startUpload(long blobId, long startedAt);

  @SqlUpdate("DELETE FROM blob_uploads WHERE blob_id = :blobId")
  void endUpload(long blobId);

  @SqlUpdate("INSERT INTO blob_chunks (blob_id, seq, bytes) VALUES (:blobId, :seq, :bytes)")
  void insertChunk(long blobId, int seq, byte[] bytes);

  @SqlQuery("SELECT bytes FROM blob_chunks WHERE blob_id = :blobId AND seq = :seq")
  Optional<byte[]> chunk(long blobId, int seq);

  @SqlUpdate("DELETE FROM blob_chunks WHERE blob_id = :blobId")
  void deleteChunks(long blobId);

  @SqlUpdate(
      "DELETE FROM blob_chunks WHERE blob_id IN"
          + " (SELECT blob_id FROM blob_uploads WHERE started_at < :cutoff)")
  int deleteStaleChunks(long cutoff);

  @SqlUpdate("DELETE FROM blob_uploads WHERE started_at < :cutoff")
  int deleteStaleUploads(long cutoff);

  /** Makes a version visible; 0 rows when (path, generation) exists (the guard's atomic create). */
  @SqlUpdate(
      "INSERT INTO blob_versions (path, generation, blob_id, run_id, stage, type, hash, size,"
          + " media_type, created_by, created_at, chunk_size) VALUES (:path, :generation, :blobId,"
          + " :runId, :stage, :type, :hash, :size, :mediaType, :createdBy, :createdAt,"
          + " :chunkSize) ON CONFLICT (path, generation) DO NOTHING")
  int insertVersion(
      String path,
      int generation,
      long blobId,
      String runId,
      String stage,
      String type,
      String hash,
      long size,
      String mediaType,
      String createdBy,
      long createdAt,
      int chunkSize);

  @SqlQuery("SELECT * FROM blob_versions WHERE path = :path AND generation = :generation")
  Optional<BlobVersion> find(String path, int generation);

  @SqlQuery("SELECT * FROM blob_versions WHERE path = :path ORDER BY generation DESC LIMIT 1")
  Optional<BlobVersion> findLatest(String path);

  /** Raises the path's head to {@code generation}; never lowers it. */
  @SqlUpdate(
      "INSERT INTO blob_heads (path, generation) VALUES (:path, :generation)"
          + " ON CONFLICT (path) DO UPDATE SET generation = excluded.generation"
          + " WHERE blob_heads.generation < excluded.generation")
  void raiseHead(String path, int generation);

  /** Drops a path's head, only while it is {@code generation} (0 rows: a newer one exists). */
  @SqlUpdate("DELETE FROM blob_heads WHERE path = :path AND generation = :generation")
  int dropHead(String path, int generation);

  /** Moves a path's head from {@code generation} to {@code below}; 0 rows when it is not there. */
  @SqlUpdate(
      "UPDATE blob_heads SET generation = :below WHERE path = :path AND generation = :generation")
  int lowerHead(String path, int generation, int below);

  @SqlUpdate("DELETE FROM blob_versions WHERE path = :path AND generation = :generation")
  int deleteVersion(String path, int generation);

  /**
   * Latest generations of the paths in {@code (afterPath, pathEnd)} (a run's or a stage's, see
   * {@link PathRange}), by path: a range of blob_heads_pk joined to blob_versions_pk.
   */
  @SqlQuery(
      "SELECT v.* FROM blob_heads h JOIN blob_versions v"
          + " ON v.path = h.path AND v.generation = h.generation"
          + " WHERE h.path > :afterPath AND h.path < :pathEnd"
          + " AND v.path > :afterPath AND v.path < :pathEnd ORDER BY h.path LIMIT :limit")
  List<BlobVersion> latest(String afterPath, String pathEnd, int limit);

  /** Every generation of the paths in the range after {@code (afterPath, afterGeneration)}. */
  @SqlQuery(
      "SELECT * FROM blob_versions"
          + " WHERE (path, generation) > (:afterPath, :afterGeneration) AND path < :pathEnd"
          + " ORDER BY path, generation LIMIT :limit")
  List<BlobVersion> versions(String afterPath, int afterGeneration, String pathEnd, int limit);

  /** A stored version: what the store knows of it, where its bytes are and how they are cut. */
  record BlobVersion(ArtifactInfo info, long blobId, int chunkSize) {}

  final class VersionMapper implements RowMapper<BlobVersion> {
    @Override
    public BlobVersion map(ResultSet rs, StatementContext ctx) throws SQLException {
      return new BlobVersion(
          new ArtifactInfo(
              LogicalPath.parse(rs.getString("path")),
              ArtifactType.valueOf(rs.getString("type")),
              new ContentHash(rs.getString("hash")),
              rs.getLong("size"),
              rs.getString("media_type"),
              rs.getString("created_by"),
              EpochNanos.toInstant(rs.getLong("created_at")),
              rs.getInt("generation")),
          rs.getLong("blob_id"),
          rs.getInt("chunk_size"));
    }
  }
}
