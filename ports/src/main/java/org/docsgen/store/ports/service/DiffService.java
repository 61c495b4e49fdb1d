package org.docsgen.store.ports.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.MediaTypes;
import org.docsgen.store.domain.diff.DiffCalculator;
import org.docsgen.store.domain.diff.DiffLimits;
import org.docsgen.store.domain.diff.DiffReport;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.issue.ValidationIssue;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.in.DiffUseCases;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.IssueQuery;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.out.ReadRequest;

/**
 * What changed between two executions of a stage ({@code <stage>@<attempt>}: the versions each
 * produced or confirmed, keyed by name) or two runs (run ids: the latest version of every path,
 * keyed by {@code <stage>/<name>}; issues of each stage's latest execution). Modified text
 * artifacts within the {@link DiffLimits} ({@code diff.maxTextBytes} each and the edit budgets) get
 * a unified diff; past them the change says {@code too-large}.
 */
final class DiffService implements DiffUseCases {
  private final ArtifactStore store;
  private final ManifestStore manifest;
  private final Lookups lookups;
  private final DiffLimits limits;

  DiffService(ArtifactStore store, ManifestStore manifest, Lookups lookups, DiffLimits limits) {
    this.store = store;
    this.manifest = manifest;
    this.lookups = lookups;
    this.limits = limits;
  }

  private record Side(Map<String, ArtifactInfo> artifacts, List<ValidationIssue> issues) {}

  @Override
  public DiffReport diff(RunId runId, String from, String to) {
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
    lookups.requireRun(runId);
    boolean fromRun = from.startsWith("run_");
    if (fromRun != to.startsWith("run_")) {
      throw new InvalidInputException(
          "to", "compare two executions (<stage>@<attempt>) or two runs, not one of each");
    }
    Side a = fromRun ? runSide(RunId.parse(from)) : executionSide(ExecutionRef.parse(runId, from));
    Side b = fromRun ? runSide(RunId.parse(to)) : executionSide(ExecutionRef.parse(runId, to));
    return DiffCalculator.diff(
        from, to, a.artifacts(), b.artifacts(), a.issues(), b.issues(), this::text, limits);
  }

  private Side executionSide(ExecutionRef ref) {
    lookups.requireExecution(ref);
    Map<String, ArtifactInfo> artifacts = new TreeMap<>();
    for (ArtifactInfo info : lookups.outputs(ref)) {
      artifacts.put(info.name(), info);
    }
    return new Side(artifacts, issues(ref));
  }

  private Side runSide(RunId run) {
    lookups.requireRun(run);
    Map<String, ArtifactInfo> artifacts = new TreeMap<>();
    for (ArtifactInfo info : lookups.latestVersions(run, null)) {
      artifacts.put(info.stage() + "/" + info.name(), info);
    }
    List<ValidationIssue> issues = new ArrayList<>();
    Map<Stage, PhaseExecution> latestPerStage = new TreeMap<>();
    for (PhaseExecution e : lookups.executions(run)) {
      latestPerStage.merge(e.stage(), e, (x, y) -> x.attempt() >= y.attempt() ? x : y);
    }
    for (PhaseExecution e : latestPerStage.values()) {
      issues.addAll(issues(e.ref()));
    }
    return new Side(artifacts, issues);
  }

  private List<ValidationIssue> issues(ExecutionRef ref) {
    IssueQuery query = IssueQuery.all(ref.runId()).ofExecution(ref.stage(), ref.attempt());
    List<ValidationIssue> issues = new ArrayList<>();
    Lookups.forEach(page -> manifest.findIssues(query, page), issues::add);
    return issues;
  }

  /** The text of a version, when it is text and small enough to diff. */
  private Optional<String> text(ArtifactInfo version) {
    // DiffCalculator checks the size before asking; this keeps the read bounded on its own
    if (!MediaTypes.isText(version.mediaType()) || version.size() > limits.maxTextBytes()) {
      return Optional.empty();
    }
    ReadRequest read =
        ReadRequest.of(version.path(), version.generation()).withHash(version.hash());
    try (ArtifactContent content = store.open(read)) {
      return Optional.of(new String(content.stream().readAllBytes(), UTF_8));
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new BackendUnavailableException(
          "artifacts", "reading " + version.path() + " failed", e);
    }
  }
}
