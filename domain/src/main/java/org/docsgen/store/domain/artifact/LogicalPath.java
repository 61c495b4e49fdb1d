package org.docsgen.store.domain.artifact;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.docsgen.store.domain.InvalidValueException;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;

/**
 * The logical address of an artifact: {@code <runId>/<stage>/<name>}, where {@code name} may hold
 * sub-folders. Every segment is {@code [A-Za-z0-9._-]+} and is neither {@code .} nor {@code ..};
 * there is no empty segment, no leading {@code /}, no {@code \}, no NUL, each segment is at most
 * {@value #MAX_SEGMENT_BYTES} bytes (the portable file-name limit) and the whole path at most
 * {@value #MAX_BYTES} bytes. {@link #parse} is the one place that decides; everything else takes a
 * parsed {@code LogicalPath}. A parsed path can therefore never name a place outside the root it is
 * resolved against.
 */
public final class LogicalPath implements Comparable<LogicalPath> {
  public static final int MAX_BYTES = 512;
  public static final int MAX_SEGMENT_BYTES = 255;

  private final RunId runId;
  private final Stage stage;
  private final String name;
  private final String canonical;

  private LogicalPath(RunId runId, Stage stage, String name) {
    this.runId = runId;
    this.stage = stage;
    this.name = name;
    this.canonical = runId + "/" + stage + "/" + name;
  }

  /** Parses {@code <runId>/<stage>/<name>}; refuses anything else with a message saying why. */
  public static LogicalPath parse(String text) {
    requireNonNull(text, "path is null");
    if (text.isEmpty()) {
      throw invalid(text, "path is empty");
    }
    if (text.indexOf('\0') >= 0) {
      throw invalid(text, "path contains a NUL character");
    }
    if (text.indexOf('\\') >= 0) {
      throw invalid(text, "path contains a backslash; use '/' between segments");
    }
    if (text.startsWith("/")) {
      throw invalid(text, "path must be relative (no leading '/')");
    }
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      throw invalid(
          text,
          "path is longer than "
              + MAX_BYTES
              + " bytes ("
              + bytes
              + " bytes; a path is at most "
              + MAX_BYTES
              + " bytes in all)");
    }
    String[] segments = text.split("/", -1);
    for (String segment : segments) {
      checkSegment(text, segment);
    }
    if (segments.length < 3) {
      throw invalid(text, "path must be <runId>/<stage>/<name>");
    }
    RunId runId = part(text, "run id", () -> RunId.parse(segments[0]));
    Stage stage = part(text, "stage", () -> Stage.parse(segments[1]));
    return new LogicalPath(
        runId, stage, String.join("/", List.of(segments).subList(2, segments.length)));
  }

  /** Builds {@code <runId>/<stage>/<name>}, validating {@code name} like {@link #parse}. */
  public static LogicalPath of(RunId runId, Stage stage, String name) {
    requireNonNull(runId, "runId is null");
    requireNonNull(stage, "stage is null");
    requireNonNull(name, "name is null");
    return parse(runId + "/" + stage + "/" + name);
  }

  private static void checkSegment(String text, String segment) {
    if (segment.isEmpty()) {
      throw invalid(text, "path has an empty segment (leading, trailing or double '/')");
    }
    if (segment.equals(".") || segment.equals("..")) {
      throw invalid(text, "path segments '.' and '..' are not allowed");
    }
    if (!allAllowed(segment)) {
      int bad = segment.codePoints().filter(cp -> !isAllowed(cp)).findFirst().orElseThrow();
      throw invalid(
          text,
          "path segment '"
              + printable(segment)
              + "' has the character "
              + describe(bad)
              + " outside [A-Za-z0-9._-]"
              + hint(bad));
    }
    // the segment is ASCII by now, so its length in chars is its length in bytes
    if (segment.length() > MAX_SEGMENT_BYTES) {
      throw invalid(
          text,
          "path segment '"
              + printable(segment)
              + "' is longer than "
              + MAX_SEGMENT_BYTES
              + " bytes ("
              + segment.length()
              + " bytes; each segment is at most "
              + MAX_SEGMENT_BYTES
              + " bytes, the portable file-name limit)");
    }
  }

  /** Whether every character is one of {@code [A-Za-z0-9._-]} (a loop: this runs per request). */
  private static boolean allAllowed(String segment) {
    for (int i = 0; i < segment.length(); i++) {
      if (!isAllowed(segment.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAllowed(int cp) {
    return (cp >= 'a' && cp <= 'z')
        || (cp >= 'A' && cp <= 'Z')
        || (cp >= '0' && cp <= '9')
        || cp == '.'
        || cp == '_'
        || cp == '-';
  }

  private static String describe(int cp) {
    String shown = cp < 0x20 || cp == 0x7f ? "" : "'" + new String(Character.toChars(cp)) + "' ";
    return shown + String.format("(U+%04X)", cp);
  }

  private static String hint(int cp) {
    if (cp == '%') {
      return "; percent-encoding is not decoded here, and the characters it could encode"
          + " ('/', '.', '\\') would be refused anyway";
    }
    if (cp > 0x7f) {
      return "; only ASCII is allowed, so look-alikes of '.' or '/' cannot pass as them";
    }
    return cp == ' ' ? "; spaces are not allowed" : "";
  }

  /** Parses one part of the path, reporting its failure as a path failure. */
  private static <T> T part(String text, String what, Supplier<T> parser) {
    try {
      return parser.get();
    } catch (InvalidValueException e) {
      throw invalid(
          text,
          "path must be <runId>/<stage>/<name>; its "
              + what
              + " is wrong ("
              + e.getMessage()
              + ")");
    }
  }

  private static InvalidValueException invalid(String text, String why) {
    return new InvalidValueException("path", why + ": '" + printable(text) + "'");
  }

  private static String printable(String text) {
    String cut = text.length() > 120 ? text.substring(0, 120) + "..." : text;
    StringBuilder out = new StringBuilder(cut.length());
    cut.codePoints()
        .forEach(
            cp -> {
              if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\u%04x", cp));
              } else {
                out.appendCodePoint(cp);
              }
            });
    return out.toString();
  }

  public RunId runId() {
    return runId;
  }

  public Stage stage() {
    return stage;
  }

  /** The part after {@code <runId>/<stage>/}; may contain {@code /}. */
  public String name() {
    return name;
  }

  /** The last segment, e.g. {@code docsgen.md}. */
  public String fileName() {
    int slash = name.lastIndexOf('/');
    return slash < 0 ? name : name.substring(slash + 1);
  }

  /** All segments, run id and stage included. */
  public List<String> segments() {
    return List.of(canonical.split("/"));
  }

  @Override
  public int compareTo(LogicalPath other) {
    return canonical.compareTo(other.canonical);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogicalPath other && canonical.equals(other.canonical);
  }

  @Override
  public int hashCode() {
    return canonical.hashCode();
  }

  @Override
  public String toString() {
    return canonical;
  }
}
