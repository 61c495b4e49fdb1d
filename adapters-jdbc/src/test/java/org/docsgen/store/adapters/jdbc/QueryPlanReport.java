package org.docsgen.store.adapters.jdbc;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.docsgen.store.adapters.jdbc.testing.PostgresFixture;
import org.docsgen.store.adapters.jdbc.testing.SqliteFixture;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.out.ArtifactQuery;
import org.docsgen.store.ports.out.IssueQuery;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not part of the build (the name matches no surefire pattern): prints the query plans recorded in
 * docs/storage-layout.md. Seeds 1,000 and then 100,000 artifact and issue rows (a quarter of them
 * in the one run and stage queried) and EXPLAINs the statements the store runs for the UI's pages.
 * Run with {@code mvn -o -pl adapters-jdbc -am verify -Dtest=QueryPlanReport
 * -Dsurefire.failIfNoSpecifiedTests=false} (add {@code -Dplans.rows=1000000} for other scales); the
 * output is in target/surefire-reports.
 */
class QueryPlanReport {
  private static final RunId TARGET = RunId.parse("run_2026_11_28_0001");
  private static final int RUNS = 40;

  @TempDir Path dir;

  @Test
  void sqlite() {
    for (int rows : scales()) {
      try (JdbcDatabase db =
          JdbcDatabase.open(SqliteFixture.settings(SqliteFixture.newDatabase(dir)))) {
        report(db, rows, "EXPLAIN QUERY PLAN ", "ANALYZE");
      }
    }
  }

  @Test
  void postgres() {
    for (int rows : scales()) {
      try (JdbcDatabase db =
          JdbcDatabase.open(PostgresFixture.settings(PostgresFixture.newSchema()))) {
        report(
            db, rows, "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF) ", "ANALYZE");
      }
    }
  }

  /** Row counts to seed: {@code -Dplans.rows=1000,100000} (the default). */
  private static int[] scales() {
    return java.util.Arrays.stream(System.getProperty("plans.rows", "1000,100000").split(","))
        .mapToInt(text -> Integer.parseInt(text.strip()))
        .toArray();
  }

  private static void report(JdbcDatabase db, int rows, String explain, String analyze) {
    seed(db, rows);
    // VACUUM cannot run inside a transaction: autocommit on a reader connection
    db.read("analyze", h -> h.execute(analyze));
    System.out.printf("%n===== %s, %,d artifacts and %,d issues%n", db.backend(), rows, rows);
    LogicalPath middle =
        LogicalPath.of(TARGET, Stage.phase(1), String.format("f%06d.md", rows / 8));
    ArtifactQuery stagePage = ArtifactQuery.latest(TARGET).inStage(Stage.phase(1));
    plan(
        db,
        explain,
        "one stage's page of artifacts (first page, latest only)",
        ArtifactIndexDao.pageSql(stagePage),
        q -> {
          ArtifactIndexDao.bindPage(q, stagePage, "", 0, 101);
        });
    plan(
        db,
        explain,
        "one stage's page of artifacts (cursor in the middle)",
        ArtifactIndexDao.pageSql(stagePage),
        q -> {
          ArtifactIndexDao.bindPage(q, stagePage, middle.toString(), 1, 101);
        });
    ArtifactQuery allOfStage = ArtifactQuery.allVersions(TARGET).inStage(Stage.phase(1));
    plan(
        db,
        explain,
        "one stage's page of artifacts (all versions, cursor in the middle)",
        ArtifactIndexDao.pageSql(allOfStage),
        q -> ArtifactIndexDao.bindPage(q, allOfStage, middle.toString(), 1, 101));
    IssueQuery byFile =
        IssueQuery.all(TARGET)
            .withFile(LogicalPath.of(TARGET, Stage.FINAL, "f000007.md"))
            .withSeverity(Severity.ERROR);
    plan(
        db,
        explain,
        "issues by run, file and severity",
        IssueDao.pageSql(byFile),
        q -> {
          IssueDao.bindFilters(q, byFile);
          q.bind("afterId", 0L).bind("limit", 101);
        });
    IssueQuery byRule = IssueQuery.all(TARGET).withRule("rule-03");
    plan(
        db,
        explain,
        "issues by run and rule",
        IssueDao.pageSql(byRule),
        q -> {
          IssueDao.bindFilters(q, byRule);
          q.bind("afterId", 0L).bind("limit", 101);
        });
    IssueQuery all = IssueQuery.all(TARGET);
    plan(
        db,
        explain,
        "issues by run",
        IssueDao.pageSql(all),
        q -> {
          IssueDao.bindFilters(q, all);
          q.bind("afterId", 0L).bind("limit", 101);
        });
    plan(
        db,
        explain,
        "severity counts of a run",
        IssueDao.countSql(all),
        q -> IssueDao.bindFilters(q, all));
    IssueQuery gate = all.ofExecution(Stage.FINAL, 1).withSeverity(Severity.ERROR);
    plan(
        db,
        explain,
        "severity counts of an execution's ERRORs (gate)",
        IssueDao.countSql(gate),
        q -> IssueDao.bindFilters(q, gate));
  }

