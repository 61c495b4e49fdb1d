package org.docsgen.store.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run ids, stages, logical paths, artifact types and severities are parsed while the command line
 * is read: a bad one is exit 2 with the grammar's own words, in text and under {@code --json}, and
 * no store is opened for it (the embedded default's data directory is never created).
 */
class TypedArgumentsTest {
  @TempDir Path dir;

  @Test
  void aBadValueIsRefusedWithTheGrammarsMessageBeforeAnyStoreOpens() {
    CliRunner cli = new CliRunner(dir);

    var badRun = cli.run("run", "show", "not-a-run");
    var badStage = cli.run("gate", "run_2026_12_07_0001", "review");
    var badPath = cli.run("get", "run_2026_12_07_0001/phase1/../x.md");
    var badType = cli.run("ls", "run_2026_12_07_0001", "--type", "POSTER");
    var badSeverity = cli.run("issues", "list", "run_2026_12_07_0001", "--severity", "FATAL");

    for (var result : new CliRunner.Result[] {badRun, badStage, badPath, badType, badSeverity}) {
      assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(result.err())
          .as(result.toString())
          .startsWith("docsgen: Invalid value")
          .doesNotContain("Exception")
          .contains("--help");
    }
    assertThat(badRun.err()).contains("RUN").contains("not-a-run");
    assertThat(badStage.err()).contains("STAGE").contains("review");
    assertThat(badPath.err()).contains("..");
    assertThat(badType.err()).contains("--type").contains("POSTER");
    assertThat(badSeverity.err()).contains("--severity").contains("FATAL");
    assertThat(dir.resolve("docsgen-data")).as("no store was opened").doesNotExist();
  }

  @Test
  void underJsonTheRefusalIsTheErrorDocument() throws Exception {
    CliRunner cli = new CliRunner(dir);

    var result = cli.run("run", "show", "not-a-run", "--json");

    assertThat(result.code()).isEqualTo(ExitCodes.BAD_INPUT);
    JsonNode error = new ObjectMapper().readTree(result.err());
    assertThat(error.path("exitCode").asInt()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(error.path("message").asText()).contains("not-a-run");
    assertThat(error.path("hint").asText()).contains("docsgen run show --help");
  }
}
