package org.docsgen.store.ports.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.docsgen.store.domain.approval.ApprovalEvent;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ArtifactVersion;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.artifact.MediaTypes;
import org.docsgen.store.domain.bundle.BundleEntry;
import org.docsgen.store.domain.bundle.BundlePlan;
import org.docsgen.store.domain.bundle.BundlePlanner;
import org.docsgen.store.domain.bundle.BundleRecord;
import org.docsgen.store.domain.bundle.BundleSource;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.gate.FailingIssues;
import org.docsgen.store.domain.gate.GateEvaluator;
import org.docsgen.store.domain.gate.GateOutcome;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.policy.ImmutabilityPolicy;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.RunStatus;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.bundle.BundleSigner;
import org.docsgen.store.ports.bundle.BundleZipWriter;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.GateNotPassedException;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.RefusedException;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.out.ReadRequest;
import org.docsgen.store.ports.out.WriteRequest;

/**
 * Creates a run's bundle, once: the final gate, the plan, the deterministic zip (staged by {@link
 * BundleZipWriter#stage}), the signed attestation, then the manifest's bundle record.
 */
final class BundleCreator {
  static final String ATTESTATION_MEDIA_TYPE = "application/json";

  /** Indexes a stored bundle zip while its attestation is made; daemon threads, made on demand. */
  private static final ExecutorService INDEXER =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "docsgen-bundle-index");
            thread.setDaemon(true);
            return thread;
          });

  private final ArtifactStore store;
  private final ManifestStore manifest;
  private final BundleSigner signer;
  private final Clock clock;
  private final Lookups lookups;

  BundleCreator(
      ArtifactStore store,
      ManifestStore manifest,
      BundleSigner signer,
      Clock clock,
      Lookups lookups) {
    this.store = store;
    this.manifest = manifest;
    this.signer = signer;
    this.clock = clock;
    this.lookups = lookups;
  }

  BundleRecord createBundle(RunId runId, String actor) {
    requireNonNull(actor, "actor is null");
    Run run = lookups.requireRun(runId);
    if (run.status() == RunStatus.BUNDLED || manifest.findBundle(runId).isPresent()) {
      throw alreadyBundled(runId);
    }
    Optional<PhaseExecution> latestFinal = manifest.findLatestExecution(runId, Stage.FINAL);
    long errors = latestFinal.map(e -> lookups.issueCounts(e.ref()).get(Severity.ERROR)).orElse(0L);
    GateOutcome gate = GateEvaluator.evaluate(Stage.FINAL, latestFinal, errors);
    BundlePlan plan = BundlePlanner.plan(run, gate, succeededOutputs(runId));
    if (plan instanceof BundlePlan.Refused refused) {
      FailingIssues open =
          latestFinal.map(e -> lookups.failingIssues(e.ref(), errors)).orElse(FailingIssues.none());
      throw new GateNotPassedException(runId, refused.missing(), refused.failing(), open);
    }
    PhaseExecution finalExecution = latestFinal.orElseThrow();
    StoredZip zip = storeZip(runId, (BundlePlan.Ready) plan, finalExecution, actor);
    // the zip is stored; its index record commits while the attestation is signed and stored, so
    // the two records can share a commit (each is still indexed only after its bytes are stored)
    Future<?> zipIndexed =
        INDEXER.submit(() -> manifest.recordArtifact(zip.info(), finalExecution.ref()));
    String statement;
    String signature;
    try {
      List<ApprovalEvent> approvals =
          lookups.latestApprovals(runId).values().stream()
              .filter(ImmutabilityPolicy::isApproved)
              .toList();
      statement =
          BundleAttestation.statement(runId, zip.info(), zip.entries(), finalExecution, approvals);
      signature = signer.sign(BundleAttestation.signedBytes(statement));
      byte[] envelope = BundleAttestation.storedEnvelope(statement, signer.keyId(), signature);
      storeAndIndex(
          BundlePlanner.attestationPath(runId),
          ArtifactType.OTHER,
          ATTESTATION_MEDIA_TYPE,
          new ByteArrayInputStream(envelope),
          finalExecution,
          actor);
    } catch (RuntimeException e) {
      awaitQuietly(zipIndexed);
      throw e;
    }
    await(zipIndexed);
    BundleRecord record =
        new BundleRecord(
            runId,
            zip.info().version(),
            zip.info().size(),
            zip.entries(),
            finalExecution.ref(),
            actor,
            clock.instant(),
            statement,
            signature);
    return manifest.recordBundle(record);
  }

  /**
   * Waits for {@code task} and rethrows what it threw as itself (a store or manifest exception
   * keeps its type, so its HTTP status and exit code).
   */
  private static void await(Future<?> task) {
    try {
      task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendUnavailableException(
          "manifest", "interrupted while the bundle zip was being indexed", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }

  /** Waits for {@code task} after another failure, which is the one reported. */
  private static void awaitQuietly(Future<?> task) {
    try {
      task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException ignored) {
      // the attestation's failure is reported; a retry of the bundle indexes the zip again
    }
  }

  private static RefusedException alreadyBundled(RunId runId) {
    return new RefusedException(
        "already-bundled", "run " + runId + " already has a bundle; a bundle is made once");
  }

  /** Every version output (or confirmed) by a SUCCEEDED execution of the run. */
  private List<ArtifactInfo> succeededOutputs(RunId runId) {
    List<ArtifactInfo> outputs = new ArrayList<>();
    for (PhaseExecution e : lookups.executions(runId)) {
      if (e.status() == ExecutionStatus.SUCCEEDED) {
        outputs.addAll(lookups.outputs(e.ref()));
      }
    }
    return outputs;
  }

  private record StoredZip(ArtifactInfo info, List<BundleEntry> entries) {}

  /**
   * Stages the planned zip, checks every entry against the version it was read from, then stores it
   * (the caller indexes it).
   */
  private StoredZip storeZip(
      RunId runId, BundlePlan.Ready ready, PhaseExecution finalExecution, String actor) {
    List<BundleZipWriter.Entry> entries = new ArrayList<>();
    Map<String, ArtifactVersion> sources = new HashMap<>();
    for (BundleSource source : ready.sources()) {
      ArtifactInfo info = source.source();
      sources.put(source.entryName(), info.version());
      ReadRequest read = ReadRequest.of(info.path(), info.generation()).withHash(info.hash());
      entries.add(new BundleZipWriter.Entry(source.entryName(), () -> store.open(read).stream()));
    }
    if (ready.readmeText() != null) {
      byte[] readme = ready.readmeText().getBytes(UTF_8);
      entries.add(
          new BundleZipWriter.Entry(
              BundlePlanner.README_NAME, () -> new ByteArrayInputStream(readme)));
    }
    try {
      return BundleZipWriter.stage(
          entries,
          (written, zip) -> {
            List<BundleEntry> bundleEntries = new ArrayList<>();
            for (BundleZipWriter.WrittenEntry w : written) {
              ArtifactVersion source = sources.get(w.name());
              if (source != null && !source.hash().equals(w.hash())) {
                throw IntegrityException.mismatch(
                    source.path(), source.generation(), source.hash(), w.hash());
              }
              bundleEntries.add(new BundleEntry(w.name(), w.hash(), w.size(), source));
            }
            ArtifactInfo info =
                store
                    .write(
                        WriteRequest.create(
                            BundlePlanner.bundlePath(runId),
                            ArtifactType.BUNDLE,
                            MediaTypes.ZIP,
                            actor),
                        zip)
                    .info();
            return new StoredZip(info, bundleEntries);
          });
    } catch (IOException e) {
      throw new BackendUnavailableException(
          "bundle", "staging the bundle of " + runId + " in a temporary file failed", e);
    }
  }

  /**
   * Store first, then index. Not create-only: a retry after a crash between the two finds the same
   * deterministic bytes and gets the stored version back unchanged.
   */
  private ArtifactInfo storeAndIndex(
      LogicalPath path,
      ArtifactType type,
      String mediaType,
      InputStream content,
      PhaseExecution producer,
      String actor) {
    ArtifactInfo info =
        store.write(WriteRequest.create(path, type, mediaType, actor), content).info();
    manifest.recordArtifact(info, producer.ref());
    return info;
  }
}
