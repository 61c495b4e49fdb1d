package org.docsgen.store.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.docsgen.store.app.http.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 on the command line, which reads the same configuration as the server: path length rules
 * and a preview past {@code server.maxPreviewBytes} exit 2 naming the rule, and a diff past {@code
 * diff.maxTextBytes} or the edit budget says {@code too-large}.
 */
class BoundedReadsCliTest {
  @TempDir Path dir;
  private CliRunner cli;
  private String run;

  @BeforeEach
  void aRun() {
    cli = new CliRunner(dir);
    run = cli.run("run", "create", "--core-files", "docsgen.md").out().strip();
  }

  @Test
  void aSegmentOver255BytesOrAPathOver512BytesExits2NamingTheRule() throws IOException {
    Path doc = Files.writeString(dir.resolve("doc.md"), "# x\n");
    String longSegment = run + "/phase1/" + "a".repeat(300) + ".md";
    String longPath = run + "/phase1/" + "c".repeat(250) + "/" + "d".repeat(250) + ".md";

    var put = cli.run("put", "--start", longSegment, doc.toString());
    assertThat(put.code()).as(put.toString()).isEqualTo(2);
    assertThat(put.err()).contains("longer than 255 bytes", "each segment is at most 255 bytes");
    var get = cli.run("get", longSegment);
    assertThat(get.code()).as(get.toString()).isEqualTo(2);
    assertThat(get.err()).contains("longer than 255 bytes");
    var putLong = cli.run("put", "--start", longPath, doc.toString());
    assertThat(putLong.code()).as(putLong.toString()).isEqualTo(2);
    assertThat(putLong.err()).contains("longer than 512 bytes");
    assertThat(cli.run("ls", run).out()).doesNotContain(".md");
  }

  @Test
  void aFileNameOf255BytesAndAPathOf512BytesAreStoredOverwrittenListedAndFsckClean()
      throws IOException {
    String longest = run + "/phase1/" + "l".repeat(255);
    String folder = run + "/phase1/" + "f".repeat(255) + "/";
    String widest = folder + "w".repeat(512 - folder.length());
    cli.run("exec", "start", run, "phase1");
    for (String path : new String[] {longest, widest}) {
      var put = cli.run("put", path, write("one.md", "one\n"));
      assertThat(put.code()).as(put.toString()).isZero();
      var again = cli.run("put", "--overwrite", path, write("two.md", "two\n"));
      assertThat(again.code()).as(again.toString()).isZero();
      assertThat(cli.run("get", path).out()).isEqualTo("two\n");
      assertThat(cli.run("get", path, "--generation", "1").out()).isEqualTo("one\n");
    }
    assertThat(cli.run("ls", run).out()).contains(longest, widest);
    var fsck = cli.run("fsck");
    assertThat(fsck.code()).as(fsck.toString()).isZero();
    var deep = cli.run("fsck", "--deep");
    assertThat(deep.code()).as(deep.toString()).isZero();
  }

  @Test
  void aPreviewOverMaxPreviewBytesExits2NamingTheLimit() throws IOException {
    Path doc = Files.writeString(dir.resolve("doc.md"), "x".repeat(100) + "\nshort\n");
    cli.run("put", "--start", run + "/phase1/doc.md", doc.toString());
    cli.env("DOCSGEN_SERVER_MAXPREVIEWBYTES", "64");

    var tooLarge = cli.run("get", run + "/phase1/doc.md", "--lines", "1-2");
    assertThat(tooLarge.code()).as(tooLarge.toString()).isEqualTo(2);
    assertThat(tooLarge.err()).contains("server.maxPreviewBytes (64 bytes)");
    assertThat(tooLarge.out()).isEmpty();
    var fits = cli.run("get", run + "/phase1/doc.md", "--lines", "2");
    assertThat(fits.code()).as(fits.toString()).isZero();
    assertThat(fits.out()).isEqualTo("short\n");
  }

  @Test
  void aDiffPastTheEditBudgetOrMaxTextBytesSaysTooLarge() throws IOException {
    cli.run("put", "--start", run + "/phase1/worst.md", write("w1.md", randomAb(1, 60_000)));
    cli.run("put", run + "/phase1/big.md", write("b1.md", "big\n".repeat(300)));
    cli.run("put", run + "/phase1/small.md", write("s1.md", "one\ntwo\n"));
    cli.run("exec", "finish", run, "phase1", "--status", "SUCCEEDED");
    var second =
        cli.run(
            "put",
            "--start",
            "--overwrite",
            run + "/phase1/worst.md",
            write("w2.md", randomAb(2, 60_000)));
    assertThat(second.code()).as(second.toString()).isZero();
    cli.run("put", "--overwrite", run + "/phase1/big.md", write("b2.md", "big\n".repeat(301)));
    cli.run("put", "--overwrite", run + "/phase1/small.md", write("s2.md", "one\nTWO\n"));
    cli.run("exec", "finish", run, "phase1", "--status", "SUCCEEDED");
    cli.env("DOCSGEN_DIFF_MAXTEXTBYTES", "1000");

    var json = cli.run("diff", run, "phase1@1", "phase1@2", "--json");
    assertThat(json.code()).as(json.toString()).isZero();
    JsonNode changes = Json.mapper().readTree(json.out()).path("changes");
    assertThat(changes.findValuesAsText("key")).containsExactly("big.md", "small.md", "worst.md");
    assertThat(changes.findValuesAsText("kind")).containsOnly("MODIFIED");
    assertThat(changes.get(0).path("diffOmitted").asText()).isEqualTo("too-large");
    assertThat(changes.get(0).path("unifiedDiff").isNull()).isTrue();
    assertThat(changes.get(1).path("unifiedDiff").asText()).contains("+TWO");
    assertThat(changes.get(1).path("diffOmitted").isNull()).isTrue();
    assertThat(changes.get(2).path("diffOmitted").asText()).isEqualTo("too-large");

    cli.env("DOCSGEN_DIFF_MAXTEXTBYTES", "1048576");
    var text = cli.run("diff", run, "phase1@1", "phase1@2");
    assertThat(text.code()).as(text.toString()).isZero();
    assertThat(text.out())
        .contains("MODIFIED worst.md\n  (no unified diff: too-large;")
        .contains("+big")
        .contains("+TWO");
  }

  private String write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text).toString();
  }

  private static String randomAb(long seed, int lines) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder(2 * lines);
    for (int i = 0; i < lines; i++) {
      text.append(random.nextBoolean() ? "a\n" : "b\n");
    }
    return text.toString();
  }
}
