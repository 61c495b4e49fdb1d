package org.docsgen.store.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.docsgen.store.app.http.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole local session on the embedded default (filesystem + SQLite), ending in a verified bundle.
 */
class LocalFlowTest {
  @TempDir Path dir;

  @Test
  void createPutFinishIssuesGateBundleVerify() throws Exception {
    CliRunner cli = new CliRunner(dir);
    var created = cli.run("run", "create", "--core-files", "docsgen.md,api.md", "--actor", "alice");
    assertThat(created.code()).as(created.toString()).isZero();
    String run = created.out().strip();
    assertThat(run).matches("run_\\d{4}_\\d{2}_\\d{2}_\\d{4}");

    Path doc = Files.writeString(dir.resolve("docsgen.md"), "# DocsGen\n\nline 3\nline 4\n");
    var put = cli.run("put", "--start", run + "/phase1/docsgen.md", doc.toString());
    assertThat(put.code()).as(put.toString()).isZero();
    assertThat(put.out()).contains("created").contains(run + "/phase1/docsgen.md");
    assertThat(put.err()).contains("started " + run + "/phase1@1");

    byte[] api = "# API\n".getBytes(StandardCharsets.UTF_8);
    var fromStdin = cli.runWithStdin(api, "put", run + "/phase1/api.md", "-", "--json");
    assertThat(fromStdin.code()).as(fromStdin.toString()).isZero();
    JsonNode info = Json.mapper().readTree(fromStdin.out());
    assertThat(info.get("mediaType").asText()).startsWith("text/markdown");
    assertThat(info.get("generation").asInt()).isEqualTo(1);

    assertThat(cli.run("exec", "finish", run, "phase1", "--status", "SUCCEEDED").code()).isZero();

    assertThat(cli.run("exec", "start", run, "final").code()).isZero();
    Path report = Files.writeString(dir.resolve("report.json"), "{\"ok\":true}\n");
    assertThat(
            cli.run(
                    "put",
                    run + "/final/validation.json",
                    report.toString(),
                    "--type",
                    "VALIDATION_REPORT")
                .code())
        .isZero();
    assertThat(cli.run("exec", "finish", run, "final", "--status", "SUCCEEDED").code()).isZero();
    var issue =
        cli.run(
            "issues",
            "add",
            run,
            "--stage",
            "final",
            "--file",
            run + "/phase1/docsgen.md",
            "--rule",
            "style.heading",
            "--severity",
            "WARNING",
            "--message",
            "heading too long",
            "--line",
            "1");
    assertThat(issue.code()).as(issue.toString()).isZero();
    assertThat(issue.out()).contains("WARNING").contains("style.heading");

    var gate = cli.run("gate", run);
    assertThat(gate.code()).as(gate.toString()).isZero();
    assertThat(gate.out()).contains("gate PASSED");

    var bundle = cli.run("bundle", run, "--actor", "release-bot");
    assertThat(bundle.code()).as(bundle.toString()).isZero();
    assertThat(bundle.out()).contains(run + "/final/docsgen-documentation-bundle.zip");
    assertThat(bundle.err()).contains("bundled 2 entries");

    var verify = cli.run("verify", run, "--json");
    assertThat(verify.code()).as(verify.toString()).isZero();
    assertThat(Json.mapper().readTree(verify.out()).get("valid").asBoolean()).isTrue();

    var get = cli.run("get", run + "/phase1/docsgen.md");
    assertThat(get.code()).isZero();
    assertThat(get.stdout()).isEqualTo(Files.readAllBytes(doc));
    var lines = cli.run("get", run + "/phase1/docsgen.md", "--lines", "3-4");
    assertThat(lines.out()).isEqualTo("line 3\nline 4\n");
    var toFile = cli.run("get", run + "/final/docsgen-documentation-bundle.zip", "-o", "out.zip");
    assertThat(toFile.code()).as(toFile.toString()).isZero();
    assertThat(Files.size(dir.resolve("out.zip"))).isPositive();

    var ls = cli.run("ls", run, "--json");
    JsonNode items = Json.mapper().readTree(ls.out()).get("items");
    assertThat(items).hasSize(5); // two docs, the report, the zip and its attestation
    var show = cli.run("--json", "run", "show", run);
    assertThat(Json.mapper().readTree(show.out()).get("status").asText()).isEqualTo("BUNDLED");
    assertThat(cli.run("fsck", "--deep").code()).isZero();
  }
}
