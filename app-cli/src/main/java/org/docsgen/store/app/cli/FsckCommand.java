package org.docsgen.store.app.cli;

import java.util.List;
import java.util.Optional;
import org.docsgen.store.ports.in.FsckUseCases.Finding;
import org.docsgen.store.ports.in.FsckUseCases.FsckReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code docsgen fsck}: drift between the artifact store and the manifest; 4 while any remains. */
@Command(
    name = "fsck",
    mixinStandardHelpOptions = true,
    description = {
      "Find drift between the artifact store and the manifest (exit 4).",
      "Checks every indexed version against the store (present, same hash and size) and every stored version against the index. --deep re-reads and re-hashes the bytes; --repair fixes what can be fixed. Exits 0 when clean (or all repaired)."
    })
final class FsckCommand extends StoreCommand {
  /** Progress is printed every this many versions. */
  static final long PROGRESS_EVERY = 100;

  @Option(names = "--run", paramLabel = "RUN", description = "only this run")
  String run;

  @Option(names = "--deep", description = "re-read and re-hash every version")
  boolean deep;

  @Option(names = "--repair", description = "repair what can be repaired")
  boolean repair;

  /** The machine-readable outcome. */
  record FsckJson(long checked, boolean clean, List<Finding> findings) {}

  @Override
  int run() {
    progress("fsck" + (deep ? " --deep" : "") + (repair ? " --repair" : "") + " ...");
    FsckReport report =
        services()
            .fsck(
                Optional.ofNullable(run).map(StoreCommand::runId),
                deep,
                repair,
                (versions, current) -> {
                  if (versions % PROGRESS_EVERY == 0) {
                    progress("  checked " + versions + " versions (" + current + ")");
                  }
                });
    progress("checked " + report.checked() + " versions");
    if (json()) {
      printJson(new FsckJson(report.checked(), report.clean(), report.findings()));
    } else {
      for (Finding f : report.findings()) {
        out()
            .println(
                (f.repaired() ? "repaired " : "")
                    + f.kind()
                    + " "
                    + f.path()
                    + " g"
                    + f.generation()
                    + ": "
                    + f.detail());
      }
      out()
          .println(
              report.clean()
                  ? "clean (" + report.checked() + " versions checked)"
                  : report.findings().size() + " finding(s) in " + report.checked() + " versions");
    }
    if (!report.clean()) {
      terminal()
          .err()
          .println("docsgen: fsck found drift" + (repair ? "" : "; --repair fixes what it can"));
      return ExitCodes.INTEGRITY;
    }
    return ExitCodes.OK;
  }
}
