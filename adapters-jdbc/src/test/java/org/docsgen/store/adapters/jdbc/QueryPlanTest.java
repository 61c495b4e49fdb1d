package org.docsgen.store.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * The query plans behind the UI's pages, as docs/storage-layout.md ("Pages and the query plans
 * behind them") describes them, checked. Seeds {@value #DEFAULT_ROWS} artifact and issue rows (a
 * quarter of them in the one run and stage queried) into SQLite and PostgreSQL, EXPLAINs the
 * statements the store runs for the UI's pages and asserts that each reads the index it was
 * designed for: never a full scan of a table (SQLite {@code SCAN}, PostgreSQL {@code Seq Scan}),
 * never a sort of the rows found, and — where PostgreSQL reports the rows each index returned — no
 * more than one page ({@value #PAGE} rows) from each index of a page query, wherever the cursor is.
 * The plans are printed too (target/surefire-reports), for the document; other scales with {@code
 * -Dplans.rows=1000,100000} (below {@value #POSTGRES_CHECKED_FROM} rows PostgreSQL rightly prefers
 * scanning such small tables, so its plans are printed there, not checked).
 */
class QueryPlanTest {
  private static final RunId TARGET = RunId.parse("run_2026_11_28_0001");

  /** A run with a small share of the issues (about 2 %). */
  private static final RunId SMALL = RunId.parse("run_2026_11_28_0002");

  private static final int RUNS = 40;
  private static final int PAGE = 101;
  private static final int DEFAULT_ROWS = 20_000;
  private static final int POSTGRES_CHECKED_FROM = 20_000;

  @TempDir Path dir;

  @Test
  void sqlitePagesAndCountsSearchTheirIndexes() {
    for (int rows : scales()) {
      try (JdbcDatabase db =
          JdbcDatabase.open(SqliteFixture.settings(SqliteFixture.newDatabase(dir)))) {
        report(db, rows, "EXPLAIN QUERY PLAN ", "ANALYZE", QueryPlanTest::checkSqlite);
      }
    }
  }

  @Test
  void postgresPagesReadOnePageFromTheirIndexes() {
    for (int rows : scales()) {
      try (JdbcDatabase db =
          JdbcDatabase.open(PostgresFixture.settings(PostgresFixture.newSchema()))) {
        report(
            db,
            rows,
            "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF) ",
            "ANALYZE",
            rows >= POSTGRES_CHECKED_FROM ? QueryPlanTest::checkPostgres : (e, l) -> {});
      }
    }
  }

  /**
   * What one statement's plan must show. {@code sqlite} and {@code postgres} name the indexes it
   * reads (empty: that backend's plan is printed, not checked, for the reason in {@code why});
   * {@code page} marks a page query, whose every index read stops after one page.
   */
  private record Expect(List<String> sqlite, List<String> postgres, boolean page, String why) {
    static Expect page(List<String> sqlite, List<String> postgres) {
      return new Expect(sqlite, postgres, true, "");
    }

    static Expect indexed(List<String> sqlite, List<String> postgres) {
      return new Expect(sqlite, postgres, false, "");
    }
  }

  /** Asserts one plan (its lines, as printed) against what is expected of it. */
  private interface Check {
    void check(Expect expect, Plan plan);
  }

  private record Plan(String title, List<String> lines) {
    String describe() {
      return title + ":\n   " + String.join("\n   ", lines);
    }
  }

  private static void checkSqlite(Expect expect, Plan plan) {
    assertThat(plan.lines())
        .as("no full scan of a table, no sort of its rows: %s", plan.describe())
        .noneMatch(line -> line.matches("\\[.*\\] SCAN .*"))
        .noneMatch(line -> line.contains("USE TEMP B-TREE"));
    for (String index : expect.sqlite()) {
      assertThat(plan.lines())
          .as("searches index %s: %s", index, plan.describe())
          .anyMatch(
              line -> line.matches("\\[.*\\] SEARCH .* USING (COVERING )?INDEX " + index + " .*"));
    }
  }

  private static final Pattern ACTUAL_ROWS = Pattern.compile("\\(actual rows=(\\d+) ");

  private static void checkPostgres(Expect expect, Plan plan) {
    if (expect.postgres().isEmpty()) {
      return; // printed for the document only; expect.why() says why
    }
    assertThat(plan.lines())
        .as("no sequential scan of a table: %s", plan.describe())
        .noneMatch(line -> line.contains("Seq Scan"));
    for (String index : expect.postgres()) {
      assertThat(plan.lines())
          .as("reads index %s: %s", index, plan.describe())
          .anyMatch(
              line ->
                  line.matches(
                      ".*(Index Scan using|Index Only Scan using|Bitmap Index Scan on) "
                          + index
                          + " .*"));
    }
    if (expect.page()) {
      assertThat(plan.lines())
          .as("a page is read in index order, never sorted: %s", plan.describe())
          .noneMatch(line -> line.strip().matches("(->\\s+)?Sort .*"));
      for (String line : plan.lines()) {
        Matcher rows = ACTUAL_ROWS.matcher(line);
        if (line.contains("Index Scan") && rows.find()) {
          assertThat(Integer.parseInt(rows.group(1)))
              .as("rows read from one index for one page: %s", plan.describe())
              .isLessThanOrEqualTo(PAGE);
        }
      }
    }
  }

  /** Row counts to seed: {@code -Dplans.rows=1000,100000} ({@value #DEFAULT_ROWS} by default). */
  private static int[] scales() {
    return java.util.Arrays.stream(
            System.getProperty("plans.rows", String.valueOf(DEFAULT_ROWS)).split(","))
        .mapToInt(text -> Integer.parseInt(text.strip()))
        .toArray();
  }

  private static void report(
      JdbcDatabase db, int rows, String explain, String analyze, Check check) {
    seed(db, rows);
    // VACUUM cannot run inside a transaction: autocommit on a reader connection
    db.read("analyze", h -> h.execute(analyze));
    System.out.printf("%n===== %s, %,d artifacts and %,d issues%n", db.backend(), rows, rows);
    LogicalPath middle =
        LogicalPath.of(TARGET, Stage.phase(1), String.format("f%06d.md", rows / 8));
    Expect latestPage =
        Expect.page(
            List.of("sqlite_autoindex_artifact_heads_1", "sqlite_autoindex_artifacts_1"),
            List.of("artifact_heads_pk", "artifacts_pk"));
    ArtifactQuery stagePage = ArtifactQuery.latest(TARGET).inStage(Stage.phase(1));
    check.check(
        latestPage,
        plan(
            db,
            explain,
            "one stage's page of artifacts (first page, latest only)",
            ArtifactIndexDao.pageSql(stagePage),
            q -> ArtifactIndexDao.bindPage(q, stagePage, "", 0, PAGE)));
    check.check(
        latestPage,
        plan(
            db,
            explain,
            "one stage's page of artifacts (cursor in the middle)",
            ArtifactIndexDao.pageSql(stagePage),
            q -> ArtifactIndexDao.bindPage(q, stagePage, middle.toString(), 1, PAGE)));
    ArtifactQuery allOfStage = ArtifactQuery.allVersions(TARGET).inStage(Stage.phase(1));
    check.check(
        Expect.page(List.of("sqlite_autoindex_artifacts_1"), List.of("artifacts_pk")),
        plan(
            db,
            explain,
            "one stage's page of artifacts (all versions, cursor in the middle)",
            ArtifactIndexDao.pageSql(allOfStage),
            q -> ArtifactIndexDao.bindPage(q, allOfStage, middle.toString(), 1, PAGE)));
    // every artifact write and overwrite token: four single-row look-ups in one statement
    check.check(
        new Expect(
            List.of(
                "sqlite_autoindex_runs_1",
                "executions_one_running",
                "approvals_by_stage",
                "sqlite_autoindex_artifacts_1"),
            List.of(),
            false,
            "runs, executions and approvals are seeded a few pages each (approvals none), which"
                + " PostgreSQL rightly scans"),
        plan(
            db,
            explain,
            "the write context of a path (run, running execution, latest approval, latest"
                + " version)",
            JdbcManifestStore.WRITE_CONTEXT,
            q -> {
              String stage = middle.stage().toString();
              q.bind(0, stage)
                  .bind(1, TARGET.toString())
                  .bind(2, stage)
                  .bind(3, middle.toString())
                  .bind(4, middle.toString())
                  .bind(5, TARGET.toString());
            }));
    IssueQuery byFile =
        IssueQuery.all(TARGET)
            .withFile(LogicalPath.of(TARGET, Stage.FINAL, "f000007.md"))
            .withSeverity(Severity.ERROR);
    // severity is a filter within the file's issues: the rows read are bounded by the page and
    // the share of ERRORs in the file, not by one page
    check.check(
        Expect.indexed(List.of("issues_by_file"), List.of("issues_by_file")),
        plan(
            db,
            explain,
            "issues by run, file and severity",
            IssueDao.pageSql(byFile),
            q -> {
              IssueDao.bindFilters(q, byFile);
              q.bind("afterId", 0L).bind("limit", PAGE);
            }));
    IssueQuery byRule = IssueQuery.all(TARGET).withRule("rule-03");
    check.check(
        Expect.page(List.of("issues_by_rule"), List.of("issues_by_rule")),
        plan(
            db,
            explain,
            "issues by run and rule",
            IssueDao.pageSql(byRule),
            q -> {
              IssueDao.bindFilters(q, byRule);
              q.bind("afterId", 0L).bind("limit", PAGE);
            }));
    IssueQuery all = IssueQuery.all(TARGET);
    check.check(
        Expect.page(List.of("sqlite_autoindex_issues_1"), List.of("issues_pk")),
        plan(
            db,
            explain,
            "issues by run",
            IssueDao.pageSql(all),
            q -> {
              IssueDao.bindFilters(q, all);
              q.bind("afterId", 0L).bind("limit", PAGE);
            }));
    check.check(
        new Expect(
            List.of("issues_by_severity"),
            List.of(),
            false,
            "the run holds a quarter of the table, which PostgreSQL rightly reads sequentially;"
                + " the small run below is checked"),
        plan(
            db,
            explain,
            "severity counts of a run",
            IssueDao.countSql(all),
            q -> IssueDao.bindFilters(q, all)));
    IssueQuery small = IssueQuery.all(SMALL);
    // every issue index leads with run_id: PostgreSQL may take the smallest of them
    check.check(
        Expect.indexed(List.of("issues_by_severity"), List.of("(issues_pk|issues_by_\\w+)")),
        plan(
            db,
            explain,
            "severity counts of a run with a small share of the issues",
            IssueDao.countSql(small),
            q -> IssueDao.bindFilters(q, small)));
    IssueQuery gate = all.ofExecution(Stage.FINAL, 1).withSeverity(Severity.ERROR);
    // PostgreSQL: all of the run's seeded issues are in that execution, so both indexes are equal
    check.check(
        Expect.indexed(
            List.of("issues_by_execution_severity"),
            List.of("(issues_by_severity|issues_by_execution_severity)")),
        plan(
            db,
            explain,
            "severity counts of an execution's ERRORs (gate)",
            IssueDao.countSql(gate),
            q -> IssueDao.bindFilters(q, gate)));
  }

  private static Plan plan(
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
    return new Plan(db.backend() + ", " + title, lines);
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
