package org.docsgen.store.adapters.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Phase executions. */
@RegisterRowMapper(ExecutionDao.ExecutionMapper.class)
interface ExecutionDao {
  @SqlQuery(
      "SELECT COALESCE(MAX(attempt), 0) FROM executions WHERE run_id = :runId AND stage = :stage")
  int maxAttempt(String runId, String stage);

  /**
   * Inserts a RUNNING attempt; 0 rows when the attempt exists or the stage already has a RUNNING
   * execution (the partial unique index executions_one_running is the arbiter).
   */
  @SqlUpdate(
      "INSERT INTO executions (run_id, stage, stage_order, attempt, status, executor, started_at)"
          + " VALUES (:runId, :stage, :stageOrder, :attempt, 'RUNNING', :executor, :startedAt)"
          + " ON CONFLICT DO NOTHING")
  int insertRunning(
      String runId, String stage, int stageOrder, int attempt, String executor, long startedAt);

  /** Finishes the attempt if, and only if, it is still RUNNING (compare-and-set). */
  @SqlUpdate(
      "UPDATE executions SET status = :status, finished_at = :finishedAt, error = :error"
          + " WHERE run_id = :runId AND stage = :stage AND attempt = :attempt"
          + " AND status = 'RUNNING'")
  int finish(String runId, String stage, int attempt, String status, long finishedAt, String error);

  String FIND =
      "SELECT * FROM executions WHERE run_id = :runId AND stage = :stage AND attempt = :attempt";

  @SqlQuery(FIND)
  Optional<PhaseExecution> find(String runId, String stage, int attempt);

  String FIND_RUNNING =
      "SELECT * FROM executions WHERE run_id = :runId AND stage = :stage AND status = 'RUNNING'";

  /**
   * The columns the statements of {@link HotSql} select, in the order {@link #EXECUTIONS} reads
   * them by position.
   */
  String COLUMNS = "run_id, stage, attempt, status, executor, started_at, finished_at, error";

  /** Maps a row of {@link #COLUMNS} by position. */
  RowMapper<PhaseExecution> EXECUTIONS = (rs, ctx) -> executionAt(rs, 1);

  /** The execution whose {@link #COLUMNS} start at column {@code first}. */
  static PhaseExecution executionAt(ResultSet rs, int first) throws SQLException {
    long finished = rs.getLong(first + 6);
    boolean running = rs.wasNull();
    return execution(
        rs.getString(first),
        rs.getString(first + 1),
        rs.getInt(first + 2),
        rs.getString(first + 3),
        rs.getString(first + 4),
        rs.getLong(first + 5),
        running ? null : finished,
        rs.getString(first + 7));
  }

  @SqlQuery(FIND_RUNNING)
  Optional<PhaseExecution> findRunning(String runId, String stage);

  /** {@link #findRunning(String, String)} without attaching a SQL object (every write asks). */
  static Optional<PhaseExecution> findRunning(Handle h, String runId, String stage) {
    return HotSql.one(
        h,
        FIND_RUNNING_BY_STAGE,
        s -> {
          s.setString(1, runId);
          s.setString(2, stage);
        },
        EXECUTIONS);
  }

  /** {@link #FIND_RUNNING} with positional parameters, for {@link HotSql}. */
  String FIND_RUNNING_BY_STAGE =
      "SELECT "
          + COLUMNS
          + " FROM executions WHERE run_id = ? AND stage = ? AND status = 'RUNNING'";

  /** {@link #FIND} with positional parameters, for {@link HotSql}. */
  String FIND_BY_ATTEMPT =
      "SELECT " + COLUMNS + " FROM executions WHERE run_id = ? AND stage = ? AND attempt = ?";

  @SqlQuery(
      "SELECT * FROM executions WHERE run_id = :runId AND stage = :stage"
          + " ORDER BY attempt DESC LIMIT 1")
  Optional<PhaseExecution> findLatest(String runId, String stage);

  @SqlQuery(
      "SELECT * FROM executions WHERE run_id = :runId"
          + " AND (stage_order, attempt) > (:stageOrder, :attempt)"
          + " ORDER BY stage_order, attempt LIMIT :limit")
  List<PhaseExecution> pageOfRun(String runId, int stageOrder, int attempt, int limit);

  @SqlQuery(
      "SELECT * FROM executions WHERE run_id = :runId AND stage_order = :stageOrder"
          + " AND attempt > :attempt ORDER BY attempt LIMIT :limit")
  List<PhaseExecution> pageOfStage(String runId, int stageOrder, int attempt, int limit);

  static PhaseExecution execution(
      String runId,
      String stage,
      int attempt,
      String status,
      String executor,
      long startedAt,
      Long finishedAt,
      String error) {
    return new PhaseExecution(
        RunId.parse(runId),
        Stage.parse(stage),
        attempt,
        ExecutionStatus.valueOf(status),
        executor,
        EpochNanos.toInstant(startedAt),
        finishedAt == null ? null : EpochNanos.toInstant(finishedAt),
        error);
  }

  /** Maps a row by column name (the SQL object queries, {@code SELECT *}). */
  final class ExecutionMapper implements RowMapper<PhaseExecution> {
    @Override
    public PhaseExecution map(ResultSet rs, StatementContext ctx) throws SQLException {
      long finished = rs.getLong("finished_at");
      boolean running = rs.wasNull();
      return execution(
          rs.getString("run_id"),
          rs.getString("stage"),
          rs.getInt("attempt"),
          rs.getString("status"),
          rs.getString("executor"),
          rs.getLong("started_at"),
          running ? null : finished,
          rs.getString("error"));
    }
  }
}
