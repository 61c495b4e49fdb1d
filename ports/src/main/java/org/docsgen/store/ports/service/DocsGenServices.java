package org.docsgen.store.ports.service;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.docsgen.store.domain.approval.ApprovalDecision;
import org.docsgen.store.domain.approval.ApprovalEvent;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.bundle.BundleRecord;
import org.docsgen.store.domain.diff.DiffReport;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.gate.GateReport;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.issue.ValidationIssue;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.bundle.BundleSigner;
import org.docsgen.store.ports.bundle.JsonParser;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.in.ApprovalUseCases;
import org.docsgen.store.ports.in.ArtifactUseCases;
import org.docsgen.store.ports.in.BundleUseCases;
import org.docsgen.store.ports.in.DiffUseCases;
import org.docsgen.store.ports.in.ExecutionUseCases;
import org.docsgen.store.ports.in.FsckUseCases;
import org.docsgen.store.ports.in.GateUseCases;
import org.docsgen.store.ports.in.IssueUseCases;
import org.docsgen.store.ports.in.RunUseCases;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ByteRange;
import org.docsgen.store.ports.out.IssueQuery;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;
import org.docsgen.store.ports.out.WriteResult;

/**
 * The application services: every inbound use case, implemented against the two outbound ports and
 * the domain rules. Stateless apart from its collaborators, so one instance serves every request
 * and any number of instances can run side by side over shared backends (every guarantee lives in
 * the stores' atomic primitives).
 *
 * <p>Construct with the artifact store, the manifest, the deployment's overwrite-token minter (the
 * same key every store's guard checks), the bundle signer, a JSON reader (the bundle verifier reads
 * the attestation's statement with it; the ports hold no JSON library), a clock (UTC dates for run
 * ids) and, optionally, the {@link ServiceLimits} from configuration (the defaults otherwise).
 */
