package org.docsgen.store.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.docsgen.store.app.http.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refused {@code bundle} and a failing {@code gate} name each open ERROR issue as {@code rule
 * file} (text) or {@code {rule, file}} (--json), capped at 100 with the total.
 */
class GateRefusalListsIssuesTest {
  @TempDir Path dir;
  private CliRunner cli;
  private String run;
  private String main;
  private String guide;

  @BeforeEach
  void finalStageWithTwoFiles() throws IOException {
    cli = new CliRunner(dir);
    run = cli.run("run", "create", "--core-files", "docsgen.md,guide.md").out().strip();
    main = run + "/final/docsgen.md";
    guide = run + "/final/guide.md";
    Path text = Files.writeString(dir.resolve("doc.md"), "# doc\n");
    assertThat(cli.run("put", "--start", main, text.toString()).code()).isZero();
    assertThat(cli.run("put", guide, text.toString()).code()).isZero();
    cli.run("exec", "finish", run, "final", "--status", "SUCCEEDED");
  }

  /** The failure document: the last line of stderr (progress lines come before it). */
  private static JsonNode errorJson(CliRunner.Result result) throws IOException {
    List<String> lines = result.err().lines().toList();
    return Json.mapper().readTree(lines.get(lines.size() - 1));
  }

  private void record(List<String> issues) throws IOException {
    Path file = Files.writeString(dir.resolve("issues.json"), "[" + String.join(",", issues) + "]");
    var add = cli.run("issues", "add", run, "--from", file.toString());
    assertThat(add.code()).as(add.toString()).isZero();
  }

  private static String issue(String file, String rule, String severity, int line) {
    return "{\"stage\":\"final\",\"attempt\":1,\"file\":\""
        + file
        + "\",\"rule\":\""
        + rule
        + "\",\"severity\":\""
        + severity
        + "\",\"message\":\"m\",\"location\":{\"line\":"
        + line
        + "},\"validator\":\"v\"}";
  }

  @Test
  void bundleAndGateNameEachOpenErrorIssue() throws IOException {
    record(
        List.of(
            issue(guide, "links.broken", "ERROR", 3),
            issue(main, "style.passive", "WARNING", 1),
            issue(main, "heading-case", "ERROR", 2)));

    var bundle = cli.run("bundle", run);
    assertThat(bundle.code()).as(bundle.toString()).isEqualTo(1);
    assertThat(bundle.err())
        .contains("2 ERROR issues are recorded against final@1")
        .contains("failing: heading-case  " + main + "\n  failing: links.broken  " + guide)
        .doesNotContain("style.passive");

    var json = cli.run("bundle", run, "--json");
    assertThat(json.code()).isEqualTo(1);
    JsonNode error = errorJson(json);
    String expected =
        "[{\"rule\":\"heading-case\",\"file\":\""
            + main
            + "\"},{\"rule\":\"links.broken\",\"file\":\""
            + guide
            + "\"}]";
    assertThat(error.path("failing")).isEqualTo(Json.mapper().readTree(expected));
    assertThat(error.path("failingTotal").asLong()).isEqualTo(2);
    assertThat(error.path("missing")).isEmpty();
    assertThat(error.path("message").asText()).contains("cannot be bundled");

    var gate = cli.run("gate", run);
    assertThat(gate.code()).as(gate.toString()).isEqualTo(1);
    assertThat(gate.out())
        .contains("failing: heading-case  " + main + "\n  failing: links.broken  " + guide);
    JsonNode gateJson = Json.mapper().readTree(cli.run("gate", run, "--json").out());
    assertThat(gateJson.path("failing")).isEqualTo(Json.mapper().readTree(expected));
    assertThat(gateJson.path("failingTotal").asLong()).isEqualTo(2);
    assertThat(gateJson.path("reasons").get(0).asText()).contains("2 ERROR issues");
    var show = cli.run("exec", "show", run, "final@1");
    assertThat(show.out())
        .contains("failing: heading-case  " + main + "\n  failing: links.broken  " + guide);
  }

  @Test
  void thousandsOfIssuesAreCappedWithTheirTotal() throws IOException {
    List<String> many = new ArrayList<>();
    for (int line = 1; line <= 102; line++) {
      many.add(issue(main, "rule-" + line, "ERROR", line));
    }
    record(many);

    JsonNode error = errorJson(cli.run("bundle", run, "--json"));
    assertThat(error.path("failing")).hasSize(100);
    assertThat(error.path("failing").get(0).path("rule").asText()).isEqualTo("rule-1");
    assertThat(error.path("failingTotal").asLong()).isEqualTo(102);
    var text = cli.run("bundle", run);
    assertThat(text.err()).contains("... and 2 more ERROR issues");
    assertThat(text.err().lines().filter(l -> l.startsWith("  failing: rule-"))).hasSize(100);
  }

  @Test
  void aRefusalWithoutErrorIssuesHasAnEmptyList() throws IOException {
    String other = cli.run("run", "create").out().strip();

    var json = cli.run("bundle", other, "--json");

    assertThat(json.code()).isEqualTo(1);
    JsonNode error = errorJson(json);
    assertThat(error.path("failing").isArray()).isTrue();
    assertThat(error.path("failing")).isEmpty();
    assertThat(error.path("failingTotal").asLong()).isZero();
    assertThat(error.path("message").asText()).contains("no execution of stage final");
  }
}
