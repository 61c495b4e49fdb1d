package org.docsgen.store.app.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.docsgen.store.app.http.testing.TestServer.ADMIN;
import static org.docsgen.store.app.http.testing.TestServer.APPROVER;
import static org.docsgen.store.app.http.testing.TestServer.READER;
import static org.docsgen.store.app.http.testing.TestServer.WRITER;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.docsgen.store.app.http.json.Json;
import org.docsgen.store.app.http.testing.Api;
import org.docsgen.store.app.http.testing.Api.Response;
import org.docsgen.store.app.http.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core flow of the API — run, executions, streamed artifacts with their HTTP semantics,
 * overwrite tokens, issues, gate, approvals, bundle, verify, diff — and its main refusals, over a
 * real server. Subclasses supply the backends.
 */
abstract class CoreFlowContract {
  @TempDir Path dir;
  protected TestServer server;
  protected Api api;

  /** A started server over this class's backends, with the four role tokens. */
  protected abstract TestServer startServer(Path dir) throws Exception;

  @BeforeEach
  void startIt() throws Exception {
    server = startServer(dir);
    api = server.api();
  }

  @AfterEach
  void stopIt() {
    if (server != null) {
      server.close();
    }
  }

  private static String doc(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  @Test
  void aRunFromCreationToVerifiedBundle() throws Exception {
    String runId = api.createRun(WRITER, List.of("docsgen.md", "guide.md"), true);
    JsonNode run = api.get("/api/runs/" + runId, READER).json();
    assertThat(run.path("createdBy").asText()).isEqualTo("orchestrator");
    assertThat(run.path("status").asText()).isEqualTo("ACTIVE");
    assertThat(run.path("bundleReadme").asBoolean()).isTrue();
    assertThat(run.path("coreFiles").toString()).isEqualTo("[\"docsgen.md\",\"guide.md\"]");
    assertThat(fieldNames(run))
        .containsExactly("runId", "status", "createdBy", "createdAt", "coreFiles", "bundleReadme");

    // phase1, attempt 1
    assertThat(api.start(WRITER, runId, "phase1")).isEqualTo(1);
    String p1 = runId + "/phase1/docsgen.md";
    Response created =
        api.putText(WRITER, p1, "DOCUMENTATION", doc("# Title", "line two", "three"));
    assertThat(created.status()).isEqualTo(201);
    JsonNode info = created.json();
    assertThat(fieldNames(info)).containsExactlyElementsOf(Api.ARTIFACT_FIELDS);
    assertThat(info.path("createdBy").asText()).isEqualTo("orchestrator");
    assertThat(info.path("generation").asInt()).isEqualTo(1);
    assertThat(created.header("Location")).isEqualTo("/api/artifacts/" + p1 + "?generation=1");
    String etag = "\"" + info.path("hash").asText() + "\"";
    assertThat(created.header("ETag")).isEqualTo(etag);

    Response again = api.putText(WRITER, p1, "DOCUMENTATION", doc("# Title", "line two", "three"));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json()).isEqualTo(info);

    Response read = api.get("/api/artifacts/" + p1, READER);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.text()).isEqualTo(doc("# Title", "line two", "three"));
    assertThat(read.header("ETag")).isEqualTo(etag);
    assertThat(read.header("Content-Type")).startsWith("text/markdown");
    assertThat(api.get("/api/artifacts/" + p1, READER, "If-None-Match", etag).status())
        .isEqualTo(304);
    Response range = api.get("/api/artifacts/" + p1, READER, "Range", "bytes=2-6");
    assertThat(range.status()).isEqualTo(206);
    assertThat(range.text()).isEqualTo("Title");
    assertThat(range.header("Content-Range")).isEqualTo("bytes 2-6/" + info.path("size").asInt());
    Response lines = api.get("/api/artifacts/" + p1 + "?lines=2-9", READER);
    assertThat(lines.status()).isEqualTo(200);
    assertThat(lines.header("Content-Type").replace(" ", "")).isEqualTo("text/plain;charset=utf-8");
    assertThat(lines.text()).isEqualTo(doc("line two", "three"));
    Response head = api.head("/api/artifacts/" + p1, READER);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Content-Length")).isEqualTo(info.path("size").asText());
    assertThat(head.header("ETag")).isEqualTo(etag);
    assertThat(head.body()).isEmpty();

