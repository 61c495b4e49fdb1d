package org.docsgen.store.adapters.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.run.CoreFileSet;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.RunStatus;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Runs and their per-day sequences. */
@RegisterRowMapper(RunDao.RunMapper.class)
interface RunDao {
  /** The newest run id sorts before this key; the first page of newest-first listings. */
  String NEWEST_DAY = "9999-12-31";

  /**
   * Takes the next sequence number of {@code day}: inserts 1 or bumps the row, holding its lock
   * until the surrounding transaction ends, so concurrent creates queue and never share a number.
   */
  @SqlQuery(
      "INSERT INTO run_sequences (run_day, last_seq) VALUES (:day, 1)"
          + " ON CONFLICT (run_day) DO UPDATE SET last_seq = run_sequences.last_seq + 1"
          + " RETURNING last_seq")
  int nextSequence(String day);

  @SqlUpdate(
      "INSERT INTO runs (run_id, run_day, run_seq, status, created_by, created_at, core_files,"
          + " bundle_readme) VALUES (:runId, :day, :seq, :status, :createdBy, :createdAt,"
          + " :coreFiles, :bundleReadme)")
  void insert(
      String runId,
      String day,
      int seq,
      String status,
      String createdBy,
      long createdAt,
      String coreFiles,
      boolean bundleReadme);

  String FIND = "SELECT * FROM runs WHERE run_id = :runId";

  /**
   * The columns the statements of {@link HotSql} select, in the order {@link #RUNS} reads them by
   * position (a name lookup per column per row showed in the profile of every request).
   */
  String COLUMNS = "run_id, status, created_by, created_at, core_files, bundle_readme";

  /** Maps a row of {@link #COLUMNS} by position. */
  RowMapper<Run> RUNS = (rs, ctx) -> runAt(rs, 1);

  /** The run whose {@link #COLUMNS} start at column {@code first}. */
  static Run runAt(ResultSet rs, int first) throws SQLException {
    return run(
        rs.getString(first),
        rs.getString(first + 1),
        rs.getString(first + 2),
        rs.getLong(first + 3),
        rs.getString(first + 4),
        rs.getBoolean(first + 5));
  }

  @SqlQuery(FIND)
  Optional<Run> find(String runId);

  /** {@link #find(String)} without attaching a SQL object (the hot path of every write). */
  static Optional<Run> find(Handle h, String runId) {
    return HotSql.one(h, FIND_BY_ID, s -> s.setString(1, runId), RUNS);
  }

  /** {@link #FIND} with a positional parameter, for {@link HotSql}. */
  String FIND_BY_ID = "SELECT " + COLUMNS + " FROM runs WHERE run_id = ?";

  /** Runs before {@code (day, seq)}, newest first: a backward range scan of runs_day_seq. */
  @SqlQuery(
      "SELECT * FROM runs WHERE (run_day, run_seq) < (:day, :seq)"
          + " ORDER BY run_day DESC, run_seq DESC LIMIT :limit")
  List<Run> pageBefore(String day, int seq, int limit);

  @SqlUpdate("UPDATE runs SET status = :status WHERE run_id = :runId")
  int setStatus(String runId, String status);

  static String coreFiles(CoreFileSet set) {
    // file names are [A-Za-z0-9._-]+, so a newline never occurs inside one
    return String.join("\n", set.names());
  }

  /**
   * The core file set stored as {@code stored}, decoded once per distinct text: every write reads
   * its run (twice), and validating and sorting 43 names each time was the largest single CPU cost
   * of mapping a run. Most runs share the standard set; at most {@link KnownCoreFiles#MAX} texts
   * are kept.
   */
  static CoreFileSet coreFilesOf(String stored) {
    CoreFileSet known = KnownCoreFiles.SETS.get(stored);
    if (known == null) {
      known = CoreFileSet.of(List.of(stored.split("\n")));
      if (KnownCoreFiles.SETS.size() >= KnownCoreFiles.MAX) {
        KnownCoreFiles.SETS.clear();
      }
      KnownCoreFiles.SETS.put(stored, known);
    }
    return known;
  }

  /** Decoded core file sets by their stored text (immutable values, so sharing them is safe). */
  final class KnownCoreFiles {
    static final int MAX = 1024;
    static final java.util.Map<String, CoreFileSet> SETS =
        new java.util.concurrent.ConcurrentHashMap<>();

    private KnownCoreFiles() {}
  }

  static Run run(
      String runId,
      String status,
      String createdBy,
      long createdAt,
      String coreFiles,
      boolean bundleReadme) {
    return new Run(
        RunId.parse(runId),
        RunStatus.valueOf(status),
        createdBy,
        EpochNanos.toInstant(createdAt),
        coreFilesOf(coreFiles),
        bundleReadme);
  }

  /** Maps a row by column name (the SQL object queries, {@code SELECT *}). */
  final class RunMapper implements RowMapper<Run> {
    @Override
    public Run map(ResultSet rs, StatementContext ctx) throws SQLException {
      return run(
          rs.getString("run_id"),
          rs.getString("status"),
          rs.getString("created_by"),
          rs.getLong("created_at"),
          rs.getString("core_files"),
          rs.getBoolean("bundle_readme"));
    }
  }
}
