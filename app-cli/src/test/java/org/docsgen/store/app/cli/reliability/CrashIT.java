package org.docsgen.store.app.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.docsgen.store.adapters.jdbc.testing.PostgresFixture;
import org.docsgen.store.app.cli.reliability.support.DocsgenServer;
import org.docsgen.store.app.cli.reliability.support.Reliability;
import org.docsgen.store.app.cli.reliability.support.S3proxyProcess;
import org.docsgen.store.app.cli.reliability.support.StoreConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kind 1, crash: {@code kill -9} of the server jar at random moments under a concurrent write load,
 * a restart on the same data, and {@link CrashRounds}' checks (0 acknowledged writes lost or
 * changed, 0 partial artifacts readable, 0 index entries without bytes, {@code fsck --deep} exit 0
 * with orphans only), on fs + SQLite and on S3 (s3proxy as a process) + PostgreSQL. Quick: 5 rounds
 * per deployment (10 in total); full: 200 per deployment.
 */
@Tag("reliability")
@Tag("reliability-crash")
class CrashIT {
  static final int QUICK_ROUNDS = 5;
  static final int FULL_ROUNDS = 200;

  /** The whole store is fsck'ed every this many rounds (and at the end). */
  static final int WHOLE_STORE_FSCK_EVERY = 25;

  /**
   * Which fsck round {@code n} runs: the whole store every {@code wholeEvery} rounds; else the
   * round's run every 5th round (each fsck is a JVM start, slow on a loaded machine; the final
   * whole-store fsck and the final re-read cover every round anyway).
   */
  static String fsckFor(int n, int wholeEvery) {
    if (n % wholeEvery == 0) {
      return "store";
    }
    return n % 5 == 0 ? "run" : null;
  }

  @TempDir Path dir;

  @Test
  void fsAndSqliteKeepEveryAcknowledgedWriteThroughKillNine() throws Exception {
    StoreConfig config = StoreConfig.fsSqlite(dir, dir.resolve("data"));
    try (DocsgenServer server =
        DocsgenServer.start(config, dir, "crash-fs", CrashRounds.SERVER_JVM)) {
      rounds(config, server, 0xC0FFEEL);
    }
  }

  @Test
  void s3AndPostgresKeepEveryAcknowledgedWriteThroughKillNine() throws Exception {
    String bucket = "docsgen-crash";
    try (S3proxyProcess s3 = S3proxyProcess.start(dir.resolve("s3"), bucket)) {
      StoreConfig config =
          StoreConfig.s3Postgres(
              dir.resolve("conf"),
              s3,
              bucket,
              PostgresFixture.newDatabase(),
              PostgresFixture.user(),
              PostgresFixture.password());
      try (DocsgenServer server =
          DocsgenServer.start(config, dir, "crash-s3", CrashRounds.SERVER_JVM)) {
        rounds(config, server, 0xBADC0DEL);
      }
    }
  }

  private static void rounds(StoreConfig config, DocsgenServer server, long seed) throws Exception {
    int rounds = Reliability.rounds(QUICK_ROUNDS, FULL_ROUNDS);
    CrashRounds crash = new CrashRounds(config.name(), config, server, n -> {}, seed);
    List<String> lines = new ArrayList<>();
    try {
      for (int n = 1; n <= rounds; n++) {
        if (CrashRounds.pastUntil()) {
          lines.add(stoppedEarly(n - 1, rounds));
          break;
        }
        String line = crash.round(n, fsckFor(n, WHOLE_STORE_FSCK_EVERY));
        lines.add(line);
        System.out.println("crash " + config.name() + ": " + line);
      }
      crash.finalCheck();
    } finally {
      report("crash", crash.totals, lines, "kill -9 of the server jar");
    }
    assertThat(crash.totals.problems).as(crash.totals.deployment).isEmpty();
    assertThat(crash.totals.clean()).as(crash.totals.row()).isTrue();
    assertThat(crash.totals.acknowledged.get())
        .as("the load had writes acknowledged (else the rounds prove nothing)")
        .isPositive();
  }

  static String stoppedEarly(int ran, int asked) {
    return "STOPPED by -Ddocsgen.reliability.until after "
        + ran
        + " of the "
        + asked
        + " rounds asked for";
  }

  static void report(String kind, CrashRounds.Totals t, List<String> lines, String fault) {
    StringBuilder text = new StringBuilder();
    text.append("Deployment: ")
        .append(t.deployment)
        .append("; fault: ")
        .append(fault)
        .append("; load: 4 client threads, creates (If-None-Match: *) and token overwrites")
        .append(" (35 %), 1 KiB–8 MiB skewed to small (60 % ≤ 16 KiB, 5 % ≥ 1 MiB; in 3 rounds")
        .append(" of 10 half the writes are ≥ 1 MiB and the kill comes 0–250 ms after one is in")
        .append(" flight; otherwise 0–2 s after the round's first acknowledgement).\n\n")
        .append(
            lines.stream()
                .filter(l -> l.startsWith("STOPPED"))
                .map(l -> "**" + l + ".**\n\n")
                .findFirst()
                .orElse(""))
        .append(CrashRounds.Totals.header())
        .append('\n')
        .append(t.row())
        .append("\n\nFinal re-read of every acknowledged write of every round: ")
        .append(t.finalChecked)
        .append(" versions. ")
        .append(t.refusalsText())
        .append(".\n\nProblems: ")
        .append(t.problems.isEmpty() ? "none" : String.join("\n- ", t.problems))
        .append("\n\n<details><summary>per round</summary>\n\n");
    for (String line : lines) {
      text.append("- ").append(line).append('\n');
    }
    text.append("\n</details>\n");
    Reliability.report(kind, text.toString());
  }
}
