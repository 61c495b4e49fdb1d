package org.docsgen.store.ports.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.docsgen.store.domain.approval.ApprovalDecision;
import org.docsgen.store.domain.approval.ApprovalEvent;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ArtifactVersion;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.artifact.MediaTypes;
import org.docsgen.store.domain.bundle.BundleEntry;
import org.docsgen.store.domain.bundle.BundlePlanner;
import org.docsgen.store.domain.bundle.BundleRecord;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.issue.IssueLocation;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.RunStatus;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.bundle.BundleSigner;
import org.docsgen.store.ports.bundle.BundleZipReader;
import org.docsgen.store.ports.bundle.BundleZipWriter.WrittenEntry;
import org.docsgen.store.ports.bundle.CanonicalJson;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.GateNotPassedException;
import org.docsgen.store.ports.error.ImmutableException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.error.RefusedException;
import org.docsgen.store.ports.in.BundleUseCases;
import org.docsgen.store.ports.in.BundleUseCases.BundleVerification;
import org.docsgen.store.ports.in.IssueUseCases.NewIssue;
import org.docsgen.store.ports.out.ReadRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleServiceTest extends ServiceFixture {
  RunId run;
  ArtifactInfo docsgen;
  ArtifactInfo api;
  PhaseExecution finalExec;

  /** A bundle record for tests that only need a run to be bundled. */
  static BundleRecord fakeBundle(RunId run, ExecutionRef finalExecution) {
    ContentHash h = ContentHash.sha256("zip".getBytes(UTF_8));
    return new BundleRecord(
        run,
        new ArtifactVersion(BundlePlanner.bundlePath(run), 1, h),
        3,
        List.of(),
        finalExecution,
        "bundler",
        java.time.Instant.parse("2026-11-28T12:00:00Z"),
        "{}",
        "sig");
  }

  @BeforeEach
  void setUp() {
    Run r = services.createRun("alice", List.of("docsgen.md", "api.md"), true);
    run = r.runId();
    PhaseExecution draft = start(run, Stage.phase(1));
    write(path(run, Stage.phase(1), "docsgen.md"), "# DocsGen v1\n");
    api = write(path(run, Stage.phase(1), "api.md"), "# API\n").info();
    write(
        new org.docsgen.store.ports.in.ArtifactUseCases.WriteCommand(
            path(run, Stage.phase(1), "report.json"),
            ArtifactType.VALIDATION_REPORT,
            "application/json",
            "v",
            false,
            null,
            0),
        "{}");
    finish(draft, ExecutionStatus.SUCCEEDED);
    finalExec = start(run, Stage.FINAL);
    docsgen = write(path(run, Stage.FINAL, "docsgen.md"), "# DocsGen final\n").info();
  }

  private void passFinalGate() {
    finalExec = finish(finalExec, ExecutionStatus.SUCCEEDED);
  }

  private Path storedZip(Path dir) throws IOException {
    Path zip = dir.resolve("bundle.zip");
    try (var content = store.open(ReadRequest.latest(BundlePlanner.bundlePath(run)))) {
      Files.copy(content.stream(), zip);
    }
    return zip;
  }

  @Test
  void aBundleHoldsTheNewestValidatedCoreFilesAndAReadme(@TempDir Path tmp) throws IOException {
    passFinalGate();
    services.decide(run, Stage.FINAL, ApprovalDecision.APPROVED, "go", "boss");

    BundleRecord bundle = services.createBundle(run, "release-bot");

    assertThat(bundle.entries())
        .extracting(BundleEntry::name)
        .containsExactly("README.md", "api.md", "docsgen.md");
    Map<String, BundleEntry> byName = new TreeMap<>();
    bundle.entries().forEach(e -> byName.put(e.name(), e));
    assertThat(byName.get("docsgen.md").source()).isEqualTo(docsgen.version());
    assertThat(byName.get("api.md").source()).isEqualTo(api.version());
    assertThat(byName.get("README.md").source()).isNull();
    assertThat(bundle.finalExecution()).isEqualTo(finalExec.ref());
    assertThat(bundle.createdBy()).isEqualTo("release-bot");
    ArtifactInfo zip = store.stat(BundlePlanner.bundlePath(run)).orElseThrow();
    assertThat(zip.type()).isEqualTo(ArtifactType.BUNDLE);
    assertThat(zip.mediaType()).isEqualTo(MediaTypes.ZIP);
    assertThat(bundle.zip()).isEqualTo(zip.version());
    assertThat(manifest.findArtifact(zip.path()).orElseThrow().producedBy())
        .isEqualTo(finalExec.ref());
    assertThat(services.getRun(run).status()).isEqualTo(RunStatus.BUNDLED);
    assertThat(manifest.findBundle(run)).contains(bundle);
    List<WrittenEntry> entries = BundleZipReader.entries(storedZip(tmp));
    assertThat(entries)
        .extracting(WrittenEntry::name)
        .containsExactly("README.md", "api.md", "docsgen.md");
    assertThat(entries.get(2).hash()).isEqualTo(docsgen.hash());
  }

  @Test
  void theAttestationIsAnInTotoStatementInADsseEnvelopeWithoutTheKey() {
    passFinalGate();
    ApprovalEvent approval =
        services.decide(run, Stage.FINAL, ApprovalDecision.APPROVED, "go", "boss");

    BundleRecord bundle = services.createBundle(run, "release-bot");

    String stored = store.readText(BundlePlanner.attestationPath(run));
    assertThat(stored).endsWith("}\n").hasLineCount(1);
    assertThat(stored)
        .startsWith("{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"");
    assertThat(stored).doesNotContain("publicKey").doesNotContain("BEGIN");
    assertThat(new String(services.attestation(run), StandardCharsets.UTF_8)).isEqualTo(stored);
    String statement =
        new String(
            java.util.Base64.getDecoder().decode(JsonStrings.field(stored, "payload")),
            StandardCharsets.UTF_8);
    String signature = JsonStrings.field(stored, "sig");
    assertThat(JsonStrings.field(stored, "keyid"))
        .isEqualTo(sha256Hex(signer.publicKey().getEncoded()));
    assertThat(statement).isEqualTo(bundle.attestation());
    assertThat(signature).isEqualTo(bundle.signature());
    byte[] pae =
        ("DSSEv1 28 application/vnd.in-toto+json "
                + statement.getBytes(StandardCharsets.UTF_8).length
                + " "
                + statement)
            .getBytes(StandardCharsets.UTF_8);
    assertThat(BundleSigner.verify(signer.publicKey(), pae, signature)).isTrue();
    assertThat(BundleSigner.verify(BundleSigner.generate().getPublic(), pae, signature)).isFalse();
    assertThat(statement)
        .startsWith("{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicate\":{")
        .contains("\"predicateType\":\"urn:docsgen:bundle-attestation:v1\"")
        .contains("\"runId\":\"" + run + "\"")
        .contains(
            "\"subject\":[{\"digest\":{\"sha256\":\""
                + bundle.zip().hash().hex()
                + "\"},\"name\":\"docsgen-documentation-bundle.zip\"},")
        .contains(
            "{\"digest\":{\"sha256\":\"" + docsgen.hash().hex() + "\"},\"name\":\"docsgen.md\"}")
        .contains(
            "\"source\":{\"generation\":"
                + docsgen.generation()
                + ",\"path\":\""
                + docsgen.path()
                + "\"}")
        .contains("\"contentDigest\":\"" + approval.contentDigest() + "\"")
        .contains("\"finalExecution\":{\"attempt\":1,")
        .doesNotContain("\n");
    assertThat(store.stat(BundlePlanner.attestationPath(run)).orElseThrow().type())
        .isEqualTo(ArtifactType.OTHER);
  }

  @Test
  void aRotatedKeyStillVerifiesTheBundlesItSignedWhenTrusted() {
    passFinalGate();
    services.createBundle(run, "bot");
    BundleSigner rotated = new BundleSigner(BundleSigner.generate(), List.of(signer.publicKey()));
    DocsGenServices afterRotation =
        new DocsGenServices(store, manifest, tokens, rotated, json, clock);

    BundleVerification verification = afterRotation.verify(run);

    assertThat(verification.valid()).as("%s", verification.problems()).isTrue();
    assertThat(afterRotation.signingKeys())
        .extracting(BundleUseCases.SigningKey::keyId)
        .containsExactly(rotated.keyId(), signer.keyId());
  }

  @Test
  void verifyFindsAStoredEnvelopeThatDiffersFromTheRecord() {
    passFinalGate();
    services.createBundle(run, "bot");
    store.tamper(BundlePlanner.attestationPath(run), 1);

    BundleVerification verification = services.verify(run);

    assertThat(verification.valid()).isFalse();
    assertThat(verification.problems())
        .filteredOn(l -> l.startsWith("FAIL"))
        .anyMatch(l -> l.contains("stored attestation"));
  }

  private static final String STATEMENT_CHECK =
      "attestation is an in-toto statement of the recorded run whose subjects are the recorded"
          + " zip and entries";

  /**
   * The recorded bundle with its statement's predicate edited by {@code edit} and signed again with
   * the deployment key, so only the statement check can tell.
   */
  private BundleRecord resigned(BundleRecord bundle, Consumer<Map<String, Object>> edit)
      throws IOException {
    Map<String, Object> statement =
        new ObjectMapper().readValue(bundle.attestation(), new TypeReference<>() {});
    @SuppressWarnings("unchecked")
    Map<String, Object> predicate = (Map<String, Object>) statement.get("predicate");
    edit.accept(predicate);
    String text = CanonicalJson.write(statement);
    return new BundleRecord(
        bundle.runId(),
        bundle.zip(),
        bundle.zipSize(),
        bundle.entries(),
        bundle.finalExecution(),
        bundle.createdBy(),
        bundle.createdAt(),
        text,
        signer.sign(BundleAttestation.signedBytes(text)));
  }

  @Test
  void verifyReadsTheStatementsRunIdFieldNotTheRunIdsWhereaboutsInItsText() throws IOException {
    passFinalGate();
    BundleRecord bundle = services.createBundle(run, "bot");
    String other = newRun("x.md").runId().toString();

    manifest.replaceBundle(resigned(bundle, p -> p.put("note", Map.of("runId", other))));
    assertThat(services.verify(run).problems())
        .as("the right runId field, another run named elsewhere")
        .contains("OK " + STATEMENT_CHECK);

    manifest.replaceBundle(
        resigned(
            bundle,
            p -> {
              p.put("runId", other);
              p.put("note", Map.of("runId", run.toString()));
            }));
    BundleVerification verification = services.verify(run);
    assertThat(verification.valid()).isFalse();
    assertThat(verification.problems())
        .as("the runId field names another run, this run named elsewhere")
        .contains(
            "FAIL "
                + STATEMENT_CHECK
                + ": the statement does not state what the bundle record holds")
        .contains(
            "OK attestation signature (DSSE, Ed25519) verifies with a deployment key (keyid "
                + signer.keyId()
                + ")");
  }

  @Test
  void theAttestationOfARunWithoutBundleIsNotFound() {
    assertThatThrownBy(() -> services.attestation(run))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("has no bundle");
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void verifyProvesAnIntactBundle() {
    passFinalGate();
    services.createBundle(run, "bot");

    BundleVerification verification = services.verify(run);

    assertThat(verification.valid()).isTrue();
    assertThat(verification.problems()).allMatch(line -> line.startsWith("OK "));
    assertThat(verification.problems()).hasSizeGreaterThanOrEqualTo(3 + 2 + 4);
  }

  @Test
  void verifyFindsATamperedZip() {
    passFinalGate();
    services.createBundle(run, "bot");
    store.tamper(BundlePlanner.bundlePath(run), 1);

    BundleVerification verification = services.verify(run);

    assertThat(verification.valid()).isFalse();
    assertThat(verification.problems().get(0)).startsWith("FAIL zip");
  }

  @Test
  void verifyWithAnotherKeyFailsTheSignatureCheck() {
    passFinalGate();
    services.createBundle(run, "bot");
    DocsGenServices otherKey =
        new DocsGenServices(
            store, manifest, tokens, new BundleSigner(BundleSigner.generate()), json, clock);

    BundleVerification verification = otherKey.verify(run);

    assertThat(verification.valid()).isFalse();
    assertThat(verification.problems())
        .filteredOn(l -> l.startsWith("FAIL"))
        .anyMatch(l -> l.contains("signature"));
  }

  @Test
  void verifyOfARunWithoutBundleIsNotFound() {
    assertThatThrownBy(() -> services.verify(run))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(run.toString());
  }

  @Test
  void aBundleBeforeTheFinalGatePassesIsRefused() {
    assertThatThrownBy(() -> services.createBundle(run, "bot"))
        .isInstanceOfSatisfying(
            GateNotPassedException.class,
            e -> {
              assertThat(e.failing()).singleElement().asString().contains("RUNNING");
              assertThat(e.missing()).isEmpty();
            });
    finish(finalExec, ExecutionStatus.FAILED);
    assertThatThrownBy(() -> services.createBundle(run, "bot"))
        .isInstanceOf(GateNotPassedException.class);
    assertThat(store.stat(BundlePlanner.bundlePath(run))).isEmpty();
  }

  @Test
  void anErrorIssueAgainstTheFinalAttemptFailsTheGate() {
    services.record(
        run,
        List.of(
            new NewIssue(
                Stage.FINAL,
                1,
                docsgen.path(),
                "E",
                Severity.ERROR,
                "broken",
                IssueLocation.none(),
                "v")),
        "v");
    passFinalGate();

    assertThatThrownBy(() -> services.createBundle(run, "bot"))
        .isInstanceOfSatisfying(
            GateNotPassedException.class,
            e -> assertThat(e.failing()).singleElement().asString().contains("ERROR"));
  }

  @Test
  void aMissingCoreFileIsNamed() {
    Run r = services.createRun("alice", List.of("docsgen.md", "missing-one.md", "zz.md"), false);
    finish(start(r.runId(), Stage.phase(1)), ExecutionStatus.SUCCEEDED);
    PhaseExecution fin = start(r.runId(), Stage.FINAL);
    write(path(r.runId(), Stage.FINAL, "docsgen.md"), "x");
    finish(fin, ExecutionStatus.SUCCEEDED);

    assertThatThrownBy(() -> services.createBundle(r.runId(), "bot"))
        .isInstanceOfSatisfying(
            GateNotPassedException.class,
            e -> {
              assertThat(e.missing()).containsExactly("missing-one.md", "zz.md");
              assertThat(e.failing()).isEmpty();
            })
        .hasMessageContaining("missing-one.md");
  }

  @Test
  void aSecondBundleIsRefusedAndTheRunIsFrozen() {
    passFinalGate();
    services.createBundle(run, "bot");

    assertThatThrownBy(() -> services.createBundle(run, "bot"))
        .isInstanceOfSatisfying(
            RefusedException.class, e -> assertThat(e.code()).isEqualTo("already-bundled"));
    assertThatThrownBy(() -> start(run, Stage.FINAL))
        .isInstanceOfSatisfying(
            RefusedException.class, e -> assertThat(e.code()).isEqualTo("run-bundled"));
  }

  @Test
  void writesToABundledRunAreRefusedByThePolicy() {
    passFinalGate();
    PhaseExecution running = start(run, Stage.phase(2));
    services.createBundle(run, "bot");
    LogicalPath late = path(run, Stage.phase(2), "late.md");

    assertThatThrownBy(() -> write(late, "late"))
        .isInstanceOfSatisfying(
            ImmutableException.class,
            e -> assertThat(e.layer()).isEqualTo(ImmutableException.Layer.POLICY))
        .hasMessageContaining("run-bundled");
    assertThat(running.isRunning()).isTrue();
  }

  @Test
  void aBundleInterruptedAfterTheZipWasStoredCanBeRetried() {
    passFinalGate();
    manifest.failNextRecordArtifact(new BackendUnavailableException("manifest", "down", null));
    assertThatThrownBy(() -> services.createBundle(run, "bot"))
        .isInstanceOf(BackendUnavailableException.class);
    ArtifactInfo firstZip = store.stat(BundlePlanner.bundlePath(run)).orElseThrow();
    clock.advance(java.time.Duration.ofMinutes(5));

    BundleRecord bundle = services.createBundle(run, "bot");

    assertThat(bundle.zip()).isEqualTo(firstZip.version());
    assertThat(store.stat(BundlePlanner.bundlePath(run), 2)).isEmpty();
    assertThat(services.verify(run).valid()).isTrue();
  }

  @Test
  void theZipIsTheSameForTheSameInputs() {
    passFinalGate();
    BundleRecord bundle = services.createBundle(run, "bot");
    // the same core versions zipped again elsewhere give the same bytes
    ArtifactInfo again =
        store.bundleZip(
            run, path(run, Stage.FINAL, "again.zip"), List.of(docsgen.path(), api.path()));

    assertThat(bundle.zip().hash()).isNotEqualTo(again.hash()); // the service's zip has a README
    ArtifactInfo twice =
        store.bundleZip(
            run, path(run, Stage.FINAL, "twice.zip"), List.of(api.path(), docsgen.path()));
    assertThat(twice.hash()).isEqualTo(again.hash());
  }

  /** Reads string fields of flat canonical JSON: enough to play an offline verifier. */
  static final class JsonStrings {
    static String field(String json, String name) {
      int at = json.indexOf("\"" + name + "\":\"");
      if (at < 0) {
        throw new AssertionError("no string field " + name);
      }
      StringBuilder out = new StringBuilder();
      for (int i = at + name.length() + 4; ; i++) {
        char c = json.charAt(i);
        if (c == '"') {
          return out.toString();
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = json.charAt(++i);
        switch (e) {
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'u' -> {
            out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
            i += 4;
          }
          default -> out.append(e);
        }
      }
    }
  }
}
