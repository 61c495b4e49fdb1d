package org.docsgen.store.app.cli.reliability.support;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Starting the suite's processes the way a user does, with their output in a log file. */
public final class Processes {
  private Processes() {}

  /** The JVM running the tests, to start the jars with. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * A jar the build made, named by a system property failsafe sets ({@code docsgen.serverJar},
   * {@code docsgen.cliJar}, {@code docsgen.s3proxyJar}); fails saying how to build it.
   */
  public static Path requiredJar(String property) {
    String value = System.getProperty(property);
    if (value == null || !Files.isRegularFile(Path.of(value))) {
      throw new AssertionError(
          property
              + " ("
              + value
              + ") is not a file: run the reliability suite with `mvn verify` (or"
              + " app-cli/reliability/run.sh), which builds the jars first");
    }
    return Path.of(value);
  }

  /**
   * Starts {@code command} in {@code workDir} with its output (stdout and stderr) appended to
   * {@code log}; the environment loses every {@code DOCSGEN_*}, {@code AWS_*} and {@code
   * JAVA_TOOL_OPTIONS} variable of the test's own, then gets {@code env}.
   */
  public static Process start(List<String> command, Path workDir, Map<String, String> env, Path log)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(
            k -> k.startsWith("DOCSGEN_") || k.startsWith("AWS_") || k.equals("JAVA_TOOL_OPTIONS"));
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return builder.start();
  }

  /** A TCP port free on 127.0.0.1 right now. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** True when something accepts connections on 127.0.0.1:{@code port}. */
  public static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
