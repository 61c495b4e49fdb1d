package org.docsgen.store.app.cli;

import org.docsgen.store.app.http.json.DiffJson;
import org.docsgen.store.domain.diff.ArtifactChange;
import org.docsgen.store.domain.diff.DiffReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code docsgen diff RUN FROM TO}: what changed between two executions or two runs. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "What changed between two executions of a stage, or two runs.",
      "FROM and TO are executions of RUN as <stage>@<attempt> (phase1@1), or run ids (latest generation of every path). Text changes come with a unified diff, up to diff.maxTextBytes per text and within an edit budget."
    })
final class DiffCommand extends StoreCommand {
  @Parameters(index = "0", paramLabel = "RUN")
  String run;

  @Parameters(index = "1", paramLabel = "FROM")
  String from;

  @Parameters(index = "2", paramLabel = "TO")
  String to;

  @Option(names = "--stat", description = "only the list of changes, no unified diffs")
  boolean stat;

  @Override
  int run() {
    DiffReport report = services().diff(runId(run), from, to);
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
}
