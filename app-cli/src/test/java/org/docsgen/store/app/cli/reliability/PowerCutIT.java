package org.docsgen.store.app.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.docsgen.store.app.cli.reliability.support.DocsgenServer;
import org.docsgen.store.app.cli.reliability.support.LazyFs;
import org.docsgen.store.app.cli.reliability.support.Reliability;
import org.docsgen.store.app.cli.reliability.support.StoreConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kind 2, power cut: the crash kind's load ({@link CrashRounds}) on fs + SQLite with the artifact
 * root, the SQLite database and the signing key on a LazyFS mount; after {@code kill -9} LazyFS
 * drops every byte not fsynced ({@code lazyfs.sh crash}), is remounted, and the server restarts on
 * what survived: the same checks. Each round first proves the cut bites: a probe file written
 * without fsync must not survive it. Quick: 3 rounds; full: 50. Without /dev/fuse or the tool it
 * fails under {@code CI=true} and skips (saying why) otherwise ({@link LazyFs}).
 */
@Tag("reliability")
@Tag("reliability-powercut")
class PowerCutIT {
  static final int QUICK_ROUNDS = 3;
  static final int FULL_ROUNDS = 50;
  static final int WHOLE_STORE_FSCK_EVERY = 10;

  @TempDir Path dir;

  @Test
  void everyAcknowledgedWriteSurvivesAPowerCut() throws Exception {
    Path mnt = dir.resolve("mnt");
    try (LazyFs lazyFs = LazyFs.mount(mnt)) {
      StoreConfig config = StoreConfig.fsSqlite(dir.resolve("conf"), mnt.resolve("data"));
      int rounds = Reliability.rounds(QUICK_ROUNDS, FULL_ROUNDS);
      int[] probesDropped = {0};
      List<String> lines = new ArrayList<>();
      CrashRounds.Totals totals;
      try (DocsgenServer server =
          DocsgenServer.start(config, dir, "powercut", CrashRounds.SERVER_JVM)) {
        CrashRounds.AfterKill powerCut =
            n -> {
              // the suite checks itself: a file written without fsync must not survive the cut
              Path probe = Files.writeString(mnt.resolve("unsynced-probe-" + n), "never fsynced\n");
              lazyFs.crash();
              lazyFs.remount();
              assertThat(Files.exists(probe) ? Files.size(probe) : 0L)
                  .as(
                      "round "
                          + n
                          + ": LazyFS dropped the unsynced probe (else this proves nothing)")
                  .isZero();
              probesDropped[0]++;
            };
        CrashRounds crash =
            new CrashRounds(config.name() + " on LazyFS", config, server, powerCut, 0x5EEDL);
        totals = crash.totals;
        try {
          for (int n = 1; n <= rounds; n++) {
            if (CrashRounds.pastUntil()) {
              lines.add(CrashIT.stoppedEarly(n - 1, rounds));
              break;
            }
            String line = crash.round(n, CrashIT.fsckFor(n, WHOLE_STORE_FSCK_EVERY));
            lines.add(line);
            System.out.println("powercut: " + line);
          }
          crash.finalCheck();
        } finally {
          lines.add(
              "the unsynced probe was dropped by "
                  + probesDropped[0]
                  + " of "
                  + totals.rounds
                  + " power cuts (checked before each restart)");
          CrashIT.report(
              "powercut",
              totals,
              lines,
              "kill -9, then a LazyFS power cut (every byte not fsynced dropped) and a remount");
        }
      }
      assertThat(totals.problems).as(totals.deployment).isEmpty();
      assertThat(totals.clean()).as(totals.row()).isTrue();
      assertThat(totals.acknowledged.get()).isPositive();
      assertThat(probesDropped[0]).isEqualTo(totals.rounds);
    }
  }
}
