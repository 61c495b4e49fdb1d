package org.docsgen.store.app.http.routes.api;

import java.util.ArrayList;
import java.util.List;
import org.docsgen.store.app.http.json.IssueCountsJson;
import org.docsgen.store.app.http.json.IssueJson;
import org.docsgen.store.app.http.json.PageJson;
import org.docsgen.store.app.http.json.Requests;
import org.docsgen.store.app.http.problem.ApiException;
import org.docsgen.store.app.http.problem.Problem;
import org.docsgen.store.app.http.problem.ProblemType;
import org.docsgen.store.app.http.routes.Exchange;
import org.docsgen.store.app.http.routes.Params;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.issue.IssueLocation;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.issue.ValidationIssue;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.in.IssueUseCases;
import org.docsgen.store.ports.in.IssueUseCases.NewIssue;
import org.docsgen.store.ports.out.IssueQuery;

/** Record issues (all or none) and query them, or count them per severity. */
final class IssueRoutes {
  /** At most this many issues per request; larger reports are sent in several requests. */
  static final int MAX_ISSUES_PER_REQUEST = 10_000;

  private final IssueUseCases issues;

  IssueRoutes(IssueUseCases issues) {
    this.issues = issues;
  }

  void record(Exchange ex) {
    RunId runId = ex.runId();
    Requests.RecordIssues body = ex.body(Requests.RecordIssues.class);
    if (body.issues() == null || body.issues().isEmpty()) {
      throw invalid("issues", "field 'issues' must list at least one issue");
    }
    if (body.issues().size() > MAX_ISSUES_PER_REQUEST) {
      throw invalid(
          "issues", "at most " + MAX_ISSUES_PER_REQUEST + " issues per request; split the report");
    }
    List<NewIssue> parsed = new ArrayList<>(body.issues().size());
    for (int i = 0; i < body.issues().size(); i++) {
      parsed.add(parse("issues[" + i + "]", body.issues().get(i), runId));
    }
    List<ValidationIssue> recorded = issues.record(runId, parsed, ex.actor());
    ex.ctx().header("Location", "/api/runs/" + runId + "/issues");
    ex.json(201, new PageJson<>(recorded.stream().map(IssueJson::of).toList(), null));
  }

  private static NewIssue parse(String at, Requests.NewIssue issue, RunId runId) {
    if (issue == null) {
      throw invalid(at, at + " is null");
    }
    Stage stage =
        Params.parseBody(at + ".stage", () -> Stage.parse(required(at, "stage", issue.stage())));
    if (issue.attempt() == null || issue.attempt() < 1) {
      throw invalid(at + ".attempt", at + ".attempt must be a positive number");
    }
    LogicalPath file =
        Params.parseBody(at + ".file", () -> LogicalPath.parse(required(at, "file", issue.file())));
    if (!file.runId().equals(runId)) {
      throw new ApiException(
          Problem.builder(
                  ProblemType.INVALID_PATH, at + ".file " + file + " is not in run " + runId)
              .field("file")
              .build());
    }
    Severity severity =
        Params.parseBody(
            at + ".severity", () -> Severity.parse(required(at, "severity", issue.severity())));
    IssueLocation location =
        issue.location() == null
            ? IssueLocation.none()
            : Params.parseBody(at + ".location", () -> issue.location().toDomain());
    return new NewIssue(
        stage,
        issue.attempt(),
        file,
        required(at, "rule", issue.rule()),
        severity,
        required(at, "message", issue.message()),
        location,
        required(at, "validator", issue.validator()));
  }

  private static String required(String at, String field, String value) {
    if (value == null || value.isBlank()) {
      throw invalid(at + "." + field, at + "." + field + " is required");
    }
    return value;
  }

  private static ApiException invalid(String field, String detail) {
    return new ApiException(Problem.builder(ProblemType.INVALID_BODY, detail).field(field).build());
  }

  void query(Exchange ex) {
    IssueQuery query = query(ex, ex.runId());
    String groupBy = ex.query("groupBy").orElse(null);
    if (groupBy != null) {
      if (!groupBy.equals("severity")) {
        throw ApiException.badParameter("groupBy", "groupBy supports only 'severity'");
      }
      ex.json(200, IssueCountsJson.bySeverity(issues.countBySeverity(query)));
      return;
    }
    ex.json(200, PageJson.of(issues.query(query, ex.page()), IssueJson::of));
  }

  private static IssueQuery query(Exchange ex, RunId runId) {
    Stage stage =
        ex.query("stage").map(s -> Params.parse("stage", () -> Stage.parse(s))).orElse(null);
    Integer attempt = ex.query("attempt").map(a -> Params.positiveInt("attempt", a)).orElse(null);
    if (attempt != null && stage == null) {
      throw ApiException.badParameter("attempt", "an attempt filter needs a stage filter");
    }
    LogicalPath file =
        ex.query("file").map(f -> Params.parse("file", () -> LogicalPath.parse(f))).orElse(null);
    Severity severity =
        ex.query("severity")
            .map(s -> Params.parse("severity", () -> Severity.parse(s)))
            .orElse(null);
    return new IssueQuery(runId, stage, attempt, file, ex.query("rule").orElse(null), severity);
  }
}
