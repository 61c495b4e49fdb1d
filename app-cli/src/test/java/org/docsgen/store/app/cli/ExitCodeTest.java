package org.docsgen.store.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each pinned exit code, caused for real on the embedded default (or an unreachable database). */
class ExitCodeTest {
  @TempDir Path dir;
  private CliRunner cli;
  private String run;

  @BeforeEach
  void createRun() {
    cli = new CliRunner(dir);
    run = cli.run("run", "create", "--core-files", "docsgen.md").out().strip();
  }

  private Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void overwriteWithoutTokenIsRefusedWithOne() throws IOException {
    String path = run + "/phase1/docsgen.md";
    assertThat(cli.run("put", "--start", path, file("a.md", "one\n").toString()).code()).isZero();

    var again = cli.run("put", path, file("b.md", "two\n").toString());

    assertThat(again.code()).as(again.toString()).isEqualTo(1);
    assertThat(again.err()).contains(path).contains("immutable").contains("hint:");
    assertThat(again.err()).doesNotContain("Exception").doesNotContain("\tat ");
    // identical bytes are not an overwrite
    assertThat(cli.run("put", path, dir.resolve("a.md").toString()).code()).isZero();
  }

  @Test
  void permittedOverwriteOfAReExecutedStageNeedsOverwrite() throws IOException {
    String path = run + "/phase1/docsgen.md";
    cli.run("put", "--start", path, file("a.md", "one\n").toString());
    cli.run("exec", "finish", run, "phase1", "--status", "FAILED", "--error", "bad draft");

    var rewritten =
        cli.run("put", "--start", "--overwrite", path, file("b.md", "two\n").toString());

    assertThat(rewritten.code()).as(rewritten.toString()).isZero();
    assertThat(rewritten.out()).contains("overwritten").contains("generation 2");
    assertThat(cli.run("get", path, "--generation", "1").out()).isEqualTo("one\n");
  }

  @Test
  void writeWithoutRunningExecutionIsRefusedWithOne() throws IOException {
    var put = cli.run("put", run + "/phase1/docsgen.md", file("a.md", "x").toString());

    assertThat(put.code()).as(put.toString()).isEqualTo(1);
    assertThat(put.err()).contains("--start");
  }

  @Test
  void failingGateExitsOneAndNamesTheIssue() throws IOException {
    String path = run + "/final/docsgen.md";
    cli.run("put", "--start", path, file("a.md", "# x\n").toString());
    cli.run("exec", "finish", run, "final", "--status", "SUCCEEDED");
    Path issues =
        file(
            "issues.json",
            "[{\"stage\":\"final\",\"attempt\":1,\"file\":\""
                + path
                + "\",\"rule\":\"links.broken\",\"severity\":\"ERROR\",\"message\":\"dead"
                + " link\",\"location\":{\"line\":1},\"validator\":\"linkcheck\"}]");
    assertThat(cli.run("issues", "add", run, "--from", issues.toString()).code()).isZero();

    var gate = cli.run("gate", run, "final");

    assertThat(gate.code()).as(gate.toString()).isEqualTo(1);
    assertThat(gate.out()).contains("gate FAILED").contains("links.broken").contains(path);
    var bundle = cli.run("bundle", run);
    assertThat(bundle.code()).as(bundle.toString()).isEqualTo(1);
    assertThat(bundle.err()).contains("docsgen gate " + run + " final");
  }

  @Test
  void traversalPathIsBadInput() throws IOException {
    var put =
        cli.run("put", "--start", run + "/phase1/../../etc/passwd", file("a", "x").toString());

    assertThat(put.code()).as(put.toString()).isEqualTo(2);
    assertThat(put.err()).contains("..");
    assertThat(cli.run("exec", "list", run, "phase1").out()).isEmpty(); // nothing was started
  }

  @Test
  void unknownTypeIsBadInput() throws IOException {
    var put =
        cli.run(
            "put", "--start", run + "/phase1/a.md", file("a.md", "x").toString(), "--type", "NOTE");

    assertThat(put.code()).as(put.toString()).isEqualTo(2);
    assertThat(put.err()).contains("NOTE");
  }

  @Test
  void malformedJsonIsBadInput() throws IOException {
    Path broken = file("issues.json", "[{\"stage\": \"final\",");

    var add = cli.run("issues", "add", run, "--from", broken.toString());

    assertThat(add.code()).as(add.toString()).isEqualTo(2);
    assertThat(add.err()).contains("malformed JSON").contains("issues.json");
  }

  @Test
  void usageErrorsAreBadInput() {
    assertThat(cli.run("exec", "start", run).code()).isEqualTo(2);
    assertThat(cli.run("frobnicate").code()).isEqualTo(2);
    assertThat(cli.run("run").code()).isEqualTo(2); // a group without its verb
    assertThat(cli.run().code()).isEqualTo(2);
    assertThat(cli.run("get", run + "/phase1/a.md", "--generation", "x").code()).isEqualTo(2);
    assertThat(cli.run("run", "show", "not-a-run").code()).isEqualTo(2);
    assertThat(cli.run("get", run + "/phase1/missing.md").code()).isEqualTo(2);
  }

  @Test
  void unreachableDatabaseIsBackendFailure() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    cli.env("DOCSGEN_MANIFEST_URL", "jdbc:postgresql://127.0.0.1:" + port + "/docsgen")
        .env("DOCSGEN_MANIFEST_USER", "docsgen");

    var list = cli.run("run", "list");

    assertThat(list.code()).as(list.toString()).isEqualTo(3);
    assertThat(list.err()).doesNotContain("\tat ");
  }

  @Test
  void tamperedContentIsIntegrityFailureOnGetAndDeepFsck() throws IOException {
    String path = run + "/phase1/docsgen.md";
    cli.run("put", "--start", path, file("a.md", "original\n").toString());
    // small, so packed: its content rewritten in place in the segment record, same length
    PackedLayout.Record record =
        PackedLayout.packed(dir.resolve("docsgen-data/artifacts"), path, 1);
    assertThat(record.content()).isEqualTo("original\n".getBytes(StandardCharsets.UTF_8));
    record.writeContent("tampered\n".getBytes(StandardCharsets.UTF_8));

    var get = cli.run("get", path, "-o", "copy.md");
    assertThat(get.code()).as(get.toString()).isEqualTo(4);
    assertThat(get.err()).contains(path).contains("fsck --deep");
    assertThat(dir.resolve("copy.md")).doesNotExist();

    assertThat(cli.run("fsck").code()).isIn(0, 4);
    var fsck = cli.run("fsck", "--deep");
    assertThat(fsck.code()).as(fsck.toString()).isEqualTo(4);
    assertThat(fsck.out()).contains(path);
  }

  @Test
  void jsonModeReportsFailuresAsJson() throws IOException {
    var show = cli.run("run", "show", "run_2020_01_01_0009", "--json");

    assertThat(show.code()).isEqualTo(2);
    var error = org.docsgen.store.app.http.json.Json.mapper().readTree(show.err());
    assertThat(error.get("exitCode").asInt()).isEqualTo(2);
    assertThat(error.get("message").asText()).contains("run_2020_01_01_0009");
  }

  @Test
  void verboseShowsTheStackTrace() {
    var show = cli.run("run", "show", "run_2020_01_01_0009", "--verbose");

    assertThat(show.code()).isEqualTo(2);
    assertThat(show.err()).contains("\tat ");
  }
}
