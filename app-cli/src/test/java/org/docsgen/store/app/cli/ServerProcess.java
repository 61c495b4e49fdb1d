package org.docsgen.store.app.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.docsgen.store.app.cli.reliability.support.Http;
import org.docsgen.store.app.cli.reliability.support.Http.Response;
import org.docsgen.store.app.cli.reliability.support.StoreConfig;
import org.docsgen.store.app.http.Main;

/**
 * The HTTP server as a separate process ({@link Main} on the test classpath, as the server jar runs
 * it, since the shaded jar is built after the tests), bound to 127.0.0.1 on a port of its choosing,
 * answering through the reliability suite's {@link Http} client (an I/O failure fails the test).
 * {@link #kill()} is {@code kill -9}.
 */
final class ServerProcess implements AutoCloseable {
  static final String WRITER = StoreConfig.WRITER;
  static final String READER = StoreConfig.READER;
  private static final Pattern URL = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private Http http;

  private ServerProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * The YAML of a server on 127.0.0.1 with the writer, reader, approver and admin tokens and these
   * data paths.
   */
  static String config(Path artifactRoot, Path manifestDb, Path keyFile) {
    return StoreConfig.fsSqliteYaml(artifactRoot, manifestDb, keyFile);
  }

  /** Launches the server on {@code configFile}; {@link #awaitStarted} waits for it. */
  static ServerProcess launch(Path configFile, Path logDir, String name) throws IOException {
    return launch(configFile, logDir, name, List.of());
  }

  /** Launches the server under {@code wrapper} (e.g. {@code strace … --}). */
  static ServerProcess launch(Path configFile, Path logDir, String name, List<String> wrapper)
      throws IOException {
    List<String> command = new ArrayList<>(wrapper);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.add("--config");
    command.add(configFile.toString());
    Path out = logDir.resolve(name + ".out");
    Path err = logDir.resolve(name + ".err");
    ProcessBuilder builder = new ProcessBuilder(command).directory(logDir.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("DOCSGEN_"));
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    return new ServerProcess(builder.start(), out, err);
  }

  /** Waits until the server prints its URL; fails with its output when it exits instead. */
  ServerProcess awaitStarted() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      Matcher m = URL.matcher(Files.readString(stdout, StandardCharsets.UTF_8));
      if (m.find()) {
        http = new Http(URI.create(m.group(1)));
        return this;
      }
      if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
        fail(
            "the server exited with status "
                + process.exitValue()
                + " instead of starting:\n"
                + output());
      }
    }
    process.destroyForcibly();
    return fail("the server did not start within 120 s:\n" + output());
  }

  String output() throws IOException {
    return "--- stdout\n"
        + Files.readString(stdout, StandardCharsets.UTF_8)
        + "--- stderr\n"
        + Files.readString(stderr, StandardCharsets.UTF_8);
  }

  /** {@code kill -9}: the process gets no chance to flush or close anything. */
  void kill() throws InterruptedException {
    // under a wrapper (strace -f) the server is the wrapper's child: kill both
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      fail("the server did not die after SIGKILL");
    }
    awaitExit(children);
  }

  /**
   * A clean stop (SIGTERM, the shutdown hook closes the stores). Under a wrapper the server is its
   * child and is stopped too: SIGTERM to {@code strace} only detached it, and the server outlived
   * the build (found as a stray server process after a {@code mvn verify}).
   */
  @Override
  public void close() throws InterruptedException {
    List<ProcessHandle> children = process.descendants().toList();
    children.forEach(ProcessHandle::destroy);
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        kill();
      }
    }
    awaitExit(children);
  }

  private static void awaitExit(List<ProcessHandle> children) {
    for (ProcessHandle child : children) {
      try {
        child.onExit().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        child.destroyForcibly();
      }
    }
  }

  /** One request; an I/O failure fails the test. {@code headers} are name, value pairs. */
  Response send(String method, String path, String token, byte[] body, String... headers) {
    try {
      return http.send(method, path, token, body, headers);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Response postJson(String path, String token, Object json) {
    try {
      return http.postJson(path, token, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Response expect(Response response, int status) {
    return Http.expect(response, status);
  }

  String createRun() throws IOException {
    return http.createRun();
  }

  void startExecution(String runId, String stage) throws IOException {
    http.startExecution(runId, stage);
  }

  Response put(String path, byte[] body, String... headers) {
    String[] all = new String[headers.length + 4];
    all[0] = "X-Artifact-Type";
    all[1] = "DOCUMENTATION";
    all[2] = "Content-Type";
    all[3] = "text/markdown; charset=utf-8";
    System.arraycopy(headers, 0, all, 4, headers.length);
    return send("PUT", "/api/artifacts/" + path, WRITER, body, all);
  }

  String overwriteToken(String runId, String path) throws IOException {
    return http.overwriteToken(runId, path);
  }
}
