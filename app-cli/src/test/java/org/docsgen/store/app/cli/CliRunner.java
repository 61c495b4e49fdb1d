package org.docsgen.store.app.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs {@code docsgen} in-process against a working directory (the embedded default keeps its data
 * in {@code <dir>/docsgen-data}) with a controlled environment, capturing stdout and stderr.
 */
final class CliRunner {
  private final Path dir;
  private final Map<String, String> env = new HashMap<>();

  CliRunner(Path dir) {
    this.dir = dir;
  }

  CliRunner env(String name, String value) {
    env.put(name, value);
    return this;
  }

  Path dir() {
    return dir;
  }

  Result run(String... args) {
    return runWithStdin(new byte[0], args);
  }

  Result runWithStdin(byte[] stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = DocsGenCli.execute(args, env, dir, new ByteArrayInputStream(stdin), o, e);
    }
    return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }

  /** One invocation's outcome. */
  record Result(int code, byte[] stdout, String err) {
    String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out() + "--- stderr\n" + err;
    }
  }
}