    // an issue against that version, and its deep link
    Response issues =
        api.post(
            "/api/runs/" + runId + "/issues",
            WRITER,
            Map.of(
                "issues",
                List.of(
                    Map.of(
                        "stage",
                        "phase1",
                        "attempt",
                        1,
                        "file",
                        p1,
                        "rule",
                        "heading-case",
                        "severity",
                        "ERROR",
                        "message",
                        "heading on line 2 is not title case",
                        "location",
                        Map.of("line", 2, "endLine", 3),
                        "validator",
                        "lint"))));
    assertThat(issues.status()).as(issues.toString()).isEqualTo(201);
    JsonNode issue = issues.json().path("items").get(0);
    assertThat(fieldNames(issue))
        .containsExactly(
            "id",
            "runId",
            "stage",
            "attempt",
            "file",
            "generation",
            "rule",
            "severity",
            "message",
            "location",
            "validator",
            "fingerprint",
            "link");
    assertThat(fieldNames(issue.path("location")))
        .containsExactly("line", "column", "endLine", "endColumn");
    assertThat(issue.path("link").asText())
        .isEqualTo("/api/artifacts/" + p1 + "?generation=1&lines=2-3");
    assertThat(api.get(issue.path("link").asText(), READER).text())
        .isEqualTo(doc("line two", "three"));
    JsonNode counts = api.get("/api/runs/" + runId + "/issues?groupBy=severity", READER).json();
    assertThat(counts.path("counts").path("ERROR").asLong()).isEqualTo(1);
    JsonNode found =
        api.get("/api/runs/" + runId + "/issues?severity=ERROR&file=" + p1, READER).json();
    assertThat(found.path("items")).hasSize(1);
    assertThat(found.has("nextCursor")).isTrue();

    JsonNode finished = api.finish(WRITER, runId, "phase1", 1, "SUCCEEDED");
    assertThat(fieldNames(finished))
        .containsExactly(
            "runId",
            "stage",
            "attempt",
            "status",
            "executor",
            "startedAt",
            "finishedAt",
            "error",
            "artifacts");
    assertThat(finished.path("artifacts")).hasSize(1);
    JsonNode details = api.get("/api/runs/" + runId + "/stages/phase1/executions/1", READER).json();
    assertThat(details.path("gate").path("passed").asBoolean()).isFalse();
    assertThat(details.path("issueCounts").path("ERROR").asLong()).isEqualTo(1);
    JsonNode gate = api.get("/api/runs/" + runId + "/stages/phase1/gate", READER).json();
    assertThat(gate.path("passed").asBoolean()).isFalse();
    assertThat(gate.path("evidence").get(0).path("producedBy").asText()).isEqualTo("phase1@1");

