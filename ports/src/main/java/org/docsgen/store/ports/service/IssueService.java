package org.docsgen.store.ports.service;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.gate.GateEvaluator;
import org.docsgen.store.domain.gate.GateReport;
import org.docsgen.store.domain.gate.IssueEvidence;
import org.docsgen.store.domain.issue.Fingerprint;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.issue.ValidationIssue;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.in.GateUseCases;
import org.docsgen.store.ports.in.IssueUseCases;
import org.docsgen.store.ports.out.ArtifactRecord;
import org.docsgen.store.ports.out.IssueQuery;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;

/** Records and queries validation issues, and explains gates from them. */
final class IssueService implements IssueUseCases, GateUseCases {
  /**
   * At most this many issues are attached as gate evidence (ERROR first); the counts always cover
   * all of them, and the issue query pages through the rest.
   */
  static final int MAX_EVIDENCE = 1000;

  private final ManifestStore manifest;
  private final Lookups lookups;

  IssueService(ManifestStore manifest, Lookups lookups) {
    this.manifest = manifest;
    this.lookups = lookups;
  }

  @Override
  public List<ValidationIssue> record(RunId runId, List<NewIssue> issues, String actor) {
    requireNonNull(issues, "issues is null");
    lookups.requireRun(runId);
    Set<ExecutionRef> knownExecutions = new HashSet<>();
    Map<LogicalPath, Integer> generations = new HashMap<>();
    List<ValidationIssue> batch = new ArrayList<>(issues.size());
    for (NewIssue issue : issues) {
      ExecutionRef ref = new ExecutionRef(runId, issue.stage(), issue.attempt());
      if (knownExecutions.add(ref)) {
        lookups.requireExecution(ref);
      }
      int generation =
          generations.computeIfAbsent(issue.file(), f -> validatedGeneration(runId, f));
      batch.add(
          new ValidationIssue(
              0,
              runId,
              issue.stage(),
              issue.attempt(),
              issue.file(),
              generation,
              issue.rule(),
              issue.severity(),
              issue.message(),
              issue.location(),
              issue.validator(),
              Fingerprint.of(issue.rule(), issue.file(), issue.message())));
    }
    return batch.isEmpty() ? List.of() : manifest.recordIssues(batch);
  }

  /** The version an issue refers to: the latest indexed generation of its file. */
  private int validatedGeneration(RunId runId, LogicalPath file) {
    if (!file.runId().equals(runId)) {
      throw new InvalidInputException(
          "file", "issue file " + file + " is not an artifact of run " + runId);
    }
    return manifest
        .findArtifact(file)
        .map(r -> r.info().generation())
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "file", "issue file " + file + " was never written in run " + runId));
  }

  @Override
  public Page<ValidationIssue> query(IssueQuery query, PageRequest page) {
    requireNonNull(query, "query is null");
    lookups.requireRun(query.runId());
    return manifest.findIssues(query, page);
  }

  @Override
  public Map<Severity, Long> countBySeverity(IssueQuery query) {
    requireNonNull(query, "query is null");
    lookups.requireRun(query.runId());
    return manifest.countIssuesBySeverity(query);
  }

  @Override
  public GateReport explain(RunId runId, Stage stage) {
    requireNonNull(stage, "stage is null");
    lookups.requireRun(runId);
    Optional<PhaseExecution> latest = manifest.findLatestExecution(runId, stage);
    if (latest.isEmpty()) {
      return GateEvaluator.report(runId, stage, latest, Lookups.zeroCounts(), List.of());
    }
    ExecutionRef ref = latest.get().ref();
    return GateEvaluator.report(runId, stage, latest, lookups.issueCounts(ref), evidence(ref));
  }

  /** Issues of one execution, ERROR first, each with its artifact version and producer. */
  private List<IssueEvidence> evidence(ExecutionRef ref) {
    List<IssueEvidence> evidence = new ArrayList<>();
    Map<String, Optional<ArtifactRecord>> versions = new HashMap<>();
    for (Severity severity : Severity.values()) {
      IssueQuery query =
          IssueQuery.all(ref.runId())
              .ofExecution(ref.stage(), ref.attempt())
              .withSeverity(severity);
      PageRequest request = PageRequest.first(PageRequest.MAX_LIMIT);
      while (evidence.size() < MAX_EVIDENCE) {
        Page<ValidationIssue> page = manifest.findIssues(query, request);
        for (ValidationIssue issue : page.items()) {
          if (evidence.size() < MAX_EVIDENCE) {
            evidence.add(evidenceOf(issue, versions));
          }
        }
        if (page.nextCursor() == null) {
          break;
        }
        request = request.next(page.nextCursor());
      }
    }
    return evidence;
  }

  private IssueEvidence evidenceOf(
      ValidationIssue issue, Map<String, Optional<ArtifactRecord>> versions) {
    Optional<ArtifactRecord> record =
        versions.computeIfAbsent(
            issue.file() + "@" + issue.generation(),
            k -> manifest.findArtifact(issue.file(), issue.generation()));
    return new IssueEvidence(
        issue,
        record.map(ArtifactRecord::info).orElse(null),
        record.map(ArtifactRecord::producedBy).orElse(null));
  }
}
