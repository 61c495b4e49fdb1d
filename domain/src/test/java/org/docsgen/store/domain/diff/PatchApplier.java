package org.docsgen.store.domain.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict, tiny unified-diff applier for tests: it checks every context and removed line against
 * the original, every hunk header count, that hunks are in order and do not overlap, and that the
 * new-file line numbers in the headers are right. Any mismatch is an {@link AssertionError}.
 */
final class PatchApplier {
  private static final Pattern HEADER =
      Pattern.compile("@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@");

  private PatchApplier() {}

  static String apply(String original, String patch) {
    if (patch.isEmpty()) {
      return original;
    }
    check(patch.endsWith("\n"), "a patch ends with a newline");
    List<String> src = splitKeepingNewlines(original);
    String[] lines = patch.substring(0, patch.length() - 1).split("\n", -1);
    check(lines[0].startsWith("--- ") && lines[1].startsWith("+++ "), "file headers first");
    List<String> out = new ArrayList<>();
    int pos = 0;
    int i = 2;
    check(i < lines.length, "at least one hunk");
    while (i < lines.length) {
      Matcher h = HEADER.matcher(lines[i]);
      check(h.matches(), "hunk header expected, got " + lines[i]);
      int countA = count(h.group(2));
      int countB = count(h.group(4));
      int startA = start(Integer.parseInt(h.group(1)), countA);
      int startB = start(Integer.parseInt(h.group(3)), countB);
      check(startA >= pos, "hunks are in order and do not overlap");
      out.addAll(src.subList(pos, startA));
      pos = startA;
      check(startB == out.size(), "new-file start " + startB + " != " + out.size());
      int seenA = 0;
      int seenB = 0;
      for (i++; i < lines.length && !lines[i].startsWith("@@"); i++) {
        String body = lines[i];
        check(!body.isEmpty(), "hunk lines carry an op character");
        String text = body.substring(1);
        if (i + 1 < lines.length && lines[i + 1].equals(UnifiedDiff.NO_NEWLINE)) {
          i++;
        } else {
          text += "\n";
        }
        char op = body.charAt(0);
        if (op == ' ' || op == '-') {
          check(pos < src.size() && src.get(pos).equals(text), "line " + (pos + 1) + " matches");
          pos++;
          seenA++;
        }
        if (op == ' ' || op == '+') {
          out.add(text);
          seenB++;
        }
        check(op == ' ' || op == '-' || op == '+', "op is ' ', '-' or '+': " + body);
      }
      check(seenA == countA && seenB == countB, "hunk counts match the header");
    }
    out.addAll(src.subList(pos, src.size()));
    return String.join("", out);
  }

  static List<String> splitKeepingNewlines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  private static int count(String group) {
    return group == null ? 1 : Integer.parseInt(group);
  }

  private static int start(int headerStart, int count) {
    return count == 0 ? headerStart : headerStart - 1;
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError("bad patch: " + what);
    }
  }
}
