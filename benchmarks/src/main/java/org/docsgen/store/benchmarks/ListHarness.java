package org.docsgen.store.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.run.CoreFileSet;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;

/**
 * Listing one stage's artifacts, page by page, as {@code GET /api/runs/{id}/artifacts?stage=S} does
 * (the use case {@code listArtifacts}: the run lookup, then the manifest's keyset page of the
 * latest versions), on a manifest holding {@code rows} artifact versions.
 *
 * <pre>
 * java -cp benchmarks.jar org.docsgen.store.benchmarks.ListHarness sqlite|postgres ROWS [QUERIES] [RUNS]
 * </pre>
 *
 * ROWS accepts {@code 1000}, {@code 100k}, {@code 1m}. The rows are spread over RUNS runs (default
 * {@code max(1, ROWS / 25,000)}: one at 1k, so its stage fills the first page) of five stages each
 * ({@code phase0..phase3}, {@code final}), every tenth path with a second generation; the listed
 * stage is {@code phase2} of the middle run and holds 1/(5 RUNS) of the rows (5,000 at 100k and at
 * 1M). Runs and executions are created through the store; the artifact rows ({@code artifacts},
 * {@code artifact_heads}, {@code execution_outputs}, the tables the write path fills) are inserted
 * with batched plain JDBC into the schema the Flyway migrations made, in one transaction per stage.
 * PostgreSQL is then {@code ANALYZE}d (autovacuum would on a live server); SQLite is left as the
 * server leaves it.
 *
 * <p>Prints p50/p99/max over QUERIES (default 10,000, after 2,000 warm-up) requests of the first
 * page (limit 100) and of a page in the middle of the stage (reached with the cursor). The warm-up
 * lets the JIT finish compiling the listing path before the clock runs: after only 200, and over
 * 2,000 queries, the p99 was that of the compiler threads competing for two CPUs (the 1k case's p99
 * moved between 1.9 and 4.7 ms from one run to the next).
 */
public final class ListHarness {
  private static final int STAGES_PER_RUN = 5;
  private static final int LIMIT = 100;
  private static final int BATCH = 5_000;
  private static final int WARMUP = 2_000;

