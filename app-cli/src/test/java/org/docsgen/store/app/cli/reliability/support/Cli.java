package org.docsgen.store.app.cli.reliability.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code java -jar app-cli/target/docsgen.jar --config FILE ARGS…} as a user runs it. */
public final class Cli {
  /** What one command did: its exit code, its standard output bytes and its standard error. */
  public record Result(int exit, byte[] stdout, String stderr) {
    public String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out() + "\n--- stderr\n" + stderr;
    }
  }

  private Cli() {}

  /** Runs the CLI jar on {@code config}'s file and environment, in its directory. */
  public static Result run(StoreConfig config, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Processes.java());
    command.add("-Xmx512m");
    command.add("-jar");
    command.add(Processes.requiredJar("docsgen.cliJar").toString());
    command.add("--config");
    command.add(config.file().toString());
    command.addAll(List.of(args));
    Path dir = config.file().getParent();
    Path out = Files.createTempFile(dir, "cli", ".out");
    Path err = Files.createTempFile(dir, "cli", ".err");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(
            k -> k.startsWith("DOCSGEN_") || k.startsWith("AWS_") || k.equals("JAVA_TOOL_OPTIONS"));
    builder.environment().putAll(config.env());
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("docsgen " + String.join(" ", args) + " did not end in 10 minutes");
    }
    try {
      return new Result(
          process.exitValue(),
          Files.readAllBytes(out),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** {@code fsck --deep --json}: exit 0 when only orphans were found. */
  public static Result fsckDeep(StoreConfig config) throws Exception {
    return run(config, "fsck", "--deep", "--json");
  }
}
