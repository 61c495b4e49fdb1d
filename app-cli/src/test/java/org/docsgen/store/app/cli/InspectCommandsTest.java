package org.docsgen.store.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.docsgen.store.app.http.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** diff, approve, issue queries, execution details, listings and bundle tampering. */
class InspectCommandsTest {
  @TempDir Path dir;
  private CliRunner cli;
  private String run;

  @BeforeEach
  void twoAttemptsOfPhase1() throws IOException {
    cli = new CliRunner(dir);
    run = cli.run("run", "create", "--core-files", "docsgen.md").out().strip();
    Path v1 = Files.writeString(dir.resolve("v1.md"), "title\nold line\nend\n");
    Path v2 = Files.writeString(dir.resolve("v2.md"), "title\nnew line\nend\n");
    cli.run("put", "--start", run + "/phase1/docsgen.md", v1.toString());
    cli.run("exec", "finish", run, "phase1", "--status", "FAILED", "--error", "draft rejected");
    var second =
        cli.run("put", "--start", "--overwrite", run + "/phase1/docsgen.md", v2.toString());
    assertThat(second.code()).as(second.toString()).isZero();
    cli.run("exec", "finish", run, "phase1", "--status", "SUCCEEDED");
  }

  @Test
  void diffShowsTheUnifiedDiffBetweenAttempts() throws IOException {
    var diff = cli.run("diff", run, "phase1@1", "phase1@2");

    assertThat(diff.code()).as(diff.toString()).isZero();
    assertThat(diff.out()).contains("MODIFIED").contains("-old line").contains("+new line");
    JsonNode json =
        Json.mapper().readTree(cli.run("diff", run, "phase1@1", "phase1@2", "--json").out());
    assertThat(json.get("changes").get(0).get("kind").asText()).isEqualTo("MODIFIED");
  }

  @Test
  void approvalsIssuesAndExecutionDetails() throws IOException {
    var issue =
        cli.run(
            "issues",
            "add",
            run,
            "--stage",
            "phase1",
            "--file",
            run + "/phase1/docsgen.md",
            "--rule",
            "r1",
            "--severity",
            "INFO",
            "--message",
            "note",
            "--line",
            "2");
    assertThat(issue.code()).as(issue.toString()).isZero();
    assertThat(issue.out()).contains("phase1@2"); // the latest attempt by default

    var counts = Json.mapper().readTree(cli.run("issues", "list", run, "--count", "--json").out());
    assertThat(counts.get("counts").get("INFO").asLong()).isEqualTo(1);
    var listed = cli.run("issues", "list", run, "--severity", "INFO", "--json");
    JsonNode first = Json.mapper().readTree(listed.out()).get("items").get(0);
    assertThat(first.get("link").asText()).contains("generation=2&lines=2-2");

    var approved = cli.run("approve", run, "phase1", "--comment", "looks good", "--actor", "bob");
    assertThat(approved.code()).as(approved.toString()).isZero();
    assertThat(approved.out()).startsWith("APPROVED").contains("by bob");
    var rejected = cli.run("approve", run, "phase1", "--decision", "maybe");
    assertThat(rejected.code()).isEqualTo(2);

    var show = cli.run("exec", "show", run, "phase1@2");
    assertThat(show.code()).as(show.toString()).isZero();
    assertThat(show.out()).contains("SUCCEEDED").contains("gate: passed").contains("docsgen.md");
    var list = cli.run("exec", "list", run, "phase1");
    assertThat(list.out()).contains("phase1@1  FAILED").contains("error: draft rejected");
  }

  @Test
  void pagesSayWhereTheNextStarts() {
    cli.run("run", "create");
    var page = cli.run("run", "list", "--limit", "1");

    assertThat(page.out().lines()).hasSize(1);
    assertThat(page.err()).contains("(more: --cursor ");
    assertThat(cli.run("run", "list", "--limit", "0").code()).isEqualTo(2);
  }

  @Test
  void linesPastTheEndAreBadInput() {
    var lines = cli.run("get", run + "/phase1/docsgen.md", "--lines", "9-10");

    assertThat(lines.code()).isEqualTo(2);
    assertThat(lines.err()).contains("past the last line");
  }

  @Test
  void aTamperedBundleDoesNotVerify() throws IOException {
    Path doc = Files.writeString(dir.resolve("final.md"), "final\n");
    cli.run("put", "--start", run + "/final/docsgen.md", doc.toString());
    cli.run("exec", "finish", run, "final", "--status", "SUCCEEDED");
    assertThat(cli.run("bundle", run).code()).isZero();
    assertThat(cli.run("verify", run).code()).isZero();
    // the zip is small, so packed: one byte in the middle of its content flipped in the segment
    String zipPath = run + "/final/docsgen-documentation-bundle.zip";
    Path root = dir.resolve("docsgen-data/artifacts");
    int size = PackedLayout.packed(root, zipPath, 1).contentLength();
    PackedLayout.flip(root, zipPath, 1, size / 2, 0x55);

    var verify = cli.run("verify", run);

    assertThat(verify.code()).as(verify.toString()).isEqualTo(4);
  }
}
