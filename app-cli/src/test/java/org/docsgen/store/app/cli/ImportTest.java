package org.docsgen.store.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.docsgen.store.app.http.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import DIR} with --start and --finish, and its refusal of unusable file names. */
class ImportTest {
  @TempDir Path dir;

  @Test
  void importsADirectoryIntoANewExecutionAndFinishesIt() throws Exception {
    CliRunner cli = new CliRunner(dir);
    String run = cli.run("run", "create").out().strip();
    Path docs = Files.createDirectories(dir.resolve("out/guides"));
    Files.writeString(dir.resolve("out/docsgen.md"), "# DocsGen\n");
    Files.writeString(docs.resolve("install.md"), "# Install\n");

    var imported =
        cli.run(
            "import", "out", "--run", run, "--stage", "phase2", "--start", "--finish", "succeeded");

    assertThat(imported.code()).as(imported.toString()).isZero();
    assertThat(imported.err())
        .contains("started " + run + "/phase2@1")
        .contains("[1/2]")
        .contains("[2/2]")
        .contains("finished " + run + "/phase2@1 SUCCEEDED");
    assertThat(imported.out()).contains("imported 2 files");
    var ls = cli.run("ls", run, "--stage", "phase2", "--json");
    JsonNode items = Json.mapper().readTree(ls.out()).get("items");
    assertThat(items)
        .extracting(i -> i.get("path").asText())
        .containsExactly(run + "/phase2/docsgen.md", run + "/phase2/guides/install.md");
    var execs = Json.mapper().readTree(cli.run("exec", "list", run, "phase2", "--json").out());
    assertThat(execs.get("items").get(0).get("status").asText()).isEqualTo("SUCCEEDED");

    // importing again into a new attempt: identical files are no-ops, nothing needs a token
    var again =
        cli.run(
            "import",
            "out",
            "--run",
            run,
            "--stage",
            "phase2",
            "--start",
            "--finish",
            "SUCCEEDED",
            "--json");
    assertThat(again.code()).as(again.toString()).isZero();
    JsonNode result = Json.mapper().readTree(again.out());
    assertThat(result.get("execution").get("attempt").asInt()).isEqualTo(2);
    assertThat(result.get("artifacts")).hasSize(2);
  }

  @Test
  void unusableFileNameWritesNothing() throws Exception {
    CliRunner cli = new CliRunner(dir);
    String run = cli.run("run", "create").out().strip();
    Files.createDirectories(dir.resolve("out"));
    Files.writeString(dir.resolve("out/good.md"), "ok\n");
    Files.writeString(dir.resolve("out/bad name.md"), "spaces are not allowed\n");

    var imported = cli.run("import", "out", "--run", run, "--stage", "phase1", "--start");

    assertThat(imported.code()).as(imported.toString()).isEqualTo(2);
    assertThat(imported.err()).contains("bad name.md").contains("nothing was written");
    assertThat(cli.run("exec", "list", run, "phase1").out()).isEmpty();
    assertThat(cli.run("ls", run).out()).isEmpty();
  }
}
