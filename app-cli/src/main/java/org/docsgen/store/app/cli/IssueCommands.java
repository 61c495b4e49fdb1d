package org.docsgen.store.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.docsgen.store.app.http.json.IssueCountsJson;
import org.docsgen.store.app.http.json.IssueJson;
import org.docsgen.store.app.http.json.Json;
import org.docsgen.store.app.http.json.PageJson;
import org.docsgen.store.app.http.json.Requests;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.issue.IssueLocation;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.issue.ValidationIssue;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.in.IssueUseCases.NewIssue;
import org.docsgen.store.ports.out.IssueQuery;
import org.docsgen.store.ports.out.Page;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code docsgen issues add|list}: validation issues. */
@Command(
    name = "issues",
    description = "Record and query validation issues.",
    mixinStandardHelpOptions = true,
    subcommands = {IssueCommands.Add.class, IssueCommands.ListIssues.class})
final class IssueCommands {

  static String line(ValidationIssue i) {
    return String.format(
        "#%d %-7s %s@%d %s:g%d%s  [%s] %s (%s)",
        i.id(),
        i.severity(),
        i.stage(),
        i.attempt(),
        i.file(),
        i.generation(),
        i.location().line() == null ? "" : ":" + i.location().line(),
        i.rule(),
        i.message(),
        i.validator());
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "add",
      description = {
        "Record issues from a JSON file or from flags, all or none.",
        "--from takes a JSON array of issues with the HTTP API's field names (or {\"issues\": [...]}); '-' reads stdin. Without an attempt, the stage's latest execution is meant."
      })
  static final class Add extends StoreCommand {
    @Parameters(index = "0", paramLabel = "RUN")
    RunId run;

    @Option(names = "--from", paramLabel = "JSON_FILE", description = "issues as JSON")
    String from;

    @Option(names = "--stage", paramLabel = "STAGE", description = "the validated stage")
    String stage;

    @Option(names = "--attempt", paramLabel = "N", description = "default: the stage's latest")
    Integer attempt;

    @Option(names = "--file", paramLabel = "PATH", description = "logical path of the file")
    String file;

    @Option(names = "--rule", paramLabel = "ID", description = "the rule id")
    String rule;

    @Option(names = "--severity", paramLabel = "S", description = "ERROR, WARNING or INFO")
    String severity;

    @Option(names = "--message", paramLabel = "TEXT")
    String message;

    @Option(names = "--line", paramLabel = "N", description = "location (1-based)")
    Integer line;

    @Option(names = "--column", paramLabel = "N")
    Integer column;

    @Option(names = "--end-line", paramLabel = "N")
    Integer endLine;

    @Option(names = "--end-column", paramLabel = "N")
    Integer endColumn;

    @Option(
        names = "--validator",
        paramLabel = "NAME",
        defaultValue = "cli",
        description = "default: cli")
    String validator;

    @Override
    int run() throws IOException {
      RunId runId = run;
      List<Requests.NewIssue> raw = from != null ? readJson() : List.of(fromFlags());
      if (raw.isEmpty()) {
        throw CliException.badInput("no issues to record");
      }
      List<NewIssue> issues = new ArrayList<>(raw.size());
      for (int i = 0; i < raw.size(); i++) {
        issues.add(parse("issues[" + i + "]", raw.get(i), runId));
      }
      List<ValidationIssue> recorded = services().record(runId, issues, cli().actor());
      if (json()) {
        printJson(new PageJson<>(recorded.stream().map(IssueJson::of).toList(), null));
      } else {
        recorded.forEach(issue -> out().println(line(issue)));
      }
      return ExitCodes.OK;
    }

    private List<Requests.NewIssue> readJson() throws IOException {
      if (stage != null || file != null || rule != null || severity != null || message != null) {
        throw CliException.badInput("give issues either with --from or with flags, not both");
      }
      JsonNode root;
      String name = from.equals("-") ? "stdin" : from;
      try (InputStream in =
          from.equals("-")
              ? terminal().in()
              : Files.newInputStream(terminal().resolve(Path.of(from)))) {
        root = Json.mapper().readTree(in);
      } catch (com.fasterxml.jackson.core.JacksonException e) {
        throw CliException.badInput("malformed JSON in " + name + ": " + ExitCodes.describeJson(e));
      }
      JsonNode array =
          root != null && root.isObject() && root.has("issues") ? root.get("issues") : root;
      if (array == null || !array.isArray()) {
        throw CliException.badInput(
            name + " must hold a JSON array of issues (or {\"issues\": [...]})");
      }
      try {
        return List.of(Json.mapper().treeToValue(array, Requests.NewIssue[].class));
      } catch (com.fasterxml.jackson.core.JacksonException e) {
        throw CliException.badInput(
            "malformed issue in " + name + ": " + ExitCodes.describeJson(e));
      }
    }

