package org.docsgen.store.app.cli.reliability.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * The reliability suite's two sizes. Every kind (crash, powercut, race, outage, hostile, tamper,
 * soak) runs its <b>quick</b> variant in {@code mvn verify} (and so in {@code .ci/run}), and its
 * <b>full</b> variant when {@code -Ddocsgen.reliability=full} is given ({@code
 * app-cli/reliability/run.sh KIND full}); the full counts go into {@code docs/reliability.md}.
 *
 * <p>{@link #report} appends one kind's counts to {@code target/reliability/KIND.md}, so a run
 * leaves the figures the document quotes.
 */
public final class Reliability {
  public static final String MODE_PROPERTY = "docsgen.reliability";

  private Reliability() {}

  /** True when the full variant was asked for. */
  public static boolean full() {
    return "full".equalsIgnoreCase(System.getProperty(MODE_PROPERTY, "quick"));
  }

  /** "quick" or "full". */
  public static String mode() {
    return full() ? "full" : "quick";
  }

  /** {@code quick} rounds in the quick variant, {@code full} in the full one. */
  public static int rounds(int quick, int full) {
    return full() ? full : quick;
  }

  /** {@code quick} in the quick variant, {@code full} in the full one. */
  public static Duration duration(Duration quick, Duration full) {
    return full() ? full : quick;
  }

  /**
   * Appends {@code text} (markdown) under a heading naming the kind, the mode and the time to
   * {@code target/reliability/KIND.md}, and prints it.
   */
  public static void report(String kind, String text) {
    String entry =
        "\n## " + kind + " (" + mode() + ", " + Instant.now() + ")\n\n" + text.strip() + "\n";
    System.out.println(entry);
    try {
      Path dir = Files.createDirectories(Path.of("target", "reliability"));
      Files.writeString(
          dir.resolve(kind + ".md"),
          entry,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
