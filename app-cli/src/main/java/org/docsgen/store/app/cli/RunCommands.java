package org.docsgen.store.app.cli;

import java.util.List;
import org.docsgen.store.app.http.json.RunJson;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.out.Page;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code docsgen run create|list|show}. */
@Command(
    name = "run",
    description = "Create, list and show runs.",
    mixinStandardHelpOptions = true,
    subcommands = {RunCommands.Create.class, RunCommands.ListRuns.class, RunCommands.Show.class})
final class RunCommands {

  static void print(StoreCommand command, Run run) {
    if (command.json()) {
      command.printJson(RunJson.of(run));
      return;
    }
    command.out().println(run.runId());
    command.out().println("  status:        " + run.status());
    command.out().println("  created:       " + run.createdAt() + " by " + run.createdBy());
    command.out().println("  core files:    " + run.coreFiles().names().size());
    command.out().println("  bundle README: " + run.bundleReadme());
  }

  /** A run in a listing: id, status, when and by whom it was created. */
  static String line(Run run) {
    return String.format(
        "%s  %-8s  %s  %s", run.runId(), run.status(), run.createdAt(), run.createdBy());
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "create",
      description = "Create a run (its id is allocated and printed).")
  static final class Create extends StoreCommand {
    @Option(
        names = "--core-files",
        split = ",",
        paramLabel = "NAME",
        description = "core file names the bundle must hold (default: the standard 43)")
    List<String> coreFiles;

    @Option(names = "--bundle-readme", description = "add a README.md to the bundle")
    boolean bundleReadme;

    @Override
    int run() {
      Run run = services().createRun(cli().actor(), coreFiles, bundleReadme);
      if (json()) {
        printJson(RunJson.of(run));
      } else {
        out().println(run.runId());
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "list",
      description = "List runs, newest first, one page at a time.")
  static final class ListRuns extends StoreCommand {
    @Mixin PagingOptions paging;

    @Override
    int run() {
      Page<Run> page = services().listRuns(paging.request());
      return printPage(page, RunJson::of, RunCommands::line);
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "show", description = "Show one run.")
  static final class Show extends StoreCommand {
    @Parameters(paramLabel = "RUN", description = "run id, e.g. run_2026_11_28_0001")
    RunId run;

    @Override
    int run() {
      print(this, services().getRun(run));
      return ExitCodes.OK;
    }
  }
}
