package org.docsgen.store.app.cli;

import java.io.PrintStream;
import java.util.List;
import org.docsgen.store.app.http.json.GateReportJson;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.gate.FailingIssues;
import org.docsgen.store.domain.gate.GateReport;
import org.docsgen.store.domain.gate.IssueEvidence;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code docsgen gate RUN [STAGE]}: why a stage's gate passed or failed; exits 1 while it fails.
 */
@Command(
    name = "gate",
    mixinStandardHelpOptions = true,
    description = {
      "Explain why a stage's gate fails (exit 1) or passes (exit 0).",
      "Looks at the stage's latest execution (default stage: final): the reasons, and each issue with the artifact version it refers to and the execution that produced it."
    })
final class GateCommand extends StoreCommand {
  @Parameters(index = "0", paramLabel = "RUN")
  RunId run;

  @Parameters(index = "1", arity = "0..1", paramLabel = "STAGE", defaultValue = "final")
  Stage stage;

  @Override
  int run() {
    GateReport report = services().explain(run, stage);
    if (json()) {
      List<ArtifactInfo> artifacts =
          report.execution() == null
              ? List.of()
              : services().get(report.execution().ref()).artifacts();
      printJson(GateReportJson.of(report, artifacts));
    } else {
      print(report);
    }
    return report.outcome().passed() ? ExitCodes.OK : ExitCodes.REFUSED;
  }

  private void print(GateReport report) {
    String subject = report.runId() + " " + report.stage();
    if (report.outcome().passed()) {
      out()
          .println(
              "gate PASSED for "
                  + subject
                  + " ("
                  + ExecCommands.label(report.execution().ref())
                  + ")");
      return;
    }
    out().println("gate FAILED for " + subject);
    if (report.execution() != null) {
      out().println("  latest execution: " + ExecCommands.line(report.execution()));
    }
    report.outcome().failing().forEach(reason -> out().println("  - " + reason));
    printFailing(out(), report.failingIssues());
    if (!report.issueCounts().isEmpty()) {
      out().println("  issues: " + report.issueCounts());
    }
    for (IssueEvidence evidence : report.evidence()) {
      out().println("  " + IssueCommands.line(evidence.issue()));
      if (evidence.artifact() != null) {
        out()
            .println(
                "      version: "
                    + evidence.artifact().path()
                    + " g"
                    + evidence.artifact().generation()
                    + " "
                    + evidence.artifact().hash()
                    + (evidence.producedBy() == null
                        ? ""
                        : " written by " + ExecCommands.label(evidence.producedBy())));
      }
    }
  }

  /**
   * One {@code failing: RULE FILE} line per open ERROR issue listed, and how many more there are.
   */
  static void printFailing(PrintStream out, FailingIssues failing) {
    for (FailingIssues.Issue issue : failing.listed()) {
      out.println("  failing: " + issue.rule() + "  " + issue.file());
    }
    if (failing.more() > 0) {
      out.println(
          "  failing: ... and "
              + failing.more()
              + " more ERROR issues (`docsgen issues list RUN --severity ERROR` lists them all)");
    }
  }
}
