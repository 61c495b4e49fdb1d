package org.docsgen.store.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.docsgen.store.app.http.json.Json;
import org.docsgen.store.app.http.json.PageJson;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.service.DocsGenServices;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every verb: access to the root's options, the services, and the two output modes
 * (human-readable text, or {@code --json} with the HTTP API's field names).
 */
abstract class StoreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    return run();
  }

  /** Does the work; returns the exit code. Failures are thrown and mapped by {@link ExitCodes}. */
  abstract int run() throws Exception;

  DocsGenCli cli() {
    return (DocsGenCli) spec.root().userObject();
  }

  Terminal terminal() {
    return cli().terminal();
  }

  DocsGenServices services() {
    return cli().session().services();
  }

  boolean json() {
    return cli().json();
  }

  PrintStream out() {
    return terminal().out();
  }

  /** A line of progress on stderr (never on stdout, which carries results). */
  void progress(String line) {
    terminal().err().println(line);
  }

  /** Prints {@code value} as one JSON document. */
  void printJson(Object value) {
    try {
      out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Prints one page of a listing: as a JSON page ({@code items}, {@code next}) of {@code toJson}'s
   * values, or a line per item and, on stderr, where the next page starts. Answers {@link
   * ExitCodes#OK}.
   */
  <T> int printPage(Page<T> page, Function<T, ?> toJson, Function<T, String> toLine) {
    if (json()) {
      printJson(PageJson.of(page, toJson));
      return ExitCodes.OK;
    }
    page.items().forEach(item -> out().println(toLine.apply(item)));
    morePages(page);
    return ExitCodes.OK;
  }

  /** Tells the human reader where the next page starts. */
  void morePages(Page<?> page) {
    page.next().ifPresent(cursor -> progress("(more: --cursor " + cursor + ")"));
  }

  /** The stage's RUNNING execution, if any. */
  Optional<PhaseExecution> running(RunId runId, Stage stage) {
    return Page.all(p -> services().listExecutions(runId, stage, p)).stream()
        .filter(e -> e.status() == ExecutionStatus.RUNNING)
        .findFirst();
  }

  /** The stage's latest execution (highest attempt), if any. */
  Optional<PhaseExecution> latest(RunId runId, Stage stage) {
    return Page.all(p -> services().listExecutions(runId, stage, p)).stream()
        .max(Comparator.comparingInt(PhaseExecution::attempt));
  }
}
