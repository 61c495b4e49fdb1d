package org.docsgen.store.adapters.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM ({@code java -cp <test classpath> StoreProcessMain}) with a store on the same root.
 * Answers are awaited with a generous bound only so a broken child fails the test instead of
 * hanging it; no test asserts how long anything takes.
 */
final class ChildStore implements AutoCloseable {
  private static final long ANSWER_BOUND_SECONDS = 120;

  private final Process process;
  private final Writer commands;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final Path log;

  private ChildStore(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.commands = new OutputStreamWriter(process.getOutputStream(), UTF_8);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  answers.add(line);
                }
              } catch (IOException e) {
                answers.add("ERROR child output broke: " + e);
              }
              answers.add("EOF");
            },
            "child-store-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the child on {@code root} and waits until its store is open. */
  static ChildStore start(Path root, Path logDir) throws IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Files.createDirectories(logDir);
    Path log = Files.createTempFile(logDir, "child-", ".log");
    Process process =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Xmx96m",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    classpath,
                    StoreProcessMain.class.getName(),
                    root.toString()))
            .redirectError(log.toFile())
            .start();
    ChildStore child = new ChildStore(process, log);
    child.expect("ready");
    return child;
  }

  void send(String command) {
    try {
      commands.write(command + "\n");
      commands.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("the child is gone: " + stderr(), e);
    }
  }

  String answer() {
    try {
      String line = answers.poll(ANSWER_BOUND_SECONDS, TimeUnit.SECONDS);
      if (line == null || line.equals("EOF")) {
        fail("the child store did not answer (" + line + "); its stderr:\n" + stderr());
      }
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  void expect(String expected) {
    String line = answer();
    if (!line.equals(expected)) {
      fail(
          "expected '"
              + expected
              + "' from the child but got '"
              + line
              + "'; stderr:\n"
              + stderr());
    }
  }

  /** Kills the child like a crash would ({@code SIGKILL}), and waits until it is gone. */
  void killHard() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(ANSWER_BOUND_SECONDS, TimeUnit.SECONDS)) {
      fail("the killed child did not exit");
    }
  }

  private String stderr() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      try {
        send("exit");
      } catch (UncheckedIOException gone) {
        // already exiting
      }
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
