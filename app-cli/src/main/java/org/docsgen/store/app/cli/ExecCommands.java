package org.docsgen.store.app.cli;

import java.util.List;
import java.util.Locale;
import org.docsgen.store.app.http.json.ExecutionDetailsJson;
import org.docsgen.store.app.http.json.ExecutionJson;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.in.ExecutionUseCases.ExecutionDetails;
import org.docsgen.store.ports.out.Page;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code docsgen exec start|finish|list|show}: phase executions. */
@Command(
    name = "exec",
    description = "Start, finish, list and show a stage's phase executions.",
    mixinStandardHelpOptions = true,
    subcommands = {
      ExecCommands.Start.class,
      ExecCommands.Finish.class,
      ExecCommands.ListExecutions.class,
      ExecCommands.Show.class
    })
final class ExecCommands {

  static void print(StoreCommand command, PhaseExecution execution) {
    if (command.json()) {
      command.printJson(ExecutionJson.of(execution, List.of()));
      return;
    }
    command.out().println(line(execution));
  }

  static String line(PhaseExecution e) {
    return label(e.ref())
        + "  "
        + e.status()
        + "  started "
        + e.startedAt()
        + " by "
        + e.executor()
        + e.finished().map(at -> "  finished " + at).orElse("")
        + e.errorText().map(text -> "  error: " + text).orElse("");
  }

  /** {@code <runId>/<stage>@<attempt>}: an execution named for humans. */
  static String label(ExecutionRef ref) {
    return ref.runId() + "/" + ref;
  }

  /** Parses SUCCEEDED, FAILED or GATE_FAILED (any case). */
  static ExecutionStatus finishStatus(String text) {
    try {
      ExecutionStatus status = ExecutionStatus.valueOf(text.strip().toUpperCase(Locale.ROOT));
      if (status.isTerminal()) {
        return status;
      }
    } catch (IllegalArgumentException e) {
      // fall through to the message below
    }
    throw CliException.badInput(
        "unknown status '" + text + "': use SUCCEEDED, FAILED or GATE_FAILED");
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "start",
      description = "Start the stage's next attempt (prints it).")
  static final class Start extends StoreCommand {
    @Mixin StageArguments target;

    @Override
    int run() {
      print(this, services().start(target.run, target.stage, cli().actor()));
      return ExitCodes.OK;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "finish",
      description = "Finish a RUNNING execution.")
  static final class Finish extends StoreCommand {
    @Mixin StageArguments target;

    @Parameters(
        index = "2",
        arity = "0..1",
        paramLabel = "ATTEMPT",
        description = "default: the stage's running attempt")
    Integer attempt;

    @Option(
        names = "--status",
        required = true,
        paramLabel = "STATUS",
        description = "SUCCEEDED, FAILED or GATE_FAILED")
    String status;

    @Option(names = "--error", paramLabel = "TEXT", description = "why it failed")
    String error;

    @Override
    int run() {
      RunId runId = target.run;
      Stage parsed = target.stage;
      ExecutionStatus finishAs = finishStatus(status);
      int which =
          attempt != null
              ? attempt
              : running(runId, parsed)
                  .map(PhaseExecution::attempt)
                  .orElseThrow(
                      () ->
                          new CliException(
                              ExitCodes.REFUSED,
                              "no execution of " + runId + "/" + parsed + " is running",
                              "list them with `docsgen exec list " + runId + " " + parsed + "`"));
      ExecutionRef ref = new ExecutionRef(runId, parsed, which);
      print(this, services().finish(ref, finishAs, error, cli().actor()));
      return ExitCodes.OK;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "list",
      description = "A stage's executions by attempt.")
  static final class ListExecutions extends StoreCommand {
    @Mixin StageArguments target;

    @Mixin PagingOptions paging;

    @Override
    int run() {
      Page<PhaseExecution> page =
          services().listExecutions(target.run, target.stage, paging.request());
      return printPage(page, e -> ExecutionJson.of(e, List.of()), ExecCommands::line);
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "show",
      description = "One execution with its artifacts, issues and gate.")
  static final class Show extends StoreCommand {
    @Parameters(index = "0", paramLabel = "RUN")
    RunId run;

    @Parameters(index = "1", paramLabel = "STAGE@ATTEMPT", description = "e.g. phase1@2")
    String execution;

    @Override
    int run() {
      ExecutionDetails details = services().get(ExecutionRef.parse(run, execution));
      if (json()) {
        printJson(ExecutionDetailsJson.of(details));
        return ExitCodes.OK;
      }
      out().println(line(details.execution()));
      details.artifacts().forEach(a -> out().println("  " + LsCommand.line(a)));
      out().println("  issues: " + details.issueCounts());
      out()
          .println(
              "  gate: "
                  + (details.gate().passed()
                      ? "passed"
                      : "failing: " + String.join("; ", details.gate().failing())));
      GateCommand.printFailing(out(), details.failingIssues());
      return ExitCodes.OK;
    }
  }
}
