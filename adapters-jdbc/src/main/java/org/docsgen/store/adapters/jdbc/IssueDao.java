package org.docsgen.store.adapters.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.issue.Fingerprint;
import org.docsgen.store.domain.issue.IssueLocation;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.issue.ValidationIssue;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.out.IssueQuery;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Validation issues. */
@RegisterRowMapper(IssueDao.IssueMapper.class)
interface IssueDao extends SqlObject {
  String INSERT =
      "INSERT INTO issues (id, run_id, stage, attempt, file_path, generation, rule, severity,"
          + " message, line_no, column_no, end_line_no, end_column_no, validator, fingerprint)"
          + " VALUES (:id, :runId, :stage, :attempt, :file, :generation, :rule, :severity,"
          + " :message, :line, :column, :endLine, :endColumn, :validator, :fingerprint)";

  /** Inserts {@code issues} (ids already assigned) as one prepared batch. */
  default void insertAll(List<ValidationIssue> issues) {
    PreparedBatch batch = getHandle().prepareBatch(INSERT);
    for (ValidationIssue issue : issues) {
      IssueLocation at = issue.location();
      batch
          .bind("id", issue.id())
          .bind("runId", issue.runId().toString())
          .bind("stage", issue.stage().toString())
          .bind("attempt", issue.attempt())
          .bind("file", issue.file().toString())
          .bind("generation", issue.generation())
          .bind("rule", issue.rule())
          .bind("severity", issue.severity().name())
          .bind("message", issue.message())
          .bind("line", at.line())
          .bind("column", at.column())
          .bind("endLine", at.endLine())
          .bind("endColumn", at.endColumn())
          .bind("validator", issue.validator())
          .bind("fingerprint", issue.fingerprint().value())
          .add();
    }
    batch.execute();
  }

  @SqlQuery("SELECT * FROM issues WHERE run_id = :runId AND id = :id")
  Optional<ValidationIssue> find(String runId, long id);

  /**
   * Issues matching {@code query} with an id above {@code afterId}, by id. Each filter is an
   * equality on the leading columns of one of the issues_by_* indexes, so the planner reads one
   * index range in id order and stops after {@code limit} rows.
   */
  default List<ValidationIssue> page(IssueQuery query, long afterId, int limit) {
    Query statement =
        getHandle().createQuery(pageSql(query)).bind("afterId", afterId).bind("limit", limit);
    bindFilters(statement, query);
    return statement.map(new IssueMapper()).list();
  }

  /** Counts per severity (every severity present), read from the matching index. */
  default Map<Severity, Long> countBySeverity(IssueQuery query) {
    Map<Severity, Long> counts = new EnumMap<>(Severity.class);
    for (Severity severity : Severity.values()) {
      counts.put(severity, 0L);
    }
    Query statement = getHandle().createQuery(countSql(query));
    bindFilters(statement, query);
    statement
        .map((rs, ctx) -> Map.entry(Severity.valueOf(rs.getString(1)), rs.getLong(2)))
        .forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
    return counts;
  }

  /** The statement {@link #page} runs (bind {@link #bindFilters}, afterId, limit). */
  static String pageSql(IssueQuery query) {
    return "SELECT * FROM issues" + where(query) + " AND id > :afterId ORDER BY id LIMIT :limit";
  }

  /** The statement {@link #countBySeverity} runs (bind {@link #bindFilters}). */
  static String countSql(IssueQuery query) {
    return "SELECT severity, COUNT(*) AS n FROM issues" + where(query) + " GROUP BY severity";
  }

  private static String where(IssueQuery query) {
    StringBuilder sql = new StringBuilder(" WHERE run_id = :runId");
    if (query.stage() != null) {
      sql.append(" AND stage = :stage");
    }
    if (query.attempt() != null) {
      sql.append(" AND attempt = :attempt");
    }
    if (query.file() != null) {
      sql.append(" AND file_path = :file");
    }
    if (query.rule() != null) {
      sql.append(" AND rule = :rule");
    }
    if (query.severity() != null) {
      sql.append(" AND severity = :severity");
    }
    return sql.toString();
  }

  static void bindFilters(SqlStatement<?> statement, IssueQuery query) {
    statement.bind("runId", query.runId().toString());
    if (query.stage() != null) {
      statement.bind("stage", query.stage().toString());
    }
    if (query.attempt() != null) {
      statement.bind("attempt", query.attempt().intValue());
    }
    if (query.file() != null) {
      statement.bind("file", query.file().toString());
    }
    if (query.rule() != null) {
      statement.bind("rule", query.rule());
    }
    if (query.severity() != null) {
      statement.bind("severity", query.severity().name());
    }
  }

  final class IssueMapper implements RowMapper<ValidationIssue> {
    @Override
    public ValidationIssue map(ResultSet rs, StatementContext ctx) throws SQLException {
      return new ValidationIssue(
          rs.getLong("id"),
          RunId.parse(rs.getString("run_id")),
          Stage.parse(rs.getString("stage")),
          rs.getInt("attempt"),
          LogicalPath.parse(rs.getString("file_path")),
          rs.getInt("generation"),
          rs.getString("rule"),
          Severity.valueOf(rs.getString("severity")),
          rs.getString("message"),
          new IssueLocation(
              nullableInt(rs, "line_no"),
              nullableInt(rs, "column_no"),
              nullableInt(rs, "end_line_no"),
              nullableInt(rs, "end_column_no")),
          rs.getString("validator"),
          new Fingerprint(rs.getString("fingerprint")));
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
      int value = rs.getInt(column);
      return rs.wasNull() ? null : value;
    }
  }
}