    // phase1, attempt 2: a permitted overwrite through a token
    assertThat(api.start(WRITER, runId, "phase1")).isEqualTo(2);
    Response refused =
        api.putText(WRITER, p1, "DOCUMENTATION", doc("# Title", "Line Two", "three"));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.problem()).isEqualTo("immutable-store");
    assertThat(refused.json().path("layer").asText()).isEqualTo("store");
    assertThat(refused.json().path("path").asText()).isEqualTo(p1);
    assertThat(refused.json().path("currentHash").asText()).isEqualTo(info.path("hash").asText());
    Response token =
        api.post("/api/runs/" + runId + "/overwrite-tokens", WRITER, Map.of("path", p1));
    assertThat(token.status()).as(token.toString()).isEqualTo(200);
    assertThat(token.json().path("generation").asInt()).isEqualTo(1);
    String t = token.json().path("token").asText();
    Response overwritten =
        api.putText(
            WRITER,
            p1,
            "DOCUMENTATION",
            doc("# Title", "Line Two", "three"),
            "X-Overwrite-Token",
            t);
    assertThat(overwritten.status()).as(overwritten.toString()).isEqualTo(201);
    assertThat(overwritten.json().path("generation").asInt()).isEqualTo(2);
    assertThat(overwritten.header("Location")).endsWith("?generation=2");
    Response reused =
        api.putText(WRITER, p1, "DOCUMENTATION", doc("# other"), "X-Overwrite-Token", t);
    assertThat(reused.status()).isEqualTo(409);
    assertThat(api.get("/api/artifacts/" + p1 + "?generation=1", READER).text())
        .isEqualTo(doc("# Title", "line two", "three"));
    assertThat(api.get("/api/artifacts/" + p1, READER).text())
        .isEqualTo(doc("# Title", "Line Two", "three"));
    api.finish(WRITER, runId, "phase1", 2, "SUCCEEDED");
    assertThat(
            api.get("/api/runs/" + runId + "/stages/phase1/executions", READER)
                .json()
                .path("items"))
        .hasSize(2);

    JsonNode diff =
        api.get("/api/runs/" + runId + "/diff?from=phase1@1&to=phase1@2", READER).json();
    assertThat(diff.path("changes")).hasSize(1);
    assertThat(diff.path("changes").get(0).path("kind").asText()).isEqualTo("MODIFIED");
    assertThat(diff.path("changes").get(0).path("unifiedDiff").asText()).contains("+Line Two");
    assertThat(diff.path("fixedIssues")).hasSize(1);
    String otherRun = api.createRun(WRITER, List.of("docsgen.md"), false);
    JsonNode runs =
        api.get("/api/runs/" + runId + "/diff?from=" + otherRun + "&to=" + runId, READER).json();
    assertThat(runs.path("changes").get(0).path("kind").asText()).isEqualTo("ADDED");
    assertThat(runs.path("changes").get(0).path("key").asText()).isEqualTo("phase1/docsgen.md");

    // approval, by the approver's token
    Response approval =
        api.post(
            "/api/runs/" + runId + "/approvals",
            APPROVER,
            Map.of("stage", "phase1", "decision", "APPROVED", "comment", "looks right"));
    assertThat(approval.status()).as(approval.toString()).isEqualTo(201);
    assertThat(fieldNames(approval.json()))
        .containsExactly("runId", "stage", "decision", "actor", "comment", "at", "contentDigest");
    assertThat(approval.json().path("actor").asText()).isEqualTo("alice-approver");
    assertThat(
            api.get("/api/runs/" + runId + "/approvals?stage=phase1", READER).json().path("items"))
        .hasSize(1);
    api.start(WRITER, runId, "phase1");
    Response approved = api.putText(WRITER, runId + "/phase1/new.md", "DOCUMENTATION", "x");
    assertThat(approved.status()).isEqualTo(409);
    assertThat(approved.problem()).isEqualTo("immutable-policy");

    // final stage, bundle, verify
    Response early = api.post("/api/runs/" + runId + "/bundle", WRITER, null);
    assertThat(early.status()).isEqualTo(409);
    assertThat(early.problem()).isEqualTo("gate-not-passed");
    assertThat(early.json().has("failing")).isTrue();
    api.start(WRITER, runId, "final");
    api.putText(WRITER, runId + "/final/docsgen.md", "DOCUMENTATION", doc("# DocsGen"));
    Response missing = api.post("/api/runs/" + runId + "/bundle", WRITER, null);
    assertThat(missing.status()).isEqualTo(409);
    api.putText(WRITER, runId + "/final/guide.md", "DOCUMENTATION", doc("# Guide"));
    api.putText(WRITER, runId + "/final/report.json", "VALIDATION_REPORT", "{}");
    api.finish(WRITER, runId, "final", 1, "SUCCEEDED");
    Response bundle = api.post("/api/runs/" + runId + "/bundle", WRITER, null);
    assertThat(bundle.status()).as(bundle.toString()).isEqualTo(201);
    assertThat(bundle.json().path("finalExecution").asText()).isEqualTo("final@1");
    String zipLocation = bundle.header("Location");
    assertThat(zipLocation)
        .isEqualTo("/api/artifacts/" + runId + "/final/docsgen-documentation-bundle.zip");
    Response zip = api.get(zipLocation, READER);
    assertThat(zip.status()).isEqualTo(200);
    assertThat(zipEntries(zip.body()))
        .containsOnlyKeys("README.md", "docsgen.md", "guide.md")
        .containsEntry("guide.md", doc("# Guide"));
    JsonNode verified = api.get("/api/runs/" + runId + "/bundle/verify", READER).json();
    assertThat(verified.path("valid").asBoolean()).as(verified.toString()).isTrue();

    // the attestation: a DSSE envelope over an in-toto statement, verifiable with a served key
    Response envelope = api.get("/api/runs/" + runId + "/bundle/attestation", READER);
    assertThat(envelope.status()).as(envelope.toString()).isEqualTo(200);
    assertThat(envelope.header("Content-Type")).startsWith("application/json");
    assertThat(envelope.body())
        .isEqualTo(
            api.get(
                    "/api/artifacts/" + runId + "/final/docsgen-documentation-bundle.intoto.jsonl",
                    READER)
                .body());
    JsonNode dsse = envelope.json();
    assertThat(fieldNames(dsse)).containsExactly("payloadType", "payload", "signatures");
    assertThat(dsse.path("payloadType").asText()).isEqualTo("application/vnd.in-toto+json");
    assertThat(dsse.path("signatures")).hasSize(1);
    assertThat(fieldNames(dsse.path("signatures").get(0))).containsExactly("keyid", "sig");
    byte[] payload = Base64.getDecoder().decode(dsse.path("payload").asText());
    JsonNode statement = Json.mapper().readTree(payload);
    assertThat(statement.path("_type").asText()).isEqualTo("https://in-toto.io/Statement/v1");
    assertThat(statement.path("predicateType").asText())
        .isEqualTo("urn:docsgen:bundle-attestation:v1");
    assertThat(statement.path("predicate").path("runId").asText()).isEqualTo(runId);
    Map<String, String> subjects = new HashMap<>();
    statement
        .path("subject")
        .forEach(
            s -> subjects.put(s.path("name").asText(), s.path("digest").path("sha256").asText()));
    assertThat(subjects)
        .containsOnlyKeys("docsgen-documentation-bundle.zip", "README.md", "docsgen.md", "guide.md")
        .containsEntry("docsgen-documentation-bundle.zip", sha256Hex(zip.body()))
        .containsEntry("guide.md", sha256Hex(doc("# Guide").getBytes(UTF_8)));
    JsonNode keys = api.get("/api/signing-keys", READER).json();
    assertThat(fieldNames(keys)).containsExactly("items", "nextCursor");
    assertThat(keys.path("nextCursor").isNull()).isTrue();
    JsonNode key = keys.path("items").get(0);
    assertThat(fieldNames(key)).containsExactly("keyid", "algorithm", "publicKeyPem");
    assertThat(key.path("algorithm").asText()).isEqualTo("ed25519");
    assertThat(key.path("keyid").asText())
        .isEqualTo(dsse.path("signatures").get(0).path("keyid").asText());
    String pem = key.path("publicKeyPem").asText();
    assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n");
    byte[] spki =
        Base64.getMimeDecoder()
            .decode(
                pem.replace("-----BEGIN PUBLIC KEY-----", "")
                    .replace("-----END PUBLIC KEY-----", ""));
    assertThat(sha256Hex(spki)).isEqualTo(key.path("keyid").asText());
    Signature ed25519 = Signature.getInstance("Ed25519");
    ed25519.initVerify(
        KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
    ed25519.update(
        ("DSSEv1 28 application/vnd.in-toto+json " + payload.length + " ").getBytes(UTF_8));
    ed25519.update(payload);
    assertThat(
            ed25519.verify(
                Base64.getDecoder().decode(dsse.path("signatures").get(0).path("sig").asText())))
        .isTrue();
    Response noBundle = api.get("/api/runs/" + otherRun + "/bundle/attestation", READER);
    assertThat(noBundle.status()).isEqualTo(404);
    assertThat(noBundle.header("Content-Type")).startsWith("application/problem+json");
    assertThat(api.get("/api/runs/" + runId, READER).json().path("status").asText())
        .isEqualTo("BUNDLED");
    Response after = api.post("/api/runs/" + runId + "/bundle", ADMIN, null);
    assertThat(after.status()).isEqualTo(409);

    JsonNode listed =
        api.get("/api/runs/" + runId + "/artifacts?stage=final&type=DOCUMENTATION", READER).json();
    assertThat(listed.path("items")).hasSize(2);
    assertThat(listed.path("nextCursor").isNull()).isTrue();
  }

  @Test
  void writesAreRefusedWithThePinnedStatuses() {
    String runId = api.createRun(WRITER, List.of("docsgen.md"), false);
    String path = runId + "/phase1/a.md";
    Response noExecution = api.putText(WRITER, path, "DOCUMENTATION", "a");
    assertThat(noExecution.status()).isEqualTo(409);
    assertThat(noExecution.problem()).isEqualTo("no-running-execution");

    api.start(WRITER, runId, "phase1");
    assertThat(api.putText(WRITER, path, "DOCUMENTATION", "a").status()).isEqualTo(201);
    Response createOnly = api.putText(WRITER, path, "DOCUMENTATION", "b", "If-None-Match", "*");
    assertThat(createOnly.status()).isEqualTo(412);
    assertThat(createOnly.problem()).isEqualTo("precondition-failed");
    assertThat(createOnly.json().path("currentHash").asText()).startsWith("sha256:");
    assertThat(createOnly.json().path("path").asText()).isEqualTo(path);

    Response unknownRun = api.get("/api/runs/run_2001_01_01_0001", READER);
    assertThat(unknownRun.status()).isEqualTo(404);
    assertThat(unknownRun.problem()).isEqualTo("not-found");
    assertThat(api.get("/api/artifacts/" + runId + "/phase1/none.md", READER).status())
        .isEqualTo(404);
    assertThat(api.get("/api/artifacts/" + path + "?generation=7", READER).status()).isEqualTo(404);
    Response pastEnd = api.get("/api/artifacts/" + path + "?lines=5-6", READER);
    assertThat(pastEnd.status()).isEqualTo(416);
    assertThat(pastEnd.problem()).isEqualTo("range-not-satisfiable");
    Response badRange = api.get("/api/artifacts/" + path, READER, "Range", "bytes=10-");
    assertThat(badRange.status()).isEqualTo(416);
    assertThat(badRange.header("Content-Range")).isEqualTo("bytes */1");
    Response noType =
        api.put(
            "/api/artifacts/" + path, WRITER, "x".getBytes(UTF_8), "Content-Type", "text/plain");
    assertThat(noType.status()).isEqualTo(400);
    assertThat(noType.json().path("field").asText()).isEqualTo("X-Artifact-Type");
  }

  @Test
  void aGateRefusalListsEachOpenErrorIssueAsRuleAndFile() throws Exception {
    String runId = api.createRun(WRITER, List.of("docsgen.md", "guide.md"), false);
    Response none = api.post("/api/runs/" + runId + "/bundle", WRITER, null);
    assertThat(none.status()).isEqualTo(409);
    assertThat(none.json().path("failing").isArray()).isTrue();
    assertThat(none.json().path("failing")).isEmpty(); // no final execution: detail says so
    assertThat(none.json().path("failingTotal").asLong()).isZero();
    assertThat(none.json().path("detail").asText()).contains("no execution of stage final");

    api.start(WRITER, runId, "final");
    String guide = runId + "/final/guide.md";
    String main = runId + "/final/docsgen.md";
    api.putText(WRITER, main, "DOCUMENTATION", doc("# DocsGen"));
    api.putText(WRITER, guide, "DOCUMENTATION", doc("# Guide"));
    api.finish(WRITER, runId, "final", 1, "SUCCEEDED");
    Response recorded =
        api.post(
            "/api/runs/" + runId + "/issues",
            WRITER,
            Map.of(
                "issues",
                List.of(
                    finalIssue(guide, "links.broken", "ERROR", 3),
                    finalIssue(main, "style.passive", "WARNING", 1),
                    finalIssue(main, "heading-case", "ERROR", 2))));
    assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);

    Response refused = api.post("/api/runs/" + runId + "/bundle", WRITER, null);

    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(refused.problem()).isEqualTo("gate-not-passed");
    assertThat(refused.json().path("failing"))
        .isEqualTo(
            Json.mapper()
                .readTree(
                    "[{\"rule\":\"heading-case\",\"file\":\""
                        + main
                        + "\"},{\"rule\":\"links.broken\",\"file\":\""
                        + guide
                        + "\"}]"));
    assertThat(refused.json().path("failingTotal").asLong()).isEqualTo(2);
    assertThat(refused.json().path("missing")).isEmpty();
    assertThat(refused.json().path("detail").asText())
        .isEqualTo(
            "run " + runId + " cannot be bundled: 2 ERROR issues are recorded against final@1");

    JsonNode gate = api.get("/api/runs/" + runId + "/stages/final/gate", READER).json();
    assertThat(gate.path("failing")).isEqualTo(refused.json().path("failing"));
    assertThat(gate.path("failingTotal").asLong()).isEqualTo(2);
    assertThat(gate.path("reasons").get(0).asText()).contains("2 ERROR issues");
    JsonNode details =
        api.get("/api/runs/" + runId + "/stages/final/executions/1", READER).json().path("gate");
    assertThat(details.path("passed").asBoolean()).isFalse();
    assertThat(details.path("failing")).isEqualTo(refused.json().path("failing"));
    assertThat(details.path("failingTotal").asLong()).isEqualTo(2);
    assertThat(details.path("reasons").get(0).asText()).contains("2 ERROR issues");
    JsonNode openApi = api.get("/openapi.json", READER).json();
    assertThat(
            openApi
                .path("components")
                .path("schemas")
                .path("Problem")
                .path("properties")
                .path("failing")
                .path("items")
                .path("$ref")
                .asText())
        .isEqualTo("#/components/schemas/FailingIssueJson");
  }

  private static Map<String, Object> finalIssue(
      String file, String rule, String severity, int line) {
    return Map.of(
        "stage",
        "final",
        "attempt",
        1,
        "file",
        file,
        "rule",
        rule,
        "severity",
        severity,
        "message",
        rule + " on line " + line,
        "location",
        Map.of("line", line),
        "validator",
        "lint");
  }

  private static String sha256Hex(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Map<String, String> zipEntries(byte[] zip) throws Exception {
    Map<String, String> entries = new HashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        entries.put(e.getName(), new String(in.readAllBytes(), UTF_8));
      }
    }
    return entries;
  }
}