public final class DocsGenServices
    implements RunUseCases,
        ExecutionUseCases,
        ArtifactUseCases,
        IssueUseCases,
        GateUseCases,
        ApprovalUseCases,
        BundleUseCases,
        DiffUseCases,
        FsckUseCases {
  private final RunService runs;
  private final ArtifactService artifacts;
  private final IssueService issues;
  private final BundleCreator bundleCreator;
  private final BundleVerifier bundleVerifier;
  private final DiffService diffs;
  private final FsckService fsck;

  public DocsGenServices(
      ArtifactStore artifacts,
      ManifestStore manifest,
      OverwriteTokens tokens,
      BundleSigner signer,
      JsonParser json,
      Clock clock) {
    this(artifacts, manifest, tokens, signer, json, clock, ServiceLimits.DEFAULTS);
  }

  public DocsGenServices(
      ArtifactStore artifacts,
      ManifestStore manifest,
      OverwriteTokens tokens,
      BundleSigner signer,
      JsonParser json,
      Clock clock,
      ServiceLimits limits) {
    requireNonNull(artifacts, "artifacts is null");
    requireNonNull(limits, "limits is null");
    requireNonNull(manifest, "manifest is null");
    requireNonNull(tokens, "tokens is null");
    requireNonNull(signer, "signer is null");
    requireNonNull(json, "json is null");
    requireNonNull(clock, "clock is null");
    Lookups lookups = new Lookups(manifest);
    this.runs = new RunService(manifest, clock, lookups);
    this.artifacts =
        new ArtifactService(artifacts, manifest, tokens, lookups, limits.maxPreviewBytes());
    this.issues = new IssueService(manifest, lookups);
    this.bundleCreator = new BundleCreator(artifacts, manifest, signer, clock, lookups);
    this.bundleVerifier = new BundleVerifier(artifacts, manifest, signer, json, lookups);
    this.diffs = new DiffService(artifacts, manifest, lookups, limits.diffLimits());
    this.fsck = new FsckService(artifacts, manifest, clock);
  }

  // ---- runs

  @Override
  public Run createRun(String actor, List<String> coreFiles, boolean bundleReadme) {
    return runs.createRun(actor, coreFiles, bundleReadme);
  }

  @Override
  public Run getRun(RunId runId) {
    return runs.getRun(runId);
  }

  @Override
  public Page<Run> listRuns(PageRequest page) {
    return runs.listRuns(page);
  }

  // ---- executions

  @Override
  public PhaseExecution start(RunId runId, Stage stage, String actor) {
    return runs.start(runId, stage, actor);
  }

  @Override
  public PhaseExecution finish(
      ExecutionRef ref, ExecutionStatus status, String error, String actor) {
    return runs.finish(ref, status, error, actor);
  }

  @Override
  public Page<PhaseExecution> listExecutions(RunId runId, Stage stage, PageRequest page) {
    return runs.listExecutions(runId, stage, page);
  }

  @Override
  public ExecutionDetails get(ExecutionRef ref) {
    return runs.get(ref);
  }

  // ---- artifacts

  @Override
  public WriteResult write(WriteCommand command, InputStream content) {
    return artifacts.write(command, content);
  }

  @Override
  public ArtifactContent read(LogicalPath path, int generation, ByteRange range) {
    return artifacts.read(path, generation, range);
  }

  @Override
  public ArtifactContent open(ArtifactInfo indexed, ByteRange range) {
    return artifacts.open(indexed, range);
  }

  @Override
  public ArtifactInfo stat(LogicalPath path, int generation) {
    return artifacts.stat(path, generation);
  }

  @Override
  public TextSlice readLines(LogicalPath path, int generation, int first, int last) {
    return artifacts.readLines(path, generation, first, last);
  }

  @Override
  public Page<ArtifactInfo> listArtifacts(
      RunId runId, Optional<Stage> stage, Optional<ArtifactType> type, PageRequest page) {
    return artifacts.listArtifacts(runId, stage, type, page);
  }

  @Override
  public OverwriteTokenGrant requestOverwriteToken(LogicalPath path, String actor) {
    return artifacts.requestOverwriteToken(path, actor);
  }

  // ---- issues and gates

  @Override
  public List<ValidationIssue> record(RunId runId, List<NewIssue> newIssues, String actor) {
    return issues.record(runId, newIssues, actor);
  }

  @Override
  public Page<ValidationIssue> query(IssueQuery query, PageRequest page) {
    return issues.query(query, page);
  }

  @Override
  public Map<Severity, Long> countBySeverity(IssueQuery query) {
    return issues.countBySeverity(query);
  }

  @Override
  public GateReport explain(RunId runId, Stage stage) {
    return issues.explain(runId, stage);
  }

  // ---- approvals

  @Override
  public ApprovalEvent decide(
      RunId runId, Stage stage, ApprovalDecision decision, String comment, String actor) {
    return runs.decide(runId, stage, decision, comment, actor);
  }

  @Override
  public Page<ApprovalEvent> listApprovals(RunId runId, Optional<Stage> stage, PageRequest page) {
    return runs.listApprovals(runId, stage, page);
  }

  // ---- bundles, diff, fsck

  @Override
  public BundleRecord createBundle(RunId runId, String actor) {
    return bundleCreator.createBundle(runId, actor);
  }

  @Override
  public BundleVerification verify(RunId runId) {
    return bundleVerifier.verify(runId);
  }

  @Override
  public byte[] attestation(RunId runId) {
    return bundleVerifier.attestation(runId);
  }

  @Override
  public List<BundleUseCases.SigningKey> signingKeys() {
    return bundleVerifier.signingKeys();
  }

  @Override
  public DiffReport diff(RunId runId, String from, String to) {
    return diffs.diff(runId, from, to);
  }

  @Override
  public FsckReport fsck(
      Optional<RunId> run, boolean deep, boolean repair, Duration orphanGrace, Progress progress) {
    return fsck.fsck(run, deep, repair, orphanGrace, progress);
  }
}