  private ListHarness() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: ListHarness sqlite|postgres ROWS [QUERIES] [RUNS]");
      System.exit(2);
    }
    String backend = args[0].toLowerCase(Locale.ROOT);
    long rows = Stats.parseCount(args[1]);
    int queries = args.length > 2 ? (int) Stats.parseCount(args[2]) : 10_000;
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : (int) Math.max(1, rows / 25_000);
    Path dir = Files.createTempDirectory("docsgen-bench-list-");
    try {
      switch (backend) {
        case "sqlite" -> {
          Path db = dir.resolve("manifest.db");
          try (Stores stores = Stores.open(Stores.sqlite(db), dir.resolve("artifacts"))) {
            String url = "jdbc:sqlite:" + db.toAbsolutePath() + "?busy_timeout=60000";
            run(
                "SQLite file " + db,
                stores,
                () -> DriverManager.getConnection(url),
                false,
                rows,
                runs,
                queries);
            System.out.printf(
                Locale.ROOT,
                "database file: %.1f MiB%n",
                Files.size(db) / 1048576.0
                    + (Files.exists(dir.resolve("manifest.db-wal"))
                        ? Files.size(dir.resolve("manifest.db-wal")) / 1048576.0
                        : 0));
          }
        }
        case "postgres", "postgresql" -> {
          try (Postgres pg = Postgres.start();
              Stores stores = Stores.open(pg.settings(8), dir.resolve("artifacts"))) {
            run(pg.describe(), stores, pg::connectForBulk, true, rows, runs, queries);
          }
        }
        default -> throw new IllegalArgumentException("backend is sqlite or postgres: " + backend);
      }
    } finally {
      deleteTree(dir);
    }
  }

  @FunctionalInterface
  interface Connector {
    Connection connect() throws SQLException;
  }

  private static void run(
      String where,
      Stores stores,
      Connector connector,
      boolean postgres,
      long rows,
      int runCount,
      int queries)
      throws Exception {
    System.out.printf(
        Locale.ROOT,
        "list harness: %s, %,d artifact rows over %d runs x %d stages, %d queries per case%n",
        where,
        rows,
        runCount,
        STAGES_PER_RUN,
        queries);
    List<ExecutionRef> executions = new ArrayList<>();
    Instant now = Instant.now();
    for (int r = 0; r < runCount; r++) {
      Run run =
          stores.manifest.createRun(
              LocalDate.of(2026, 1, 1).plusDays(r / 50),
              "bench",
              now,
              CoreFileSet.standard(),
              false);
      for (int s = 0; s < STAGES_PER_RUN; s++) {
        Stage stage = s == STAGES_PER_RUN - 1 ? Stage.FINAL : Stage.phase(s);
        executions.add(stores.manifest.startExecution(run.runId(), stage, "bench", now).ref());
      }
    }
    long started = System.nanoTime();
    long seeded = seed(connector, postgres, executions, rows);
    System.out.printf(
        Locale.ROOT, "seeded %,d rows in %.1f s%n", seeded, (System.nanoTime() - started) / 1e9);
    settle(connector, postgres);

    ExecutionRef listed = executions.get((runCount / 2) * STAGES_PER_RUN + 2);
    RunId runId = listed.runId();
    Optional<Stage> stage = Optional.of(listed.stage());
    // the middle of the stage: walk with the largest pages to it, keep that cursor
    int latestInStage = 0;
    String cursor = null;
    do {
      Page<ArtifactInfo> page =
          stores.services.listArtifacts(
              runId, stage, Optional.empty(), new PageRequest(cursor, PageRequest.MAX_LIMIT));
      latestInStage += page.items().size();
      cursor = page.nextCursor();
    } while (cursor != null);
    String middle = null;
    for (int seen = 0; seen < latestInStage / 2; ) {
      Page<ArtifactInfo> page =
          stores.services.listArtifacts(
              runId,
              stage,
              Optional.empty(),
              new PageRequest(middle, Math.min(PageRequest.MAX_LIMIT, latestInStage / 2 - seen)));
      seen += page.items().size();
      middle = page.nextCursor();
    }
    System.out.printf(
        Locale.ROOT,
        "listing %s of %s: %,d latest versions (%d-row pages)%n",
        listed.stage(),
        runId,
        latestInStage,
        LIMIT);
    measure("first page ", stores, runId, stage, new PageRequest(null, LIMIT), queries);
    if (middle != null) {
      measure("middle page", stores, runId, stage, new PageRequest(middle, LIMIT), queries);
    }
    explain(connector, postgres, runId + "/" + listed.stage() + "/");
  }

  /**
   * Writes the seeded rows out before the clock runs, as a server's index would be: SQLite's WAL
   * checkpointed, PostgreSQL's buffers checkpointed, then {@code sync} for what the seeding (SQLite
   * {@code synchronous=OFF}) left as dirty pages. Without it the kernel wrote back up to 583 MiB
   * while the 1M case was being timed, and that case's p99 moved from 0.48 to 1.19 ms between two
   * runs.
   */
  private static void settle(Connector connector, boolean postgres) throws Exception {
    try (Connection c = connector.connect();
        Statement st = c.createStatement()) {
      st.execute(postgres ? "CHECKPOINT" : "PRAGMA wal_checkpoint(TRUNCATE)");
    }
    Process sync = new ProcessBuilder("sync").inheritIO().start();
    if (sync.waitFor() != 0) {
      throw new IllegalStateException("sync exited with " + sync.exitValue());
    }
  }

  /**
   * Prints the database's plan of the first page's statement (the one ArtifactIndexDao runs for a
   * stage's latest versions), with the bounds of the listed stage, to show the page is an indexed
   * range read and how much it touched.
   */
  private static void explain(Connector connector, boolean postgres, String prefix)
      throws SQLException {
    String end = prefix.substring(0, prefix.length() - 1) + "0";
    String page =
        "SELECT a.* FROM artifact_heads h JOIN artifacts a"
            + " ON a.path = h.path AND a.generation = h.generation"
            + " WHERE h.path > ? AND h.path < ? AND a.path > ? AND a.path < ?"
            + " ORDER BY h.path LIMIT "
            + LIMIT;
    String sql =
        postgres ? "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + page : "EXPLAIN QUERY PLAN " + page;
    try (Connection c = connector.connect();
        PreparedStatement statement = c.prepareStatement(sql)) {
      statement.setString(1, prefix);
      statement.setString(2, end);
      statement.setString(3, prefix);
      statement.setString(4, end);
      System.out.println("plan of the first page:");
      try (java.sql.ResultSet rs = statement.executeQuery()) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          System.out.println("  " + rs.getString(columns));
        }
      }
    }
  }

  private static void measure(
      String label,
      Stores stores,
      RunId runId,
      Optional<Stage> stage,
      PageRequest request,
      int queries) {
    int items = 0;
    for (int i = 0; i < WARMUP; i++) {
      items = stores.services.listArtifacts(runId, stage, Optional.empty(), request).items().size();
    }
    long[] nanos = new long[queries];
    for (int i = 0; i < queries; i++) {
      long t0 = System.nanoTime();
      stores.services.listArtifacts(runId, stage, Optional.empty(), request);
      nanos[i] = System.nanoTime() - t0;
    }
    System.out.printf(
        Locale.ROOT,
        "%s (%d items): p50 %s  p99 %s  max %s%n",
        label,
        items,
        Stats.millis(Stats.percentile(nanos, 50)),
        Stats.millis(Stats.percentile(nanos, 99)),
        Stats.millis(Stats.percentile(nanos, 100)));
  }

  /**
   * Inserts about {@code rows} artifact versions, an equal share in each execution's stage: paths
   * {@code <run>/<stage>/dir-NN/file-NNNNNNN.md}, every tenth path also at generation 2, with its
   * head and its execution output, as the write path leaves them.
   */
  private static long seed(
      Connector connector, boolean postgres, List<ExecutionRef> executions, long rows)
      throws SQLException {
    long perStage = Math.max(1, rows / executions.size());
    long total = 0;
    long createdAt = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
    String hash = ContentHash.sha256(new byte[0]).hex();
    try (Connection c = connector.connect()) {
      try (Statement st = c.createStatement()) {
        if (!postgres) {
          st.execute("PRAGMA synchronous=OFF");
        }
      }
      c.setAutoCommit(false);
      try (PreparedStatement artifacts =
              c.prepareStatement(
                  "INSERT INTO artifacts (path, generation, run_id, stage, name, type, hash, size,"
                      + " media_type, created_by, created_at, produced_by_attempt)"
                      + " VALUES (?, ?, ?, ?, ?, 'DOCUMENTATION', ?, ?, 'text/markdown', 'bench',"
                      + " ?, ?)");
          PreparedStatement heads =
              c.prepareStatement(
                  "INSERT INTO artifact_heads (path, generation, type)"
                      + " VALUES (?, ?, 'DOCUMENTATION')");
          PreparedStatement outputs =
              c.prepareStatement(
                  "INSERT INTO execution_outputs (run_id, stage, attempt, path, generation)"
                      + " VALUES (?, ?, ?, ?, ?)")) {
        for (ExecutionRef e : executions) {
          String run = e.runId().toString();
          String stage = e.stage().toString();
          long inStage = 0;
          int pending = 0;
          for (long n = 0; inStage < perStage; n++) {
            String name = String.format(Locale.ROOT, "dir-%02d/file-%07d.md", n % 50, n);
            String path = run + "/" + stage + "/" + name;
            int generations = n % 10 == 0 && inStage + 1 < perStage ? 2 : 1;
            for (int g = 1; g <= generations; g++) {
              artifacts.setString(1, path);
              artifacts.setInt(2, g);
              artifacts.setString(3, run);
              artifacts.setString(4, stage);
              artifacts.setString(5, name);
              artifacts.setString(6, hash);
              artifacts.setLong(7, 16_384 + n % 4096);
              artifacts.setLong(8, createdAt + total);
              artifacts.setInt(9, e.attempt());
              artifacts.addBatch();
              outputs.setString(1, run);
              outputs.setString(2, stage);
              outputs.setInt(3, e.attempt());
              outputs.setString(4, path);
              outputs.setInt(5, g);
              outputs.addBatch();
              inStage++;
              total++;
              pending++;
            }
            heads.setString(1, path);
            heads.setInt(2, generations);
            heads.addBatch();
            if (pending >= BATCH) {
              flush(artifacts, heads, outputs);
              pending = 0;
            }
          }
          flush(artifacts, heads, outputs);
          c.commit();
        }
      }
      if (postgres) {
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
          st.execute("ANALYZE");
        }
      }
    }
    return total;
  }

  private static void flush(PreparedStatement... statements) throws SQLException {
    for (PreparedStatement s : statements) {
      s.executeBatch();
    }
  }

  static void deleteTree(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
