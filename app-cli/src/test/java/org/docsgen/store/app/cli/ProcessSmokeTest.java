package org.docsgen.store.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docsgen} as a separate process (the jar's main class on the test classpath, since the
 * shaded jar is built after the tests): real exit statuses, results alone on stdout, and stdin.
 */
class ProcessSmokeTest {
  @TempDir Path dir;

  private record Outcome(int code, String out, String err) {}

  private Outcome docsgen(Path stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(DocsGenCli.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("DOCSGEN_"));
    builder.redirectOutput(dir.resolve("stdout.txt").toFile());
    builder.redirectError(dir.resolve("stderr.txt").toFile());
    builder.redirectInput(
        stdin == null
            ? ProcessBuilder.Redirect.from(emptyFile())
            : ProcessBuilder.Redirect.from(stdin.toFile()));
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Outcome(
        process.exitValue(),
        Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8));
  }

  private java.io.File emptyFile() throws IOException {
    Path empty = dir.resolve("empty.txt");
    if (!Files.exists(empty)) {
      Files.createFile(empty);
    }
    return empty.toFile();
  }

  @Test
  void helpCreatePutFromStdinAndAUsageError() throws Exception {
    Outcome help = docsgen(null, "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("Usage: docsgen").contains("Exit codes");

    Outcome created = docsgen(null, "run", "create", "--actor", "smoke");
    assertThat(created.code()).as(created.err()).isZero();
    String run = created.out().strip();
    assertThat(run).matches("run_\\d{4}_\\d{2}_\\d{2}_\\d{4}"); // nothing else on stdout

    Path input = Files.writeString(dir.resolve("input.md"), "# streamed from stdin\n");
    Outcome put = docsgen(input, "put", "--start", run + "/phase1/docsgen.md");
    assertThat(put.code()).as(put.err()).isZero();
    assertThat(put.out()).startsWith("created");

    Outcome bad = docsgen(null, "put", run + "/phase1/x.md", "--type");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--type");
  }
}
