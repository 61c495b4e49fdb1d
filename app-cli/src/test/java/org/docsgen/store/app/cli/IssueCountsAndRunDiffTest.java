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

/**
 * {@code issues list RUN --group-by severity} (the route's {@code groupBy=severity} answer) and
 * {@code diff RUN_A RUN_B} beside {@code diff RUN FROM TO}.
 */
class IssueCountsAndRunDiffTest {
  @TempDir Path dir;
  private CliRunner cli;
  private String runA;
  private String runB;

  @BeforeEach
  void twoRuns() throws IOException {
    cli = new CliRunner(dir);
    runA = createRunWith("title\nold line\nend\n");
    runB = createRunWith("title\nnew line\nend\n");
    Path issues =
        Files.writeString(
            dir.resolve("issues.json"),
            "["
                + issue("links.broken", "ERROR", 1)
                + ","
                + issue("links.broken", "ERROR", 2)
                + ","
                + issue("style.note", "INFO", 3)
                + "]");
    var added = cli.run("issues", "add", runA, "--from", issues.toString());
    assertThat(added.code()).as(added.toString()).isZero();
  }

  private String createRunWith(String text) throws IOException {
    String run = cli.run("run", "create", "--core-files", "docsgen.md").out().strip();
    Path file = Files.writeString(dir.resolve(run + ".md"), text);
    var put = cli.run("put", "--start", run + "/phase1/docsgen.md", file.toString());
    assertThat(put.code()).as(put.toString()).isZero();
    cli.run("exec", "finish", run, "phase1", "--status", "SUCCEEDED");
    return run;
  }

  private String issue(String rule, String severity, int line) {
    return "{\"stage\":\"phase1\",\"attempt\":1,\"file\":\""
        + runA
        + "/phase1/docsgen.md\",\"rule\":\""
        + rule
        + "\",\"severity\":\""
        + severity
        + "\",\"message\":\"m"
        + line
        + "\",\"location\":{\"line\":"
        + line
        + "},\"validator\":\"v\"}";
  }

  @Test
  void groupBySeverityCountsLikeTheRoute() throws IOException {
    var text = cli.run("issues", "list", runA, "--group-by", "severity");
    assertThat(text.code()).as(text.toString()).isZero();
    assertThat(text.out()).isEqualTo("ERROR 2\nWARNING 0\nINFO 1\n");

    var json = cli.run("issues", "list", runA, "--group-by", "severity", "--json");
    assertThat(json.code()).as(json.toString()).isZero();
    // the body of GET /api/runs/{runId}/issues?groupBy=severity (IssueCountsJson)
    assertThat(Json.mapper().readTree(json.out()))
        .isEqualTo(
            Json.mapper()
                .readTree(
                    "{\"groupBy\":\"severity\",\"counts\":{\"ERROR\":2,\"WARNING\":0,\"INFO\":1}}"));

    var filtered =
        cli.run("issues", "list", runA, "--group-by", "severity", "--rule", "style.note");
    assertThat(filtered.out()).isEqualTo("ERROR 0\nWARNING 0\nINFO 1\n");

    var other = cli.run("issues", "list", runA, "--group-by", "rule");
    assertThat(other.code()).as(other.toString()).isEqualTo(2);
    assertThat(other.err()).contains("--group-by supports only 'severity'");
    assertThat(cli.run("issues", "list", "--help").out()).contains("--group-by");
  }

  @Test
  void diffOfTwoRunsNeedsNoThirdArgument() throws IOException {
    var diff = cli.run("diff", runA, runB);

    assertThat(diff.code()).as(diff.toString()).isZero();
    assertThat(diff.out())
        .startsWith("diff " + runA + " -> " + runB)
        .contains("MODIFIED phase1/docsgen.md")
        .contains("-old line")
        .contains("+new line")
        .contains("issues: 0 new, 3 fixed, 0 persisting");
    JsonNode json = Json.mapper().readTree(cli.run("diff", runA, runB, "--json").out());
    assertThat(json.get("from").asText()).isEqualTo(runA);
    assertThat(json.get("to").asText()).isEqualTo(runB);
    // the three-argument forms keep working
    assertThat(cli.run("diff", runA, runA, runB).out()).isEqualTo(diff.out());
    var attempts = cli.run("diff", runA, "phase1@1", "phase1@1");
    assertThat(attempts.code()).as(attempts.toString()).isZero();
    assertThat(attempts.out()).startsWith("diff phase1@1 -> phase1@1");
  }

  @Test
  void otherShapesAreBadInputNamingBothForms() {
    for (String[] args :
        new String[][] {
          {"diff"},
          {"diff", runA},
          {"diff", runA, "phase1@1"},
          {"diff", "phase1@1", runB},
          {"diff", runA, "phase1@1", runB},
          {"diff", runA, runB, "phase1@1", "phase1@2"}
        }) {
      var diff = cli.run(args);

      assertThat(diff.code()).as(String.join(" ", args) + "\n" + diff).isEqualTo(2);
      assertThat(diff.err()).contains("RUN FROM TO").contains("RUN_A RUN_B");
    }
    var help = cli.run("diff", "--help");
    assertThat(help.out()).contains("RUN FROM TO").contains("RUN_A RUN_B");
  }
}