  private static void plan(
      JdbcDatabase db, String explain, String title, String sql, Consumer<Query> binds) {
    List<String> lines =
        db.read(
            "explain",
            h -> {
              Query q = h.createQuery(explain + sql);
              binds.accept(q);
              return q.map((rs, ctx) -> planLine(rs)).list();
            });
    System.out.printf("-- %s%n%s%n", title, sql);
    lines.forEach(line -> System.out.println("   " + line));
  }

  private static String planLine(java.sql.ResultSet rs) throws java.sql.SQLException {
    int columns = rs.getMetaData().getColumnCount();
    // SQLite: id, parent, notused, detail; PostgreSQL: one text column
    return columns >= 4
        ? "[" + rs.getInt(1) + "<" + rs.getInt(2) + "] " + rs.getString(4)
        : rs.getString(1);
  }

  /** A quarter of the rows in TARGET's phase1 (artifacts) and final@1 (issues), the rest spread. */
  private static void seed(JdbcDatabase db, int rows) {
    db.write(
        "seeding",
        h -> {
          for (int r = 1; r <= RUNS; r++) {
            RunId run = RunId.of(TARGET.date(), r);
            h.createUpdate(
                    "INSERT INTO runs (run_id, run_day, run_seq, status, created_by, created_at,"
                        + " core_files, bundle_readme) VALUES (:id, :day, :seq, 'ACTIVE', 'seed',"
                        + " 0, 'docsgen.md', :f)")
                .bind("id", run.toString())
                .bind("day", run.date().toString())
                .bind("seq", r)
                .bind("f", false)
                .execute();
            for (Stage stage :
                List.of(Stage.phase(1), Stage.phase(2), Stage.phase(3), Stage.FINAL)) {
              h.createUpdate(
                      "INSERT INTO executions (run_id, stage, stage_order, attempt, status,"
                          + " executor, started_at, finished_at) VALUES (:id, :stage, :o, 1,"
                          + " 'SUCCEEDED', 'seed', 0, 1)")
                  .bind("id", run.toString())
                  .bind("stage", stage.toString())
                  .bind("o", stage.order())
                  .execute();
            }
          }
          seedArtifacts(h, rows);
          seedIssues(h, rows);
          return null;
        });
  }

  private static void seedArtifacts(Handle h, int rows) {
    PreparedBatch batch =
        h.prepareBatch(
            "INSERT INTO artifacts (path, generation, run_id, stage, name, type, hash, size,"
                + " media_type, created_by, created_at, produced_by_attempt) VALUES (:path, 1,"
                + " :run, :stage, :name, 'DOCUMENTATION', :hash, 10, 'text/markdown', 'seed', 0,"
                + " 1)");
    String hash = "0".repeat(64);
    for (int i = 0; i < rows; i++) {
      boolean target = i < rows / 4;
      RunId run = target ? TARGET : RunId.of(TARGET.date(), 2 + i % (RUNS - 1));
      Stage stage = target ? Stage.phase(1) : List.of(Stage.phase(2), Stage.phase(3)).get(i % 2);
      String name = String.format("f%06d.md", i);
      batch
          .bind("path", LogicalPath.of(run, stage, name).toString())
          .bind("run", run.toString())
          .bind("stage", stage.toString())
          .bind("name", name)
          .bind("hash", hash)
          .add();
      flushEvery(batch, i);
    }
    batch.execute();
    h.execute(
        "INSERT INTO artifact_heads (path, generation, type)"
            + " SELECT path, generation, type FROM artifacts");
  }

  private static void flushEvery(PreparedBatch batch, int i) {
    if (i % 10_000 == 9_999) {
      batch.execute();
    }
  }

  private static void seedIssues(Handle h, int rows) {
    PreparedBatch batch =
        h.prepareBatch(
            "INSERT INTO issues (id, run_id, stage, attempt, file_path, generation, rule, severity,"
                + " message, validator, fingerprint) VALUES (:id, :run, 'final', 1, :file, 1,"
                + " :rule, :severity, 'message', 'seed', :fp)");
    for (int i = 0; i < rows; i++) {
      // the queried run's issues get the highest ids: the worst case for a scan in id order
      RunId run = i >= rows - rows / 4 ? TARGET : RunId.of(TARGET.date(), 2 + i % (RUNS - 1));
      batch
          .bind("id", (long) i + 1)
          .bind("run", run.toString())
          .bind(
              "file",
              LogicalPath.of(run, Stage.FINAL, String.format("f%06d.md", i % 200)).toString())
          .bind("rule", String.format("rule-%02d", i % 25))
          .bind("severity", Severity.values()[i % 3].name())
          .bind("fp", "0".repeat(32))
          .add();
      flushEvery(batch, i);
    }
    batch.execute();
  }
}
