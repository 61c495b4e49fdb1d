package org.docsgen.store.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.docsgen.store.domain.approval.ApprovalDecision;
import org.docsgen.store.domain.approval.ApprovalEvent;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.issue.Fingerprint;
import org.docsgen.store.domain.issue.IssueLocation;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.issue.ValidationIssue;
import org.docsgen.store.domain.run.CoreFileSet;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.RunStatus;
import org.docsgen.store.domain.run.Stage;

/** Small builders for domain values in tests. */
public final class Fixtures {
  public static final RunId RUN_ID = RunId.parse("run_2026_01_02_0001");
  public static final RunId OTHER_RUN_ID = RunId.parse("run_2026_01_02_0002");
  public static final Instant T0 = Instant.parse("2026-01-02T10:00:00Z");
  public static final Stage PHASE1 = Stage.phase(1);

  private Fixtures() {}

  public static Run run(RunStatus status) {
    return run(RUN_ID, status, CoreFileSet.standard(), false);
  }

  public static Run run(RunId id, RunStatus status, CoreFileSet core, boolean readme) {
    return new Run(id, status, "alice", T0, core, readme);
  }

  public static Run activeRun(List<String> coreFiles, boolean readme) {
    return run(RUN_ID, RunStatus.ACTIVE, CoreFileSet.of(coreFiles), readme);
  }

  public static ContentHash hash(String content) {
    return ContentHash.sha256(content.getBytes(StandardCharsets.UTF_8));
  }

  public static LogicalPath path(Stage stage, String name) {
    return LogicalPath.of(RUN_ID, stage, name);
  }

  public static ArtifactInfo artifact(
      LogicalPath path, ArtifactType type, String content, int generation, Instant at) {
    return new ArtifactInfo(
        path,
        type,
        hash(content),
        content.length(),
        "text/markdown; charset=utf-8",
        "orchestrator",
        at,
        generation);
  }

  public static ArtifactInfo doc(Stage stage, String name, String content) {
    return artifact(path(stage, name), ArtifactType.DOCUMENTATION, content, 1, T0);
  }

  public static PhaseExecution running(Stage stage, int attempt) {
    return PhaseExecution.started(new ExecutionRef(RUN_ID, stage, attempt), "orchestrator", T0);
  }

  public static PhaseExecution finished(Stage stage, int attempt, ExecutionStatus status) {
    return running(stage, attempt).finish(status, null, T0.plusSeconds(60));
  }

  public static ApprovalEvent approval(Stage stage, ApprovalDecision decision) {
    return new ApprovalEvent(RUN_ID, stage, decision, "bob", "", T0.plusSeconds(120), hash(""));
  }

  public static ValidationIssue issue(
      long id, LogicalPath file, String rule, Severity severity, String message, Integer line) {
    IssueLocation location = line == null ? IssueLocation.none() : IssueLocation.line(line);
    return new ValidationIssue(
        id,
        file.runId(),
        file.stage(),
        1,
        file,
        1,
        rule,
        severity,
        message,
        location,
        "lint",
        Fingerprint.of(rule, file, message));
  }
}
