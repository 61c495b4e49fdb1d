package org.docsgen.store.domain.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.docsgen.store.domain.InvalidValueException;

/**
 * The grammar as properties: whatever {@code parse} accepts round-trips and stays inside any root
 * it is resolved against; hostile inputs are refused with a message that says why.
 */
class LogicalPathPropertyTest {
  private static final Path ROOT = Path.of("/root");
  private static final String RUN = "run_2026_01_02_0001";

  @Property(tries = 2000)
  void acceptedPathsRoundTripAndStayUnderTheRoot(@ForAll("candidates") String text) {
    // the property is only worth something if the hostile generator also yields accepted paths
    Statistics.coverage(c -> c.check("accepted").count(n -> n > 20));
    LogicalPath path;
    try {
      path = LogicalPath.parse(text);
    } catch (InvalidValueException e) {
      Statistics.collect("refused");
      assertThat(e.getMessage()).containsAnyOf(reasons());
      assertThat(e.field()).isEqualTo("path");
      return;
    }
    Statistics.collect("accepted");
    assertThat(path.toString()).isEqualTo(text);
    assertThat(LogicalPath.parse(path.toString())).isEqualTo(path);
    assertStaysUnderRoot(path);
    assertWithinTheByteLimits(path);
  }

  @Property(tries = 1000)
  void validPathsAreAccepted(@ForAll("validPaths") String text) {
    LogicalPath path = LogicalPath.parse(text);
    assertThat(path).hasToString(text);
    assertStaysUnderRoot(path);
  }

  @Property(tries = 1000)
  void anyPathWithATraversalSegmentIsRefused(
      @ForAll("validPaths") String text, @ForAll("traversal") String bad, @ForAll int at) {
    List<String> segments = new ArrayList<>(List.of(text.split("/")));
    segments.add(Math.floorMod(at, segments.size() + 1), bad);
    String hostile = String.join("/", segments);
    assertThatThrownBy(() -> LogicalPath.parse(hostile))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("'.' and '..' are not allowed");
  }

  @Property(tries = 500)
  void anySegmentOverTheFileNameLimitIsRefusedNamingTheRule(
      @ForAll("validPaths") String text, @ForAll("longSegments") String bad, @ForAll int at) {
    List<String> segments = new ArrayList<>(List.of(text.split("/")));
    // after the run id and the stage, so the rule that fires is the length rule
    segments.add(2 + Math.floorMod(at, segments.size() - 1), bad);
    String hostile = String.join("/", segments);
    assertThatThrownBy(() -> LogicalPath.parse(hostile))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining(
            hostile.length() > LogicalPath.MAX_BYTES
                ? "longer than 512 bytes"
                : "segment '" + bad.substring(0, 120) + "...' is longer than 255 bytes");
  }

  @Property(tries = 1000)
  void anyForbiddenCharacterIsRefusedWithAReason(
      @ForAll("validPaths") String text, @ForAll("forbidden") String bad, @ForAll int at) {
    int index = 1 + Math.floorMod(at, text.length() - 1);
    String hostile = text.substring(0, index) + bad + text.substring(index);
    assertThatThrownBy(() -> LogicalPath.parse(hostile))
        .isInstanceOf(InvalidValueException.class)
        .satisfies(e -> assertThat(e.getMessage()).containsAnyOf(reasons()));
  }

  private static String[] reasons() {
    return new String[] {
      "NUL",
      "backslash",
      "relative",
      "is empty",
      "its run id is wrong",
      "its stage is wrong",
      "<runId>/<stage>/<name>",
      "outside [A-Za-z0-9._-]",
      "'.' and '..'",
      "empty segment",
      "longer than"
    };
  }

  private static void assertWithinTheByteLimits(LogicalPath path) {
    assertThat(path.toString().getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(LogicalPath.MAX_BYTES);
    for (String segment : path.segments()) {
      assertThat(segment.getBytes(StandardCharsets.UTF_8).length)
          .isLessThanOrEqualTo(LogicalPath.MAX_SEGMENT_BYTES);
    }
  }

  private static void assertStaysUnderRoot(LogicalPath path) {
    Path resolved = ROOT.resolve(path.toString()).normalize();
    assertThat(resolved.startsWith(ROOT)).isTrue();
    assertThat(resolved).isEqualTo(ROOT.resolve(path.toString()));
    assertThat(ROOT.relativize(resolved).getNameCount()).isEqualTo(path.segments().size());
    for (Path segment : ROOT.relativize(resolved)) {
      assertThat(segment.toString()).isNotIn(".", "..", "");
    }
  }

  /**
   * Paths built from a hostile alphabet: each character is mostly harmless, sometimes one of the
   * tricks ('/', '\\', '%', NUL, look-alikes of '.' and '/'); run id and stage are mostly right.
   */
  @Provide
  Arbitrary<String> candidates() {
    Arbitrary<Character> hostile =
        Arbitraries.of('/', '\\', '%', ':', ' ', '\u0000', '\u2024', '\uFF0E', '\u2215', 'é');
    Arbitrary<Character> harmless = Arbitraries.of('a', 'Z', '0', '9', '.', '.', '_', '-');
    Arbitrary<String> name =
        Arbitraries.frequencyOf(Tuple.of(30, harmless), Tuple.of(1, hostile))
            .list()
            .ofMinSize(0)
            .ofMaxSize(20)
            .map(LogicalPathPropertyTest::join);
    Arbitrary<String> run =
        Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.just(RUN)),
            Tuple.of(1, Arbitraries.of("", "..", "/" + RUN, "run_2026_02_30_0001", RUN + "%2f..")));
    Arbitrary<String> stage =
        Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.of("final", "phase0", "phase12")),
            Tuple.of(1, Arbitraries.of("phase01", "..", ".", "", "FINAL", "phase\uFF11")));
    return Combinators.combine(run, stage, name).as((r, st, n) -> r + "/" + st + "/" + n);
  }

  private static String join(List<Character> chars) {
    StringBuilder out = new StringBuilder();
    chars.forEach(out::append);
    return out.toString();
  }

  @Provide
  Arbitrary<String> validPaths() {
    Arbitrary<String> segment =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withCharRange('A', 'Z')
            .withCharRange('0', '9')
            .withChars("._-")
            .ofMinLength(1)
            .ofMaxLength(20)
            .filter(s -> !s.equals(".") && !s.equals(".."));
    Arbitrary<String> stage =
        Arbitraries.oneOf(
            Arbitraries.just("final"),
            Arbitraries.integers().between(0, 999).map(n -> "phase" + n));
    return Combinators.combine(stage, segment.list().ofMinSize(1).ofMaxSize(8))
        .as((st, rest) -> RUN + "/" + st + "/" + String.join("/", rest))
        .filter(s -> s.length() <= LogicalPath.MAX_BYTES);
  }

  /** Segments of allowed characters, just over the limit up to well over it. */
  @Provide
  Arbitrary<String> longSegments() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withChars("._-0")
        .ofMinLength(LogicalPath.MAX_SEGMENT_BYTES + 1)
        .ofMaxLength(LogicalPath.MAX_BYTES);
  }

  @Provide
  Arbitrary<String> traversal() {
    return Arbitraries.of(".", "..");
  }

  @Provide
  Arbitrary<String> forbidden() {
    return Arbitraries.of(
        "\u0000", "\\", "%2e%2e", "%2f", "%5c", "%2E", " ", ":", "\u2024", "\uFF0E", "\u2215",
        "\uFF0F", "\u2044", "\u00e9", "\n", "?", "#", "*", "\u200b", "/../", "/./", "//");
  }
}