    private Requests.NewIssue fromFlags() {
      var location =
          new org.docsgen.store.app.http.json.LocationJson(line, column, endLine, endColumn);
      return new Requests.NewIssue(
          stage, attempt, file, rule, severity, message, location, validator);
    }

    private NewIssue parse(String at, Requests.NewIssue issue, RunId runId) {
      if (issue == null) {
        throw CliException.badInput(at + " is null");
      }
      Stage parsedStage = Stage.parse(required(at, "stage", issue.stage()));
      LogicalPath path = LogicalPath.parse(required(at, "file", issue.file()));
      if (!path.runId().equals(runId)) {
        throw CliException.badInput(at + ".file " + path + " is not in run " + runId);
      }
      int parsedAttempt =
          issue.attempt() != null ? issue.attempt() : latestAttempt(runId, parsedStage, at);
      if (parsedAttempt < 1) {
        throw CliException.badInput(at + ".attempt must be a positive number");
      }
      Severity parsedSeverity = Severity.parse(required(at, "severity", issue.severity()));
      IssueLocation location =
          issue.location() == null ? IssueLocation.none() : issue.location().toDomain();
      return new NewIssue(
          parsedStage,
          parsedAttempt,
          path,
          required(at, "rule", issue.rule()),
          parsedSeverity,
          required(at, "message", issue.message()),
          location,
          required(at, "validator", issue.validator()));
    }

    private int latestAttempt(RunId runId, Stage stage, String at) {
      return latest(runId, stage)
          .map(PhaseExecution::attempt)
          .orElseThrow(
              () ->
                  CliException.badInput(
                      at + ": stage " + stage + " of " + runId + " has no execution"));
    }

    private static String required(String at, String field, String value) {
      if (value == null || value.isBlank()) {
        throw CliException.badInput(at + "." + field + " is required (--" + field + ")");
      }
      return value;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "list",
      description = {
        "Issues of a run, filtered; or, with --group-by severity, how many match per severity.",
        "--group-by severity answers like GET /api/runs/{runId}/issues?groupBy=severity (--json:"
            + " {\"groupBy\": \"severity\", \"counts\": {\"ERROR\": n, \"WARNING\": n,"
            + " \"INFO\": n}}); the filters apply to the counts too."
      })
  static final class ListIssues extends StoreCommand {
    @Parameters(index = "0", paramLabel = "RUN")
    RunId run;

    @Option(names = "--stage", paramLabel = "STAGE")
    Stage stage;

    @Option(names = "--attempt", paramLabel = "N", description = "needs --stage")
    Integer attempt;

    @Option(names = "--file", paramLabel = "PATH")
    LogicalPath file;

    @Option(names = "--rule", paramLabel = "ID")
    String rule;

    @Option(names = "--severity", paramLabel = "S", description = "ERROR, WARNING or INFO")
    Severity severity;

    @Option(
        names = "--group-by",
        paramLabel = "FIELD",
        description = "severity: count the matching issues per severity instead of listing them")
    String groupBy;

    @Option(names = "--count", description = "the same as --group-by severity")
    boolean count;

    @Mixin PagingOptions paging;

    @Override
    int run() {
      if (attempt != null && stage == null) {
        throw CliException.badInput("--attempt needs --stage");
      }
      IssueQuery query = new IssueQuery(run, stage, attempt, file, rule, severity);
      if (groupBy != null && !groupBy.equals("severity")) {
        throw CliException.badInput("--group-by supports only 'severity', was " + groupBy);
      }
      if (count || groupBy != null) {
        Map<Severity, Long> counts = services().countBySeverity(query);
        if (json()) {
          printJson(IssueCountsJson.bySeverity(counts));
        } else {
          for (Severity s : Severity.values()) {
            out().println(s + " " + counts.getOrDefault(s, 0L));
          }
        }
        return ExitCodes.OK;
      }
      Page<ValidationIssue> page = services().query(query, paging.request());
      return printPage(page, IssueJson::of, IssueCommands::line);
    }
  }
}
