package org.docsgen.store.ports.service;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.docsgen.store.domain.approval.ApprovalEvent;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.gate.FailingIssues;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.out.ArtifactQuery;
import org.docsgen.store.ports.out.ArtifactRecord;
import org.docsgen.store.ports.out.IssueQuery;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;
import org.docsgen.store.ports.out.WriteContext;

/** Manifest look-ups the services share; every listing is read page by page. */
final class Lookups {
  private final ManifestStore manifest;

  Lookups(ManifestStore manifest) {
    this.manifest = requireNonNull(manifest, "manifest is null");
  }

  Run requireRun(RunId runId) {
    requireNonNull(runId, "runId is null");
    return manifest
        .findRun(runId)
        .orElseThrow(() -> new NotFoundException("run " + runId + " does not exist"));
  }

  /**
   * What a write of {@code path} is decided on, read at once ({@link
   * ManifestStore#findWriteContext}); not found as {@link #requireRun} when the run does not exist.
   */
  WriteContext requireWriteContext(LogicalPath path) {
    requireNonNull(path, "path is null");
    return manifest
        .findWriteContext(path)
        .orElseThrow(() -> new NotFoundException("run " + path.runId() + " does not exist"));
  }

  PhaseExecution requireExecution(ExecutionRef ref) {
    requireNonNull(ref, "execution is null");
    return manifest
        .findExecution(ref)
        .orElseThrow(
            () ->
                new NotFoundException(
                    "execution " + ref + " of run " + ref.runId() + " does not exist"));
  }

  /** Issue counts of one execution, every severity present. */
  Map<Severity, Long> issueCounts(ExecutionRef ref) {
    return manifest.countIssuesBySeverity(
        IssueQuery.all(ref.runId()).ofExecution(ref.stage(), ref.attempt()));
  }

  /**
   * The open ERROR issues of one execution as {@code {rule, file}}: the first {@link
   * FailingIssues#MAX_LISTED} recorded (one page), with {@code errors} (the execution's ERROR
   * count) as their total. No query when there are none.
   */
  FailingIssues failingIssues(ExecutionRef ref, long errors) {
    if (errors == 0) {
      return FailingIssues.none();
    }
    IssueQuery query =
        IssueQuery.all(ref.runId())
            .ofExecution(ref.stage(), ref.attempt())
            .withSeverity(Severity.ERROR);
    return FailingIssues.of(
        manifest.findIssues(query, PageRequest.first(FailingIssues.MAX_LISTED)).items(), errors);
  }

  static Map<Severity, Long> zeroCounts() {
    Map<Severity, Long> counts = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      counts.put(s, 0L);
    }
    return counts;
  }

  /** The latest indexed versions of a stage (or of the whole run when stage is null). */
  List<ArtifactInfo> latestVersions(RunId runId, Stage stageOrNull) {
    ArtifactQuery query = ArtifactQuery.latest(runId);
    if (stageOrNull != null) {
      query = query.inStage(stageOrNull);
    }
    ArtifactQuery q = query;
    List<ArtifactInfo> infos = new ArrayList<>();
    forEach(page -> manifest.listArtifacts(q, page), r -> infos.add(r.info()));
    return infos;
  }

  /** The versions an execution produced or confirmed. */
  List<ArtifactInfo> outputs(ExecutionRef ref) {
    List<ArtifactInfo> infos = new ArrayList<>();
    forEach(page -> manifest.listExecutionOutputs(ref, page), r -> infos.add(r.info()));
    return infos;
  }

  /** Every execution of a run, by stage then attempt. */
  List<PhaseExecution> executions(RunId runId) {
    List<PhaseExecution> all = new ArrayList<>();
    forEach(page -> manifest.listExecutions(runId, Optional.empty(), page), all::add);
    return all;
  }

  /** The latest approval event of each stage of a run, by stage. */
  Map<Stage, ApprovalEvent> latestApprovals(RunId runId) {
    Map<Stage, ApprovalEvent> latest = new java.util.TreeMap<>();
    forEach(
        page -> manifest.listApprovals(runId, Optional.empty(), page),
        a -> latest.put(a.stage(), a));
    return latest;
  }

  Optional<ArtifactRecord> indexed(ArtifactInfo info) {
    return manifest.findArtifact(info.path(), info.generation());
  }

  /** Visits every item of a paged listing, one page of at most 1000 in memory at a time. */
  static <T> void forEach(Function<PageRequest, Page<T>> lister, Consumer<? super T> visitor) {
    PageRequest request = PageRequest.first(PageRequest.MAX_LIMIT);
    while (true) {
      Page<T> page = lister.apply(request);
      page.items().forEach(visitor);
      if (page.nextCursor() == null) {
        return;
      }
      request = request.next(page.nextCursor());
    }
  }
}
