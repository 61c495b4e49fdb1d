package org.docsgen.store.ports.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactVersion;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.bundle.BundleEntry;
import org.docsgen.store.domain.bundle.BundlePlanner;
import org.docsgen.store.domain.bundle.BundleRecord;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.bundle.BundleSigner;
import org.docsgen.store.ports.bundle.BundleZipReader;
import org.docsgen.store.ports.bundle.BundleZipWriter;
import org.docsgen.store.ports.bundle.InTotoStatement;
import org.docsgen.store.ports.bundle.JsonParser;
import org.docsgen.store.ports.bundle.VerificationChecks;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.in.BundleUseCases.BundleVerification;
import org.docsgen.store.ports.in.BundleUseCases.SigningKey;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ArtifactRecord;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.out.ReadRequest;
import org.docsgen.store.ports.stream.DigestingInputStream;

/**
 * Proves a run's bundle by re-reading the stored zip, its sources and its attestation, and hands
 * out what an offline verifier needs: the stored attestation and the deployment's public keys.
 */
final class BundleVerifier {
  private static final long MAX_ATTESTATION_BYTES = 16L * 1024 * 1024;

  private final ArtifactStore store;
  private final ManifestStore manifest;
  private final BundleSigner signer;
  private final JsonParser json;
  private final Lookups lookups;

  BundleVerifier(
      ArtifactStore store,
      ManifestStore manifest,
      BundleSigner signer,
      JsonParser json,
      Lookups lookups) {
    this.store = store;
    this.manifest = manifest;
    this.signer = signer;
    this.json = requireNonNull(json, "json is null");
    this.lookups = lookups;
  }

  BundleVerification verify(RunId runId) {
    BundleRecord bundle = requireBundle(runId);
    VerificationChecks checks = new VerificationChecks();
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
    return new BundleVerification(runId, checks.valid(), checks.lines(), bundle);
  }

  byte[] attestation(RunId runId) {
    requireBundle(runId);
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

  List<SigningKey> signingKeys() {
    return signer.verificationKeys().stream()
        .map(key -> new SigningKey(BundleSigner.keyId(key), BundleSigner.publicKeyPem(key)))
        .toList();
  }

  private BundleRecord requireBundle(RunId runId) {
    lookups.requireRun(runId);
    return manifest
        .findBundle(runId)
        .orElseThrow(() -> new NotFoundException("run " + runId + " has no bundle"));
  }

  /**
   * Copies the stored zip to {@code staging}, checking its hash and size; false when unreadable.
   */
  private boolean copyZip(BundleRecord bundle, Path staging, VerificationChecks checks)
      throws IOException {
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

  private static void checkEntries(BundleRecord bundle, Path staging, VerificationChecks checks) {
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
  private void checkSources(BundleRecord bundle, VerificationChecks checks) {
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
   * the signed statement, read as JSON, is an in-toto Statement of our predicate type whose {@code
   * predicate.runId} is the bundle's run and whose subjects are exactly the recorded zip and
   * entries (in order); the stored envelope is byte for byte the one made from the record with that
   * key's id.
   */
  private void checkAttestation(BundleRecord bundle, VerificationChecks checks) {
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
        statesTheRecord(statement, bundle),
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

  private boolean statesTheRecord(String statement, BundleRecord bundle) {
    InTotoStatement parsed = InTotoStatement.parse(json, statement);
    return parsed != null
        && InTotoStatement.STATEMENT_TYPE.equals(parsed.type())
        && InTotoStatement.PREDICATE_TYPE.equals(parsed.predicateType())
        && bundle.runId().toString().equals(parsed.runId())
        && BundleAttestation.subjects(bundle.zip().hash(), bundle.entries())
            .equals(parsed.subjects());
  }

  /** The stored text; null when missing, empty when unreadable or too large. */
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

  private static void deleteQuietly(Path path) {
    if (path != null) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException ignored) {
        // a leftover temporary file is harmless
      }
    }
  }
}
