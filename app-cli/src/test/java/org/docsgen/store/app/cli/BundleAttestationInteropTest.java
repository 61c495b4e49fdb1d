package org.docsgen.store.app.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.docsgen.store.app.http.json.Json;
import org.docsgen.store.ports.bundle.BundleSigner;
import org.docsgen.store.ports.bundle.Dsse;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle made by the real CLI verifies offline with our {@code verify --offline} and with an
 * independent verifier (app-cli/src/test/python/dsse_verify.py under the system's /usr/bin/python3
 * with Debian's python3-cryptography), and both refuse every tampering: another key, a flipped
 * payload byte, a swapped zip entry, an extra subject, a wrong keyid, a second signature by an
 * untrusted key. With CI=true a missing python3 or module fails the test.
 */
class BundleAttestationInteropTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Path SCRIPT = Path.of("src/test/python/dsse_verify.py");

  @TempDir static Path dir;
  private static CliRunner cli;
  private static String run;
  private static Path zip;
  private static Path envelope;
  private static Path pem;
  private static Path files;

  @BeforeAll
  static void makeABundle() throws IOException {
    Path work = Files.createDirectories(dir.resolve("store"));
    cli = new CliRunner(work);
    var created = cli.run("run", "create", "--core-files", "docsgen.md,api.md", "--actor", "alice");
    assertThat(created.code()).as(created.toString()).isZero();
    run = created.out().strip();
    Files.writeString(work.resolve("docsgen.md"), "# DocsGen\n");
    Files.writeString(work.resolve("api.md"), "# API\n");
    expectOk(cli.run("put", "--start", run + "/phase1/docsgen.md", "docsgen.md"));
    expectOk(cli.run("put", run + "/phase1/api.md", "api.md"));
    expectOk(cli.run("exec", "finish", run, "phase1", "--status", "SUCCEEDED"));
    expectOk(cli.run("approve", run, "phase1", "--decision", "APPROVED", "--comment", "ok"));
    expectOk(cli.run("exec", "start", run, "final"));
    expectOk(cli.run("exec", "finish", run, "final", "--status", "SUCCEEDED"));
    expectOk(cli.run("bundle", run));
    files = Files.createDirectories(dir.resolve("files"));
    zip = files.resolve("bundle.zip");
    envelope = files.resolve("bundle.intoto.jsonl");
    pem = files.resolve("docsgen.pem");
    expectOk(cli.run("get", run + "/final/docsgen-documentation-bundle.zip", "-o", zip.toString()));
    expectOk(
        cli.run(
            "get",
            run + "/final/docsgen-documentation-bundle.intoto.jsonl",
            "-o",
            envelope.toString()));
    var keys = cli.run("keys");
    expectOk(keys);
    Files.write(pem, keys.stdout());
  }

  private static void expectOk(CliRunner.Result result) {
    assertThat(result.code()).as(result.toString()).isZero();
  }

  // ---- the real bundle

  @Test
  void theRealBundleVerifiesOfflineInAnEmptyDirectoryWithoutCreatingAnything() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    CliRunner offline = new CliRunner(empty);

    var result =
        offline.run(
            "verify",
            "--offline",
            zip.toString(),
            "--attestation",
            envelope.toString(),
            "--public-key",
            pem.toString());

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.out())
        .startsWith("VALID bundle of " + run)
        .contains("OK entry api.md")
        .contains("OK entry docsgen.md")
        .contains("api.md  from " + run + "/phase1/api.md@1")
        .contains("final validation: final@1 SUCCEEDED")
        .contains("phase1 APPROVED by");
    try (Stream<Path> left = Files.list(empty)) {
      assertThat(left).as("verify --offline wrote nothing").isEmpty();
    }
    var json =
        offline.run(
            "verify",
            "--offline",
            zip.toString(),
            "--attestation",
            envelope.toString(),
            "--public-key",
            pem.toString(),
            "--json");
    assertThat(json.code()).as(json.toString()).isZero();
    JsonNode proved = Json.mapper().readTree(json.stdout());
    assertThat(proved.path("valid").asBoolean()).isTrue();
    assertThat(proved.path("runId").asText()).isEqualTo(run);
    assertThat(proved.path("entries")).hasSize(2);
    assertThat(proved.path("approvals").get(0).path("stage").asText()).isEqualTo("phase1");
    assertThat(python(zip, envelope, pem)).as(lastPython).isZero();
  }

  @Test
  void theStoredEnvelopeHasNoKeyAndTheKeyIdOfThePublishedKey() throws IOException {
    JsonNode dsse = Json.mapper().readTree(envelope.toFile());
    assertThat(Files.readString(envelope)).doesNotContain("BEGIN").endsWith("}\n");
    assertThat(dsse.path("signatures").get(0).path("keyid").asText())
        .isEqualTo(BundleSigner.keyId(BundleSigner.publicKeyFromPem(Files.readString(pem))));
  }

  // ---- negative cases, each in both verifiers

  @Test
  void anotherKeyIsRefused() throws IOException {
    Path other = write("other.pem", BundleSigner.publicKeyPem(BundleSigner.generate().getPublic()));
    expectMismatch(zip, envelope, other, "no signature by the given key verifies");
  }

  @Test
  void aFlippedPayloadByteIsRefused() throws IOException {
    byte[] payload = payload(envelope);
    payload[payload.length / 2] ^= 0x01;
    Path flipped = write("flipped.json", withPayload(envelope, payload));
    expectMismatch(zip, flipped, pem, "no signature by the given key verifies");
  }

  @Test
  void aSwappedZipEntryIsRefused() throws IOException {
    Path swapped = files.resolve("swapped.zip");
    rewriteZip(zip, swapped, "api.md", "# API, replaced\n".getBytes(UTF_8));
    expectMismatch(swapped, envelope, pem, "entry api.md");
  }

  @Test
  void anExtraSubjectIsRefusedEvenWhenSignedByTheTrustedKey() throws IOException {
    KeyPair trusted = BundleSigner.generate();
    Path trustedPem = write("trusted.pem", BundleSigner.publicKeyPem(trusted.getPublic()));
    ObjectNode statement = (ObjectNode) Json.mapper().readTree(payload(envelope));
    // control: the same statement re-signed by the test key verifies in both
    Path resigned =
        write("resigned.json", signed(Json.mapper().writeValueAsBytes(statement), trusted));
    assertThat(ourVerifier(zip, resigned, trustedPem).code()).isZero();
    assertThat(python(zip, resigned, trustedPem)).as(lastPython).isZero();

    ((ArrayNode) statement.path("subject"))
        .addObject()
        .put("name", "extra.md")
        .putObject("digest")
        .put("sha256", "0".repeat(64));
    Path extra = write("extra.json", signed(Json.mapper().writeValueAsBytes(statement), trusted));
    expectMismatch(zip, extra, trustedPem, "subject extra.md");
  }

  @Test
  void aWrongKeyIdIsRefused() throws IOException {
    ObjectNode dsse = (ObjectNode) Json.mapper().readTree(envelope.toFile());
    ((ObjectNode) dsse.path("signatures").get(0)).put("keyid", "ab".repeat(32));
    Path wrong = write("wrong-keyid.json", Json.mapper().writeValueAsString(dsse));
    expectMismatch(zip, wrong, pem, "no signature by the given key verifies");
  }

  @Test
  void aSecondSignatureByAnUntrustedKeyNeitherRescuesABadEnvelopeNorBreaksAGoodOne()
      throws IOException {
    KeyPair attacker = BundleSigner.generate();
    String attackerId = BundleSigner.keyId(attacker.getPublic());
    ObjectNode good = (ObjectNode) Json.mapper().readTree(envelope.toFile());

    // a good envelope plus an untrusted signature still verifies
    ObjectNode plus = good.deepCopy();
    addSignature(plus, attackerId, attacker, payload(envelope));
    Path goodPlus = write("good-plus.json", Json.mapper().writeValueAsString(plus));
    assertThat(ourVerifier(zip, goodPlus, pem).code()).isZero();
    assertThat(python(zip, goodPlus, pem)).as(lastPython).isZero();

    // a tampered payload, the original (now broken) signature and a valid one by the attacker,
    // under the attacker's keyid or claiming the trusted key's keyid: refused
    byte[] tampered = payload(envelope);
    tampered[tampered.length / 3] ^= 0x01;
    String trustedId = good.path("signatures").get(0).path("keyid").asText();
    for (String claimed : List.of(attackerId, trustedId)) {
      ObjectNode bad = good.deepCopy();
      bad.put("payload", Base64.getEncoder().encodeToString(tampered));
      addSignature(bad, claimed, attacker, tampered);
      Path badPlus =
          write(
              "bad-plus-" + claimed.substring(0, 6) + ".json",
              Json.mapper().writeValueAsString(bad));
      expectMismatch(zip, badPlus, pem, "no signature by the given key verifies");
    }
  }

  @Test
  void unreadableInputIsExit2InBoth() throws IOException {
    Path missing = files.resolve("missing.json");
    Path garbage = write("garbage.json", "not json at all");
    Path notZip = write("not.zip", "PK? no");
    record Case(Path zip, Path dsse, Path key, String named) {}
    for (Case c :
        List.of(
            new Case(zip, missing, pem, "missing.json"),
            new Case(zip, garbage, pem, "garbage.json"),
            new Case(notZip, envelope, pem, "not.zip"),
            new Case(zip, envelope, garbage, "garbage.json"))) {
      CliRunner.Result ours = ourVerifier(c.zip(), c.dsse(), c.key());
      assertThat(ours.code()).as(ours.toString()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(ours.err()).as(ours.toString()).contains(c.named());
      assertThat(python(c.zip(), c.dsse(), c.key())).as(lastPython).isEqualTo(2);
    }
  }

  @Test
  void aBundleMadeByTheServerVerifiesOfflineWithBothVerifiers() throws Exception {
    Path home = Files.createDirectories(dir.resolve("server"));
    Path data = home.resolve("docsgen-data");
    Path config =
        Files.writeString(
            home.resolve("docsgen.yaml"),
            ServerProcess.config(
                data.resolve("artifacts"),
                data.resolve("manifest.db"),
                data.resolve("bundle-signing.key")));
    Path fromServer = Files.createDirectories(dir.resolve("from-server"));
    Path serverZip = fromServer.resolve("bundle.zip");
    Path serverEnvelope = fromServer.resolve("bundle.intoto.jsonl");
    Path serverPem = fromServer.resolve("signing-key.pem");
    try (ServerProcess server = ServerProcess.launch(config, home, "bundle").awaitStarted()) {
      String runId = server.createRun();
      server.startExecution(runId, "phase1");
      ServerProcess.expect(
          server.put(runId + "/phase1/docsgen.md", "# DocsGen\n".getBytes(UTF_8)), 201);
      String stages = "/api/runs/" + runId + "/stages/";
      ServerProcess.expect(
          server.postJson(
              stages + "phase1/executions/1/finish",
              ServerProcess.WRITER,
              Map.of("status", "SUCCEEDED")),
          200);
      server.startExecution(runId, "final");
      ServerProcess.expect(
          server.postJson(
              stages + "final/executions/1/finish",
              ServerProcess.WRITER,
              Map.of("status", "SUCCEEDED")),
          200);
      ServerProcess.expect(
          server.postJson("/api/runs/" + runId + "/bundle", ServerProcess.WRITER, null), 201);
      Files.write(
          serverZip,
          ServerProcess.expect(
                  server.send(
                      "GET",
                      "/api/artifacts/" + runId + "/final/docsgen-documentation-bundle.zip",
                      ServerProcess.READER,
                      null),
                  200)
              .body());
      Files.write(
          serverEnvelope,
          ServerProcess.expect(
                  server.send(
                      "GET",
                      "/api/runs/" + runId + "/bundle/attestation",
                      ServerProcess.READER,
                      null),
                  200)
              .body());
      Files.writeString(
          serverPem,
          ServerProcess.expect(
                  server.send("GET", "/api/signing-keys", ServerProcess.READER, null), 200)
              .json()
              .path("items")
              .path(0)
              .path("publicKeyPem")
              .asText());
    }

    CliRunner.Result ours = ourVerifier(serverZip, serverEnvelope, serverPem);
    assertThat(ours.code()).as(ours.toString()).isZero();
    assertThat(ours.out()).as(ours.toString()).startsWith("VALID bundle of run_");
    assertThat(python(serverZip, serverEnvelope, serverPem)).as(lastPython).isZero();
    // and the server's bundle with another deployment's key is refused by both
    expectMismatch(serverZip, serverEnvelope, pem, "no signature by the given key verifies");
  }

  // ---- helpers

  private static void expectMismatch(Path zipFile, Path dsse, Path key, String named)
      throws IOException {
    CliRunner.Result ours = ourVerifier(zipFile, dsse, key);
    assertThat(ours.code()).as(ours.toString()).isEqualTo(ExitCodes.INTEGRITY);
    assertThat(ours.out()).as(ours.toString()).startsWith("INVALID");
    assertThat(ours.out().lines().filter(line -> line.strip().startsWith("FAIL ")))
        .as(ours.toString())
        .anyMatch(line -> line.contains(named));
    assertThat(ours.err()).contains("does not verify");
    assertThat(python(zipFile, dsse, key)).as(lastPython).isEqualTo(4);
    assertThat(lastPython).contains("FAIL");
  }

  private static CliRunner.Result ourVerifier(Path zipFile, Path dsse, Path key) {
    return new CliRunner(files)
        .run(
            "verify",
            "--offline",
            zipFile.toString(),
            "--attestation",
            dsse.toString(),
            "--public-key",
            key.toString());
  }

  private static String lastPython = "";

  /** Runs the independent verifier; its exit code (its output kept in {@link #lastPython}). */
  private static int python(Path zipFile, Path dsse, Path key) throws IOException {
    requirePython();
    Process process =
        new ProcessBuilder(
                PYTHON.toString(),
                SCRIPT.toAbsolutePath().toString(),
                zipFile.toString(),
                dsse.toString(),
                key.toString())
            .redirectErrorStream(true)
            .start();
    byte[] output = process.getInputStream().readAllBytes();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("dsse_verify.py did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    lastPython = new String(output, UTF_8);
    return process.exitValue();
  }

  private static void requirePython() throws IOException {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    String missing = null;
    if (!Files.isExecutable(PYTHON)) {
      missing = PYTHON + " is missing";
    } else {
      try {
        Process probe =
            new ProcessBuilder(PYTHON.toString(), "-c", "import cryptography")
                .redirectErrorStream(true)
                .start();
        probe.getInputStream().readAllBytes();
        if (probe.waitFor() != 0) {
          missing = "python3-cryptography is missing (apt-get install -y python3-cryptography)";
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    if (missing != null) {
      if (ci) {
        fail("the independent verifier cannot run: " + missing);
      }
      Assumptions.abort("the independent verifier cannot run: " + missing);
    }
  }

  private static byte[] payload(Path dsse) throws IOException {
    return Base64.getDecoder()
        .decode(Json.mapper().readTree(dsse.toFile()).path("payload").asText());
  }

  private static String withPayload(Path dsse, byte[] payload) throws IOException {
    ObjectNode node = (ObjectNode) Json.mapper().readTree(dsse.toFile());
    node.put("payload", Base64.getEncoder().encodeToString(payload));
    return Json.mapper().writeValueAsString(node);
  }

  private static String signed(byte[] statement, KeyPair key) {
    String sig = new BundleSigner(key).sign(Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, statement));
    return Dsse.envelope(
        Dsse.IN_TOTO_PAYLOAD_TYPE, statement, BundleSigner.keyId(key.getPublic()), sig);
  }

  private static void addSignature(ObjectNode dsse, String keyId, KeyPair key, byte[] payload) {
    String sig = new BundleSigner(key).sign(Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, payload));
    ((ArrayNode) dsse.path("signatures")).addObject().put("keyid", keyId).put("sig", sig);
  }

  private static Path write(String name, String text) throws IOException {
    return Files.writeString(files.resolve(name), text);
  }

  private static void rewriteZip(Path from, Path to, String replace, byte[] content)
      throws IOException {
    List<String> seen = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(from);
        ZipInputStream in = new ZipInputStream(raw);
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        seen.add(entry.getName());
        out.putNextEntry(new ZipEntry(entry.getName()));
        out.write(entry.getName().equals(replace) ? content : in.readAllBytes());
        out.closeEntry();
      }
    }
    assertThat(seen).contains(replace);
  }
}
