package org.docsgen.store.app.http.demo;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.app.http.routes.UseCases;
import org.docsgen.store.domain.approval.ApprovalDecision;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.issue.IssueLocation;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.in.ArtifactUseCases.WriteCommand;
import org.docsgen.store.ports.in.IssueUseCases.NewIssue;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;

/**
 * The example run {@code --demo} seeds so a new user finds something in the browser view: phase1
 * writes three markdown files and a diagram, {@code final@1} fails with ERROR issues pointing at
 * lines of {@code guide.md}, phase1@2 rewrites it (generation 2), {@code final@2} passes, the final
 * stage is approved and the run bundled. Everything goes through the same use cases as the API, as
 * the actor {@value #ACTOR}; a run created by that actor already in the store means it was seeded
 * before, and nothing is written again.
 */
public final class DemoRun {
  /** The actor every demo record carries; also how an earlier seeding is recognised. */
  public static final String ACTOR = "docsgen-demo";

  private static final String MARKDOWN = "text/markdown; charset=utf-8";
  private static final long MAX_BYTES = 1024 * 1024;
  private static final Stage PHASE1 = Stage.parse("phase1");
  private static final Stage FINAL = Stage.parse("final");
  private static final String REPORT = "validation-report.json";
  // a 1x1 PNG: the demo's binary artifact, offered as a download, never rendered
  private static final String PNG =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

  private final UseCases useCases;

  private DemoRun(UseCases useCases) {
    this.useCases = useCases;
  }

  /** The demo run already in the store, if one was seeded before. */
  public static Optional<RunId> existing(UseCases useCases) {
    String cursor = null;
    do {
      Page<Run> page = useCases.runs().listRuns(new PageRequest(cursor, 1000));
      for (Run run : page.items()) {
        if (ACTOR.equals(run.createdBy())) {
          return Optional.of(run.runId());
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    return Optional.empty();
  }

  /** Seeds the demo run unless one exists; answers its id and whether it was written now. */
  public static Seeded seed(UseCases useCases) {
    Optional<RunId> before = existing(useCases);
    if (before.isPresent()) {
      return new Seeded(before.get(), false);
    }
    return new Seeded(new DemoRun(useCases).write(), true);
  }

  /** The demo run's id, and whether this call wrote it. */
  public record Seeded(RunId runId, boolean created) {
    /**
     * The console line that reports it: {@code demo run <id> seeded} (or {@code already there}).
     */
    public String describe() {
      return "demo run " + runId + (created ? " seeded" : " already there");
    }
  }

  private RunId write() {
    RunId run =
        useCases.runs().createRun(ACTOR, List.of("index.md", "guide.md", "api.md"), true).runId();
    useCases.executions().start(run, PHASE1, ACTOR);
    put(run, PHASE1, "index.md", DemoTexts.INDEX);
    put(run, PHASE1, "guide.md", DemoTexts.GUIDE_V1);
    put(run, PHASE1, "api.md", DemoTexts.API);
    write(
        run,
        PHASE1,
        "assets/diagram.png",
        ArtifactType.OTHER,
        "image/png",
        Base64.getDecoder().decode(PNG),
        null);
    finish(run, PHASE1, 1, ExecutionStatus.SUCCEEDED, null);

    useCases.executions().start(run, FINAL, ACTOR);
    report(run, DemoTexts.REPORT_V1, null);
    LogicalPath guide = LogicalPath.of(run, PHASE1, "guide.md");
    LogicalPath api = LogicalPath.of(run, PHASE1, "api.md");
    useCases
        .issues()
        .record(
            run,
            List.of(
                issue(
                    guide,
                    "link-target",
                    Severity.ERROR,
                    "link target ./setup.md does not exist",
                    13,
                    14),
                issue(
                    guide,
                    "heading-order",
                    Severity.ERROR,
                    "heading level jumps from 2 to 4",
                    18,
                    18),
                issue(
                    guide,
                    "line-length",
                    Severity.WARNING,
                    "line is longer than 100 characters",
                    24,
                    24),
                issue(
                    api,
                    "code-fence-language",
                    Severity.INFO,
                    "code fence has no language",
                    9,
                    11)),
            ACTOR);
    finish(run, FINAL, 1, ExecutionStatus.FAILED, "validation found 2 ERROR issues");

    useCases.executions().start(run, PHASE1, ACTOR);
    String token = useCases.artifacts().requestOverwriteToken(guide, ACTOR).token();
    write(
        run,
        PHASE1,
        "guide.md",
        ArtifactType.DOCUMENTATION,
        MARKDOWN,
        DemoTexts.GUIDE_V2.getBytes(UTF_8),
        token);
    finish(run, PHASE1, 2, ExecutionStatus.SUCCEEDED, null);

    useCases.executions().start(run, FINAL, ACTOR);
    report(
        run,
        DemoTexts.REPORT_V2,
        useCases
            .artifacts()
            .requestOverwriteToken(LogicalPath.of(run, FINAL, REPORT), ACTOR)
            .token());
    useCases
        .issues()
        .record(
            run,
            List.of(
                new NewIssue(
                    FINAL,
                    2,
                    api,
                    "code-fence-language",
                    Severity.INFO,
                    "code fence has no language",
                    new IssueLocation(9, 1, 11, 3),
                    "docsgen-lint")),
            ACTOR);
    finish(run, FINAL, 2, ExecutionStatus.SUCCEEDED, null);
    useCases
        .approvals()
        .decide(run, FINAL, ApprovalDecision.APPROVED, "reviewed the demo documentation", ACTOR);
    useCases.bundles().createBundle(run, ACTOR);
    return run;
  }

  private static NewIssue issue(
      LogicalPath file, String rule, Severity severity, String message, int line, int endLine) {
    return new NewIssue(
        FINAL,
        1,
        file,
        rule,
        severity,
        message,
        new IssueLocation(line, 1, endLine, 80),
        "docsgen-lint");
  }

  private void put(RunId run, Stage stage, String name, String text) {
    write(run, stage, name, ArtifactType.DOCUMENTATION, MARKDOWN, text.getBytes(UTF_8), null);
  }

  private void report(RunId run, String json, String overwriteToken) {
    write(
        run,
        FINAL,
        REPORT,
        ArtifactType.VALIDATION_REPORT,
        "application/json",
        json.getBytes(UTF_8),
        overwriteToken);
  }

  private void write(
      RunId run,
      Stage stage,
      String name,
      ArtifactType type,
      String mediaType,
      byte[] bytes,
      String overwriteToken) {
    useCases
        .artifacts()
        .write(
            new WriteCommand(
                LogicalPath.of(run, stage, name),
                type,
                mediaType,
                ACTOR,
                overwriteToken == null,
                overwriteToken,
                MAX_BYTES),
            new ByteArrayInputStream(bytes));
  }

  private void finish(RunId run, Stage stage, int attempt, ExecutionStatus status, String error) {
    useCases.executions().finish(new ExecutionRef(run, stage, attempt), status, error, ACTOR);
  }
}
