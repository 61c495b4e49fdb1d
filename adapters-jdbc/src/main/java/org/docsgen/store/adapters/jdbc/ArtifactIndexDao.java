package org.docsgen.store.adapters.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.ports.out.ArtifactQuery;
import org.docsgen.store.ports.out.ArtifactRecord;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The artifact index and execution outputs. The statements of every artifact write and read ({@link
 * #findLatest(Handle, String)}, {@link #find(Handle, String, int)}, {@link #index}) run through
 * Jdbi's fluent API with a shared mapper: attaching a SQL object costs a per-call proxy and
 * configuration walk that showed as the largest share of a read's CPU time.
 */
@RegisterRowMapper(ArtifactIndexDao.RecordMapper.class)
interface ArtifactIndexDao extends SqlObject {
  // positional parameters: these run through HotSql on every write and read
  String INSERT =
      "INSERT INTO artifacts (path, generation, run_id, stage, name, type, hash, size, media_type,"
          + " created_by, created_at, produced_by_attempt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
          + " ?) ON CONFLICT (path, generation) DO NOTHING";
  String RAISE_HEAD =
      "INSERT INTO artifact_heads (path, generation, type) VALUES (?, ?, ?)"
          + " ON CONFLICT (path) DO UPDATE SET generation = excluded.generation,"
          + " type = excluded.type WHERE artifact_heads.generation < excluded.generation";
  String LINK_OUTPUT =
      "INSERT INTO execution_outputs (run_id, stage, attempt, path, generation)"
          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

  /**
   * The columns {@link #FIND} and {@link #FIND_LATEST} select, in the order {@link #RECORDS} reads
   * them by position (a name lookup per column per row showed in the profile of every read).
   */
  String COLUMNS =
      "path, type, hash, size, media_type, created_by, created_at, generation,"
          + " produced_by_attempt";

  String FIND = "SELECT " + COLUMNS + " FROM artifacts WHERE path = ? AND generation = ?";
  String FIND_LATEST =
      "SELECT " + COLUMNS + " FROM artifacts WHERE path = ? ORDER BY generation DESC LIMIT 1";

  /** Maps a row of {@link #COLUMNS} by position. */
  RowMapper<ArtifactRecord> RECORDS = (rs, ctx) -> recordAt(rs, 1);

  /** The record whose {@link #COLUMNS} start at column {@code first}. */
  static ArtifactRecord recordAt(ResultSet rs, int first) throws SQLException {
    return record(
        rs.getString(first),
        rs.getString(first + 1),
        rs.getString(first + 2),
        rs.getLong(first + 3),
        rs.getString(first + 4),
        rs.getString(first + 5),
        rs.getLong(first + 6),
        rs.getInt(first + 7),
        rs.getInt(first + 8));
  }

  static Optional<ArtifactRecord> find(Handle h, String path, int generation) {
    return HotSql.one(
        h,
        FIND,
        s -> {
          s.setString(1, path);
          s.setInt(2, generation);
        },
        RECORDS);
  }

  static Optional<ArtifactRecord> findLatest(Handle h, String path) {
    return HotSql.one(h, FIND_LATEST, s -> s.setString(1, path), RECORDS);
  }

  /**
   * Indexes {@code info} as produced by {@code attempt} unless (path, generation) is already
   * indexed ({@code ON CONFLICT DO NOTHING}: the row is the arbiter), and returns the row now there
   * (ours or a concurrent writer's), raising the head and linking the execution output only when it
   * is ours in content.
   */
  static ArtifactRecord index(Handle h, ArtifactInfo info, int attempt) {
    String path = info.path().toString();
    HotSql.update(
        h,
        INSERT,
        s -> {
          s.setString(1, path);
          s.setInt(2, info.generation());
          s.setString(3, info.runId().toString());
          s.setString(4, info.stage().toString());
          s.setString(5, info.name());
          s.setString(6, info.type().name());
          s.setString(7, info.hash().hex());
          s.setLong(8, info.size());
          s.setString(9, info.mediaType());
          s.setString(10, info.createdBy());
          s.setLong(11, EpochNanos.of(info.createdAt()));
          s.setInt(12, attempt);
        });
    return find(h, path, info.generation()).orElseThrow();
  }

  /**
   * Raises the path's head to {@code indexed}'s generation (never lowers it) and records the
   * version as an output of {@code producedBy}.
   */
  static void raiseHeadAndLink(Handle h, ArtifactRecord indexed, ExecutionRef producedBy) {
    ArtifactInfo info = indexed.info();
    String path = info.path().toString();
    HotSql.update(
        h,
        RAISE_HEAD,
        s -> {
          s.setString(1, path);
          s.setInt(2, info.generation());
          s.setString(3, info.type().name());
        });
    HotSql.update(
        h,
        LINK_OUTPUT,
        s -> {
          s.setString(1, producedBy.runId().toString());
          s.setString(2, producedBy.stage().toString());
          s.setInt(3, producedBy.attempt());
          s.setString(4, path);
          s.setInt(5, info.generation());
        });
  }

  /**
   * One execution's outputs after {@code afterPath}, one per path (the highest generation it
   * touched), sorted by path: a range scan of execution_outputs_pk, then primary-key lookups.
   */
  @SqlQuery(
      "SELECT a.* FROM artifacts a JOIN (SELECT path, MAX(generation) AS generation"
          + " FROM execution_outputs WHERE run_id = :runId AND stage = :stage"
          + " AND attempt = :attempt AND path > :afterPath GROUP BY path ORDER BY path"
          + " LIMIT :limit) o ON a.path = o.path AND a.generation = o.generation"
          + " ORDER BY a.path")
  List<ArtifactRecord> outputs(
      String runId, String stage, int attempt, String afterPath, int limit);

  /**
   * Versions matching {@code query} after the cursor key, sorted by path then generation, at most
   * {@code limit}. The run and stage are not equalities but the path range {@link PathRange} (every
   * path of a run or stage shares its prefix): all versions are a range of artifacts_pk, the latest
   * only a range of artifact_heads_pk joined to artifacts_pk. Either way the only index that fits
   * is read from the cursor in path order and the scan stops after {@code limit} rows, however
   * large the run, stage or table. A type filter is a residual test on those rows.
   */
  default List<ArtifactRecord> page(
      ArtifactQuery query, String afterPath, int afterGeneration, int limit) {
    Query statement = getHandle().createQuery(pageSql(query));
    bindPage(statement, query, afterPath, afterGeneration, limit);
    return statement.map(new RecordMapper()).list();
  }

  /** The statement {@link #page} runs; bind it with {@link #bindPage}. */
  static String pageSql(ArtifactQuery query) {
    if (query.latestOnly()) {
      // the range stated for both tables: PostgreSQL does not carry inequalities across a join,
      // and a merge join would otherwise read artifacts_pk from its start
      return "SELECT a.* FROM artifact_heads h JOIN artifacts a"
          + " ON a.path = h.path AND a.generation = h.generation"
          + " WHERE h.path > :afterPath AND h.path < :pathEnd"
          + " AND a.path > :afterPath AND a.path < :pathEnd"
          + (query.type() == null ? "" : " AND h.type = :type")
          + " ORDER BY h.path LIMIT :limit";
    }
    return "SELECT a.* FROM artifacts a"
        + " WHERE (a.path, a.generation) > (:afterPath, :afterGeneration) AND a.path < :pathEnd"
        + (query.type() == null ? "" : " AND a.type = :type")
        + " ORDER BY a.path, a.generation LIMIT :limit";
  }

  static void bindPage(
      SqlStatement<?> statement,
      ArtifactQuery query,
      String afterPath,
      int afterGeneration,
      int limit) {
    PathRange range = PathRange.of(query.runId(), query.stage());
    statement
        .bind("afterPath", range.after(afterPath))
        .bind("pathEnd", range.end())
        .bind("limit", limit);
    if (!query.latestOnly()) {
      statement.bind("afterGeneration", afterGeneration);
    }
    if (query.type() != null) {
      statement.bind("type", query.type().name());
    }
  }

  static ArtifactRecord record(
      String path,
      String type,
      String hash,
      long size,
      String mediaType,
      String createdBy,
      long createdAt,
      int generation,
      int producedByAttempt) {
    LogicalPath logical = LogicalPath.parse(path);
    ArtifactInfo info =
        new ArtifactInfo(
            logical,
            ArtifactType.valueOf(type),
            new ContentHash(hash),
            size,
            mediaType,
            createdBy,
            EpochNanos.toInstant(createdAt),
            generation);
    return new ArtifactRecord(
        info, new ExecutionRef(logical.runId(), logical.stage(), producedByAttempt));
  }

  /** Maps a row by column name (the SQL object queries, {@code SELECT a.*}). */
  final class RecordMapper implements RowMapper<ArtifactRecord> {
    @Override
    public ArtifactRecord map(ResultSet rs, StatementContext ctx) throws SQLException {
      return record(
          rs.getString("path"),
          rs.getString("type"),
          rs.getString("hash"),
          rs.getLong("size"),
          rs.getString("media_type"),
          rs.getString("created_by"),
          rs.getLong("created_at"),
          rs.getInt("generation"),
          rs.getInt("produced_by_attempt"));
    }
  }
}
