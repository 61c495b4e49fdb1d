package org.docsgen.store.app.cli;

import java.util.List;
import org.docsgen.store.app.http.json.DiffJson;
import org.docsgen.store.domain.diff.ArtifactChange;
import org.docsgen.store.domain.diff.DiffReport;
import org.docsgen.store.domain.run.RunId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code docsgen diff RUN FROM TO} (two executions of one run) or {@code docsgen diff RUN_A RUN_B}
 * (two runs): what changed.
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    customSynopsis = {
      "docsgen diff [OPTIONS] RUN FROM TO",
      "       docsgen diff [OPTIONS] RUN_A RUN_B"
    },
    description = {
      "What changed between two executions of a stage, or two runs.",
      "RUN FROM TO compares two executions of RUN, named <stage>@<attempt> (phase1@1 phase1@2)."
          + " RUN_A RUN_B (two run ids) compare the"
          + " runs' latest generation of every path, and the issues of each stage's latest"
          + " execution. Text changes come with a unified diff, up to"
          + " diff.maxTextBytes per text and within an edit budget."
    })
final class DiffCommand extends StoreCommand {
  static final String FORMS =
      "diff takes RUN FROM TO (two executions of one run, e.g. `docsgen diff RUN phase1@1"
          + " phase1@2`) or RUN_A RUN_B (two run ids)";

  @Parameters(arity = "0..*", paramLabel = "ARG", description = "RUN FROM TO, or RUN_A RUN_B")
  List<String> arguments = List.of();

  @Option(names = "--stat", description = "only the list of changes, no unified diffs")
  boolean stat;

  @Override
  int run() {
    DiffReport report = diff();
    if (json()) {
      printJson(DiffJson.of(report));
      return ExitCodes.OK;
    }
    out().println("diff " + report.from() + " -> " + report.to());
    for (ArtifactChange change : report.changes()) {
      out().println(change.kind() + " " + change.key());
      if (!stat && change.diffOmitted() != null) {
        out()
            .println(
                "  (no unified diff: "
                    + change.diffOmitted().label()
                    + "; texts over diff.maxTextBytes or past the edit budget are not diffed)");
      }
      if (!stat && change.unifiedDiff() != null && !change.unifiedDiff().isEmpty()) {
        out().print(change.unifiedDiff());
        if (!change.unifiedDiff().endsWith("\n")) {
          out().println();
        }
      }
    }
    out()
        .println(
            "issues: "
                + report.newIssues().size()
                + " new, "
                + report.fixedIssues().size()
                + " fixed, "
                + report.persistingIssues().size()
                + " persisting");
    report.newIssues().forEach(i -> out().println("  new   " + IssueCommands.line(i)));
    report.fixedIssues().forEach(i -> out().println("  fixed " + IssueCommands.line(i)));
    return ExitCodes.OK;
  }

  /** The two forms; any other shape is bad input naming both. */
  private DiffReport diff() {
    List<String> args = arguments == null ? List.of() : arguments;
    if (args.size() == 2 && isRunId(args.get(0)) && isRunId(args.get(1))) {
      return services().diff(RunId.parse(args.get(0)), args.get(0), args.get(1));
    }
    if (args.size() == 3 && isRunId(args.get(1)) == isRunId(args.get(2))) {
      // RUN is parsed here, so a mistyped run id gets the grammar's own message
      return services().diff(RunId.parse(args.get(0)), args.get(1), args.get(2));
    }
    throw new CliException(
        ExitCodes.BAD_INPUT,
        FORMS + "; got " + (args.isEmpty() ? "no arguments" : String.join(" ", args)),
        "two executions: `docsgen diff RUN phase1@1 phase1@2`; two runs: `docsgen diff RUN_A"
            + " RUN_B`");
  }

  private static boolean isRunId(String text) {
    try {
      RunId.parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
