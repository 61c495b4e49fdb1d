package org.docsgen.store.app.cli;

import java.util.Locale;
import org.docsgen.store.app.http.json.ApprovalJson;
import org.docsgen.store.domain.approval.ApprovalDecision;
import org.docsgen.store.domain.approval.ApprovalEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code docsgen approve RUN STAGE}: append an approval decision. */
@Command(
    name = "approve",
    mixinStandardHelpOptions = true,
    description = "Approve a stage (or --decision REJECTED or REVOKED).")
final class ApproveCommand extends StoreCommand {
  @Mixin StageArguments target;

  @Option(
      names = "--decision",
      paramLabel = "DECISION",
      defaultValue = "APPROVED",
      description = "APPROVED, REJECTED, REVOKED")
  String decision;

  @Option(names = "--comment", paramLabel = "TEXT", defaultValue = "", description = "why")
  String comment;

  @Override
  int run() {
    ApprovalDecision parsed;
    try {
      parsed = ApprovalDecision.valueOf(decision.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw CliException.badInput(
          "unknown decision '" + decision + "': use APPROVED, REJECTED or REVOKED");
    }
    ApprovalEvent event =
        services().decide(target.run, target.stage, parsed, comment, cli().actor());
    if (json()) {
      printJson(ApprovalJson.of(event));
    } else {
      out()
          .println(
              event.decision()
                  + " "
                  + event.runId()
                  + " "
                  + event.stage()
                  + " by "
                  + event.actor()
                  + " at "
                  + event.at()
                  + " (content "
                  + event.contentDigest()
                  + ")");
    }
    return ExitCodes.OK;
  }
}
