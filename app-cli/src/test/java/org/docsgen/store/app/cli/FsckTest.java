package org.docsgen.store.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.docsgen.store.app.http.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fsck finds a version the store holds but the index lacks (exit 4); --repair indexes it (0). */
class FsckTest {
  @TempDir Path dir;

  @Test
  void repairIndexesAnUnindexedVersion() throws Exception {
    CliRunner cli = new CliRunner(dir);
    String run = cli.run("run", "create").out().strip();
    cli.runWithStdin("body\n".getBytes(), "put", "--start", run + "/phase1/a.md");
    // what a crash between the store write and the index write leaves: a version only on disk
    Path stage = dir.resolve("docsgen-data/artifacts/" + run + "/phase1");
    Path orphan = Files.createDirectories(stage.resolve("b.md@1"));
    Files.copy(stage.resolve("a.md@1/content"), orphan.resolve("content"));
    String meta = Files.readString(stage.resolve("a.md@1/meta.properties"));
    Files.writeString(
        orphan.resolve("meta.properties"), meta.replace("/phase1/a.md", "/phase1/b.md"));

    var found = cli.run("fsck", "--json");
    assertThat(found.code()).as(found.toString()).isEqualTo(4);
    JsonNode report = Json.mapper().readTree(found.out());
    assertThat(report.get("clean").asBoolean()).isFalse();
    assertThat(report.get("findings").get(0).get("kind").asText()).isEqualTo("unindexed");
    assertThat(found.err()).contains("checked 2 versions").contains("--repair");

    var repaired = cli.run("fsck", "--repair");
    assertThat(repaired.code()).as(repaired.toString()).isZero();
    assertThat(repaired.out()).contains("repaired unindexed " + run + "/phase1/b.md");

    assertThat(cli.run("fsck", "--deep", "--run", run).code()).isZero();
    assertThat(cli.run("get", run + "/phase1/b.md").out()).isEqualTo("body\n");
  }
}
