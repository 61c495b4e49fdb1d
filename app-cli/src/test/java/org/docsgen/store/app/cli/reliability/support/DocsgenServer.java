package org.docsgen.store.app.cli.reliability.support;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar app-http/target/docsgen-server.jar --config FILE} as a process, as a user starts
 * it; {@link #kill()} is {@code kill -9}, {@link #restart()} starts it again on the same config (a
 * new port: read {@link #base()} again).
 */
public final class DocsgenServer implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

  private final StoreConfig config;
  private final Path logDir;
  private final String name;
  private final List<String> jvmOptions;
  private Process process;
  private Path log;
  private URI base;
  private int starts;

  private DocsgenServer(StoreConfig config, Path logDir, String name, List<String> jvmOptions) {
    this.config = config;
    this.logDir = logDir;
    this.name = name;
    this.jvmOptions = jvmOptions;
  }

  /** Starts the server jar on {@code config} and waits until it listens. */
  public static DocsgenServer start(StoreConfig config, Path logDir, String name) throws Exception {
    return start(config, logDir, name, List.of("-Xmx512m"));
  }

  /** As {@link #start(StoreConfig, Path, String)} with these JVM options. */
  public static DocsgenServer start(
      StoreConfig config, Path logDir, String name, List<String> jvmOptions) throws Exception {
    DocsgenServer server = new DocsgenServer(config, logDir, name, jvmOptions);
    server.launch();
    return server;
  }

  private void launch() throws Exception {
    starts++;
    log = logDir.resolve(name + "-" + starts + ".log");
    List<String> command = new ArrayList<>();
    command.add(Processes.java());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(Processes.requiredJar("docsgen.serverJar").toString());
    command.add("--config");
    command.add(config.file().toString());
    process = Processes.start(command, config.file().getParent(), config.env(), log);
    long deadline = System.nanoTime() + startTimeout().toNanos();
    while (true) {
      Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
      if (m.find()) {
        base = URI.create(m.group(1));
        return;
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new AssertionError(name + " did not start:\n" + output());
      }
      Thread.sleep(50);
    }
  }

  /**
   * How long a start may take before it counts as failed: {@code
   * -Ddocsgen.reliability.startSeconds} (default 120; a long run on a machine shared with other
   * builds may need more).
   */
  static Duration startTimeout() {
    return Duration.ofSeconds(Long.getLong("docsgen.reliability.startSeconds", 120));
  }

  /** The server's URL, e.g. {@code http://127.0.0.1:41234}. */
  public URI base() {
    return base;
  }

  /** A client for this server. */
  public Http http() {
    return new Http(base);
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** {@code kill -9}: no shutdown hook, nothing flushed or closed. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " did not die after SIGKILL");
    }
  }

  /** Starts the server again on the same configuration (after {@link #kill()} or a stop). */
  public void restart() throws Exception {
    if (process.isAlive()) {
      kill();
    }
    launch();
  }

  /** The log of the current start. */
  public String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** A clean stop (SIGTERM: the shutdown hook closes the stores). */
  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
