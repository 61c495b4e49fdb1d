package org.docsgen.store.ports.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.docsgen.store.ports.bundle.BundleZipReader;
import org.docsgen.store.ports.bundle.BundleZipWriter;
import org.docsgen.store.ports.bundle.CanonicalJson;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.GateNotPassedException;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.error.RefusedException;
import org.docsgen.store.ports.in.BundleUseCases;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ArtifactRecord;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.out.ReadRequest;
import org.docsgen.store.ports.out.WriteRequest;
import org.docsgen.store.ports.stream.DigestingInputStream;

/**
 * Creates a run's bundle (gate, plan, deterministic zip, signed attestation, manifest record) and
 * proves it later by re-reading the stored zip.
 */
final class BundleService implements BundleUseCases {
  static final String ATTESTATION_MEDIA_TYPE = "application/json";
  private static final long MAX_ATTESTATION_BYTES = 16L * 1024 * 1024;

  private final ArtifactStore store;
  private final ManifestStore manifest;
  private final BundleSigner signer;
  private final Clock clock;
  private final Lookups lookups;

  BundleService(
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

  // ---- create

  @Override
  public BundleRecord createBundle(RunId runId, String actor) {
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
    BundlePlan.Ready ready = (BundlePlan.Ready) plan;
    ZipOutcome zip = writeZip(runId, ready, finalExecution, actor);
    List<ApprovalEvent> approvals =
        lookups.latestApprovals(runId).values().stream()
            .filter(ImmutabilityPolicy::isApproved)
            .toList();
    String statement =
        BundleAttestation.statement(runId, zip.info(), zip.entries(), finalExecution, approvals);
    String signature = signer.sign(BundleAttestation.signedBytes(statement));
    byte[] envelope = BundleAttestation.storedEnvelope(statement, signer.keyId(), signature);
    storeAndIndex(
        BundlePlanner.attestationPath(runId),
        ArtifactType.OTHER,
        ATTESTATION_MEDIA_TYPE,
        new ByteArrayInputStream(envelope),
        finalExecution,
        actor);
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

  private record ZipOutcome(ArtifactInfo info, List<BundleEntry> entries) {}

  /** Streams the zip through a temporary file into the store; never holds it in memory. */
  private ZipOutcome writeZip(
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
    Path staging = null;
    try {
      staging = Files.createTempFile("docsgen-bundle-", ".zip");
      List<BundleZipWriter.WrittenEntry> written;
      try (OutputStream out = Files.newOutputStream(staging)) {
        written = BundleZipWriter.write(entries, out);
      }
      List<BundleEntry> bundleEntries = new ArrayList<>();
      for (BundleZipWriter.WrittenEntry w : written) {
        ArtifactVersion source = sources.get(w.name());
        if (source != null && !source.hash().equals(w.hash())) {
          throw IntegrityException.mismatch(
              source.path(), source.generation(), source.hash(), w.hash());
        }
        bundleEntries.add(new BundleEntry(w.name(), w.hash(), w.size(), source));
      }
      try (InputStream in = Files.newInputStream(staging)) {
        ArtifactInfo info =
            storeAndIndex(
                BundlePlanner.bundlePath(runId),
                ArtifactType.BUNDLE,
                MediaTypes.ZIP,
                in,
                finalExecution,
                actor);
        return new ZipOutcome(info, bundleEntries);
      }
    } catch (IOException e) {
      throw new BackendUnavailableException(
          "bundle", "staging the bundle of " + runId + " in a temporary file failed", e);
    } finally {
      deleteQuietly(staging);
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

  private static void deleteQuietly(Path path) {
    if (path != null) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException ignored) {
        // a leftover temporary file is harmless
      }
    }
  }

  // ---- verify

  @Override
  public BundleVerification verify(RunId runId) {
    lookups.requireRun(runId);
    BundleRecord bundle =
        manifest
            .findBundle(runId)
            .orElseThrow(() -> new NotFoundException("run " + runId + " has no bundle"));
    Checks checks = new Checks();
    Path staging = null;
    try {
      staging = Files.createTempFile("docsgen-verify-", ".zip");
      if (copyZip(bundle, staging, checks)) {
        checkEntries(bundle, staging, checks);
      }
    } catch (IOException e) {
      throw new BackendUnavailableException(
          "bundle", "staging the bundle of " + runId + " for verification failed", e);
    } finally {
      deleteQuietly(staging);
    }
    checkSources(bundle, checks);
    checkAttestation(bundle, checks);
    return new BundleVerification(runId, checks.failures.isEmpty(), checks.lines(), bundle);
  }

  /** One line per check, failures first. */
  private static final class Checks {
    private final List<String> failures = new ArrayList<>();
    private final List<String> passes = new ArrayList<>();

    void check(boolean ok, String what, String failure) {
      if (ok) {
        passes.add("OK " + what);
      } else {
        failures.add("FAIL " + what + ": " + failure);
      }
    }

    List<String> lines() {
      List<String> lines = new ArrayList<>(failures);
      lines.addAll(passes);
      return lines;
    }
  }

  /**
   * Copies the stored zip to {@code staging}, checking its hash and size; false when unreadable.
   */
  private boolean copyZip(BundleRecord bundle, Path staging, Checks checks) throws IOException {
    ArtifactVersion zip = bundle.zip();
    String what = "zip " + zip.path() + "@" + zip.generation() + " matches " + zip.hash();
    ReadRequest read = ReadRequest.of(zip.path(), zip.generation()).withHash(zip.hash());
    DigestingInputStream digesting;
    try (ArtifactContent content = store.open(read)) {
      digesting = new DigestingInputStream(content.stream());
      try {
        Files.copy(digesting, staging, StandardCopyOption.REPLACE_EXISTING);
      } catch (IntegrityException e) {
        // the store's own verification fired at end of stream; our hash below says how
      }
    } catch (NotFoundException e) {
      checks.check(
          false, what, "the zip is missing from the artifact store (" + e.getMessage() + ")");
      return false;
    } catch (IntegrityException e) {
      // refused at open (the filesystem store checks the size first): a failed check with its
      // reason, not a 502 / an error exit instead of the report (reliability suite, tamper kind)
      checks.check(false, what, "the stored zip is damaged (" + e.getMessage() + ")");
      return false;
    }
    boolean same = digesting.hash().equals(zip.hash()) && digesting.count() == bundle.zipSize();
    checks.check(
        same,
        what,
        "the stored zip has hash " + digesting.hash() + " and " + digesting.count() + " bytes");
    return true;
  }

  private static void checkEntries(BundleRecord bundle, Path staging, Checks checks) {
    Map<String, BundleZipWriter.WrittenEntry> inZip = new HashMap<>();
    try {
      for (BundleZipWriter.WrittenEntry e : BundleZipReader.entries(staging)) {
        inZip.put(e.name(), e);
      }
    } catch (IOException e) {
      checks.check(false, "zip is readable", e.getMessage());
      return;
    }
    for (BundleEntry expected : bundle.entries()) {
      BundleZipWriter.WrittenEntry actual = inZip.remove(expected.name());
      String what = "entry " + expected.name() + " matches " + expected.hash();
      if (actual == null) {
        checks.check(false, what, "the zip has no such entry");
      } else {
        checks.check(
            actual.hash().equals(expected.hash()) && actual.size() == expected.size(),
            what,
            "the zip holds " + actual.hash() + " (" + actual.size() + " bytes)");
      }
    }
    checks.check(
        inZip.isEmpty(), "zip holds no unrecorded entry", "unrecorded entries " + inZip.keySet());
  }

  /** Each entry equals the validated artifact version the manifest indexes. */
  private void checkSources(BundleRecord bundle, Checks checks) {
    for (BundleEntry entry : bundle.entries()) {
      ArtifactVersion source = entry.source();
      if (source == null) {
        continue;
      }
      String what =
          "entry " + entry.name() + " equals indexed " + source.path() + "@" + source.generation();
      Optional<ArtifactRecord> indexed = manifest.findArtifact(source.path(), source.generation());
      checks.check(
          indexed.isPresent()
              && indexed.get().info().hash().equals(entry.hash())
              && source.hash().equals(entry.hash()),
          what,
          indexed
              .map(r -> "the manifest indexes " + r.info().hash())
              .orElse("the manifest no longer indexes that version"));
    }
  }

  /**
   * The signature verifies with one of the deployment's keys (the signing key or a retired one);
   * the signed statement is an in-toto Statement whose subjects are exactly the recorded zip and
   * entries; the stored envelope is byte for byte the one made from the record with that key's id.
   */
  private void checkAttestation(BundleRecord bundle, Checks checks) {
    byte[] signed = BundleAttestation.signedBytes(bundle.attestation());
    PublicKey signedBy =
        signer.verificationKeys().stream()
            .filter(key -> BundleSigner.verify(key, signed, bundle.signature()))
            .findFirst()
            .orElse(null);
    checks.check(
        signedBy != null,
        "attestation signature (DSSE, Ed25519) verifies with a deployment key"
            + (signedBy == null ? "" : " (keyid " + BundleSigner.keyId(signedBy) + ")"),
        "no key of this deployment verifies it (tampered statement, or signed with a key that is"
            + " neither signing.keyFile nor in signing.trustedPublicKeys)");
    String statement = bundle.attestation();
    checks.check(
        statement.startsWith(BundleAttestation.head())
            && statement.contains(
                "\"predicateType\":" + CanonicalJson.write(BundleAttestation.PREDICATE_TYPE))
            && statement.contains("\"runId\":" + CanonicalJson.write(bundle.runId().toString()))
            && statement.endsWith(
                BundleAttestation.subjectsTail(bundle.zip().hash(), bundle.entries())),
        "attestation is an in-toto statement of the recorded run whose subjects are the recorded"
            + " zip and entries",
        "the statement does not state what the bundle record holds");
    LogicalPath path = BundlePlanner.attestationPath(bundle.runId());
    String stored = readSmall(path);
    String what = "stored attestation " + path + " is the recorded DSSE envelope";
    if (signedBy == null) {
      checks.check(false, what, "cannot be checked: no deployment key verifies the signature");
      return;
    }
    String expected =
        new String(
            BundleAttestation.storedEnvelope(
                statement, BundleSigner.keyId(signedBy), bundle.signature()),
            UTF_8);
    checks.check(
        expected.equals(stored),
        what,
        stored == null ? "it is missing" : "it differs from the recorded attestation");
  }

  @Override
  public byte[] attestation(RunId runId) {
    lookups.requireRun(runId);
    if (manifest.findBundle(runId).isEmpty()) {
      throw new NotFoundException("run " + runId + " has no bundle");
    }
    LogicalPath path = BundlePlanner.attestationPath(runId);
    try (ArtifactContent content = store.open(ReadRequest.latest(path))) {
      if (content.length() > MAX_ATTESTATION_BYTES) {
        throw new IntegrityException(path, "is larger than any attestation this store writes");
      }
      return content.stream().readAllBytes();
    } catch (NotFoundException e) {
      throw new NotFoundException(
          "the attestation of run " + runId + " is missing from the artifact store");
    } catch (IOException e) {
      throw new BackendUnavailableException("artifacts", "reading " + path + " failed", e);
    }
  }

  @Override
  public List<SigningKey> signingKeys() {
    return signer.verificationKeys().stream()
        .map(key -> new SigningKey(BundleSigner.keyId(key), BundleSigner.publicKeyPem(key)))
        .toList();
  }

  private String readSmall(LogicalPath path) {
    try (ArtifactContent content = store.open(ReadRequest.latest(path))) {
      if (content.length() > MAX_ATTESTATION_BYTES) {
        return "";
      }
      return new String(content.stream().readAllBytes(), UTF_8);
    } catch (NotFoundException e) {
      return null;
    } catch (IntegrityException e) {
      return "";
    } catch (IOException e) {
      throw new BackendUnavailableException("artifacts", "reading " + path + " failed", e);
    }
  }
}
