package org.docsgen.store.app.cli;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.in.FsckUseCases.Finding;
import org.docsgen.store.ports.in.FsckUseCases.FsckReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code docsgen fsck}: sorts what the artifact store and the manifest disagree about. Drift exits
 * 4; orphans (never-acknowledged bytes) are reported and counted and exit 0.
 */
@Command(
    name = "fsck",
    mixinStandardHelpOptions = true,
    description = {
      "Check the artifact store against the manifest: drift exits 4, orphans exit 0.",
      "Every indexed version must be in the store with the same hash and size. Plain fsck is fast:"
          + " it checks that each version's bytes are present and of the indexed size, without"
          + " re-hashing them. --deep re-reads and re-hashes every byte (finds rotted or tampered"
          + " content of the right size).",
      "Drift (an index entry whose bytes are absent, of another size or hash) is an integrity"
          + " failure: exit 4, never repaired. Orphans (bytes in the store that no index entry"
          + " names: never acknowledged, e.g. left by a crash) are harmless: reported and counted,"
          + " exit 0. --repair removes orphans older than the grace window (by the store's own"
          + " creation time); it never indexes them or attaches them to an execution."
    })
final class FsckCommand extends StoreCommand {
  /** Progress is printed every this many versions. */
  static final long PROGRESS_EVERY = 100;

  @Option(names = "--run", paramLabel = "RUN", description = "only this run")
  RunId run;

  @Option(
      names = "--deep",
      description = "re-read and re-hash every version (default: presence and size only)")
  boolean deep;

  @Option(
      names = "--repair",
      description = "remove orphans older than the grace window (drift is never changed)")
  boolean repair;

  @Option(
      names = "--grace",
      paramLabel = "SECONDS",
      description =
          "grace window for --repair: keep orphans younger than this"
              + " (default: fsck.orphanGraceSeconds, 3600)")
  Long graceSeconds;

  /** The machine-readable outcome. */
  record FsckJson(
      long checked,
      boolean clean,
      long drift,
      long orphans,
      long orphansRemoved,
      long orphanGraceSeconds,
      List<Finding> findings) {}

  @Override
  int run() {
    if (graceSeconds != null && graceSeconds < 0) {
      throw new IllegalArgumentException("--grace must be 0 or more seconds, was " + graceSeconds);
    }
    Optional<RunId> only = Optional.ofNullable(run);
    long grace =
        graceSeconds != null ? graceSeconds : cli().session().config().fsck().orphanGraceSeconds();
    progress("fsck" + (deep ? " --deep" : "") + (repair ? " --repair" : "") + " ...");
    FsckReport report =
        services()
            .fsck(
                only,
                deep,
                repair,
                Duration.ofSeconds(grace),
                (versions, current) -> {
                  if (versions % PROGRESS_EVERY == 0) {
                    progress("  checked " + versions + " versions (" + current + ")");
                  }
                });
    progress("checked " + report.checked() + " versions");
    if (json()) {
      printJson(
          new FsckJson(
              report.checked(),
              report.clean(),
              report.drift(),
              report.orphans(),
              report.orphansRemoved(),
              grace,
              report.findings()));
    } else {
      printText(report);
    }
    if (!report.clean()) {
      terminal()
          .err()
          .println(
              "docsgen: fsck found drift: indexed content is absent or differs from its hash or"
                  + " size; restore those versions from a backup (--repair never changes them)");
      return ExitCodes.INTEGRITY;
    }
    return ExitCodes.OK;
  }

  private void printText(FsckReport report) {
    for (Finding f : report.findings()) {
      String prefix = f.repaired() ? (f.drift() ? "repaired " : "removed ") : "";
      out().println(prefix + f.kind() + " " + f.path() + " g" + f.generation() + ": " + f.detail());
    }
    String orphans =
        report.orphans()
            + " orphan(s)"
            + (report.orphansRemoved() > 0 ? ", " + report.orphansRemoved() + " removed" : "");
    out()
        .println(
            report.clean()
                ? "clean (" + report.checked() + " versions checked, " + orphans + ")"
                : report.drift()
                    + " drift finding(s), "
                    + orphans
                    + " in "
                    + report.checked()
                    + " versions");
  }
}
