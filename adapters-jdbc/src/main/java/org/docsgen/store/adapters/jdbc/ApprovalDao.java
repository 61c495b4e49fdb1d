package org.docsgen.store.adapters.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.approval.ApprovalDecision;
import org.docsgen.store.domain.approval.ApprovalEvent;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/** Approval events, append-only; their id is the append order. */
interface ApprovalDao {
  @SqlUpdate(
      "INSERT INTO approvals (id, run_id, stage, decision, actor, comment, decided_at,"
          + " content_digest) VALUES (:id, :runId, :stage, :decision, :actor, :comment, :at,"
          + " :digest)")
  void insert(
      long id,
      String runId,
      String stage,
      String decision,
      String actor,
      String comment,
      long at,
      String digest);

  @UseRowMapper(ApprovalMapper.class)
  @SqlQuery(
      "SELECT * FROM approvals WHERE run_id = :runId AND id > :afterId"
          + " ORDER BY id LIMIT :limit")
  List<Ordered<ApprovalEvent>> pageOfRun(String runId, long afterId, int limit);

  @UseRowMapper(ApprovalMapper.class)
  @SqlQuery(
      "SELECT * FROM approvals WHERE run_id = :runId AND stage = :stage AND id > :afterId"
          + " ORDER BY id LIMIT :limit")
  List<Ordered<ApprovalEvent>> pageOfStage(String runId, String stage, long afterId, int limit);

  String LATEST =
      "SELECT * FROM approvals WHERE run_id = :runId AND stage = :stage ORDER BY id DESC LIMIT 1";

  /**
   * The columns the statements of {@link HotSql} select, in the order {@link #APPROVALS} reads them
   * by position.
   */
  String COLUMNS = "id, run_id, stage, decision, actor, comment, decided_at, content_digest";

  /** Maps a row of {@link #COLUMNS} by position. */
  RowMapper<Ordered<ApprovalEvent>> APPROVALS = (rs, ctx) -> approvalAt(rs, 1);

  /** The approval whose {@link #COLUMNS} start at column {@code first}. */
  static Ordered<ApprovalEvent> approvalAt(ResultSet rs, int first) throws SQLException {
    return approval(
        rs.getLong(first),
        rs.getString(first + 1),
        rs.getString(first + 2),
        rs.getString(first + 3),
        rs.getString(first + 4),
        rs.getString(first + 5),
        rs.getLong(first + 6),
        rs.getString(first + 7));
  }

  /** {@link #LATEST} with positional parameters, for {@link HotSql}. */
  String LATEST_OF_STAGE =
      "SELECT "
          + COLUMNS
          + " FROM approvals WHERE run_id = ? AND stage = ? ORDER BY id DESC LIMIT 1";

  /** The stage's latest approval event, without attaching a SQL object (every write asks). */
  static Optional<Ordered<ApprovalEvent>> latest(Handle h, String runId, String stage) {
    return HotSql.one(
        h,
        LATEST_OF_STAGE,
        s -> {
          s.setString(1, runId);
          s.setString(2, stage);
        },
        APPROVALS);
  }

  /** A row with the id that orders it (the cursor of the next page). */
  record Ordered<T>(long id, T value) {}

  static Ordered<ApprovalEvent> approval(
      long id,
      String runId,
      String stage,
      String decision,
      String actor,
      String comment,
      long decidedAt,
      String contentDigest) {
    return new Ordered<>(
        id,
        new ApprovalEvent(
            RunId.parse(runId),
            Stage.parse(stage),
            ApprovalDecision.valueOf(decision),
            actor,
            comment,
            EpochNanos.toInstant(decidedAt),
            new ContentHash(contentDigest)));
  }

  /** Maps a row by column name (the SQL object queries, {@code SELECT *}). */
  final class ApprovalMapper implements RowMapper<Ordered<ApprovalEvent>> {
    @Override
    public Ordered<ApprovalEvent> map(ResultSet rs, StatementContext ctx) throws SQLException {
      return approval(
          rs.getLong("id"),
          rs.getString("run_id"),
          rs.getString("stage"),
          rs.getString("decision"),
          rs.getString("actor"),
          rs.getString("comment"),
          rs.getLong("decided_at"),
          rs.getString("content_digest"));
    }
  }
}
