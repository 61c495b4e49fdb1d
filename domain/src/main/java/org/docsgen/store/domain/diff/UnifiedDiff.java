package org.docsgen.store.domain.diff;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Line-based unified diff in the classic {@code ---}/{@code +++}/{@code @@} format that {@code
 * patch} and {@code git apply} read. Lines are split after each {@code \n} (a {@code \r} stays part
 * of its line); a last line without a newline is followed by {@code \ No newline at end of file}.
 * The edit script is a minimal one (Myers' O(ND) algorithm in linear space). Its cost grows with
 * the size of the texts times the number of edits, so {@link #within} bounds the search by an
 * {@link EditBudget}; {@link #between} is for callers that bound the input themselves.
 */
public final class UnifiedDiff {
  /** The marker after a line that has no newline at the end of its file. */
  public static final String NO_NEWLINE = "\\ No newline at end of file";

  private UnifiedDiff() {}

  /**
   * The unified diff turning {@code a} into {@code b}, with {@code context} unchanged lines around
   * each change (hunks closer than {@code 2 * context} lines merge). Empty when {@code a} equals
   * {@code b}. Hunk ranges follow GNU diff: {@code -start,count}, the count omitted when 1, and an
   * empty range names the line before it ({@code -0,0} for an empty file).
   *
   * @throws IllegalArgumentException when {@code context} is negative
   */
  public static String between(String fromName, String toName, String a, String b, int context) {
    return within(fromName, toName, a, b, context, EditBudget.unlimited()).orElseThrow();
  }

  /**
   * Like {@link #between}, but empty when finding the edit script would take more than {@code
   * budget} allows; the work done is charged to {@code budget} either way. The outcome depends only
   * on the inputs and the budget, never on timing.
   *
   * @throws IllegalArgumentException when {@code context} is negative
   */
  public static Optional<String> within(
      String fromName, String toName, String a, String b, int context, EditBudget budget) {
    requireNonNull(budget, "budget is null");
    requireNonNull(fromName, "fromName is null");
    requireNonNull(toName, "toName is null");
    requireNonNull(a, "a is null");
    requireNonNull(b, "b is null");
    if (context < 0) {
      throw new IllegalArgumentException("context must be >= 0, was " + context);
    }
    if (a.equals(b)) {
      return Optional.of("");
    }
    List<String> linesA = lines(a);
    List<String> linesB = lines(b);
    LineDiff search = new LineDiff(linesA, linesB, budget.remaining());
    List<Edit> script;
    try {
      script = search.script();
    } catch (OverBudget e) {
      return Optional.empty();
    } finally {
      budget.spend(search.work);
    }
    StringBuilder out = new StringBuilder();
    out.append("--- ").append(fromName).append('\n');
    out.append("+++ ").append(toName).append('\n');
    for (List<Edit> hunk : hunks(script, context)) {
      appendHunk(out, hunk, linesA, linesB);
    }
    return Optional.of(out.toString());
  }

  /** Thrown inside the search when its budget runs out; never escapes this class. */
  private static final class OverBudget extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OverBudget() {
      super(null, null, false, false);
    }
  }

  /** Splits after each {@code \n}; each element keeps its newline, the last one may lack it. */
  static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
      lines.add(text.substring(start, i + 1));
      start = i + 1;
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  /** One step of the edit script: {@code op} is ' ', '-' or '+'; indexes into a and b. */
  record Edit(char op, int a, int b) {}

  private static List<List<Edit>> hunks(List<Edit> script, int context) {
    List<List<Edit>> hunks = new ArrayList<>();
    int i = 0;
    while (i < script.size()) {
      int firstChange = nextChange(script, i);
      if (firstChange < 0) {
        break;
      }
      int start = Math.max(i, firstChange - context);
      int end = hunkEnd(script, firstChange, context);
      hunks.add(script.subList(start, end));
      i = end;
    }
    return hunks;
  }

  /** End (exclusive) of the hunk whose first change is at {@code from}. */
  private static int hunkEnd(List<Edit> script, int from, int context) {
    int lastChange = from;
    int j = from + 1;
    while (j < script.size()) {
      if (script.get(j).op() != ' ') {
        lastChange = j;
      } else if (j - lastChange > 2 * context) {
        break;
      }
      j++;
    }
    return Math.min(script.size(), lastChange + 1 + context);
  }

  private static int nextChange(List<Edit> script, int from) {
    for (int j = from; j < script.size(); j++) {
      if (script.get(j).op() != ' ') {
        return j;
      }
    }
    return -1;
  }

  private static void appendHunk(
      StringBuilder out, List<Edit> hunk, List<String> linesA, List<String> linesB) {
    int countA = 0;
    int countB = 0;
    for (Edit edit : hunk) {
      countA += edit.op() != '+' ? 1 : 0;
      countB += edit.op() != '-' ? 1 : 0;
    }
    Edit first = hunk.get(0);
    out.append("@@ -")
        .append(range(first.a(), countA))
        .append(" +")
        .append(range(first.b(), countB))
        .append(" @@\n");
    for (Edit edit : hunk) {
      String line = edit.op() == '+' ? linesB.get(edit.b()) : linesA.get(edit.a());
      out.append(edit.op()).append(line);
      if (!line.endsWith("\n")) {
        out.append('\n').append(NO_NEWLINE).append('\n');
      }
    }
  }

  /** GNU range: 1-based start, count omitted when 1; an empty range names the line before it. */
  private static String range(int start0, int count) {
    if (count == 0) {
      return start0 + ",0";
    }
    return count == 1 ? String.valueOf(start0 + 1) : (start0 + 1) + "," + count;
  }

  /**
   * Myers' linear-space diff over interned lines, marking which lines of a and b changed. Lines
   * that occur only on one side cannot be part of any common subsequence: they are marked changed
   * up front and left out of the search (which keeps the edit minimal and makes a complete rewrite
   * cost linear time instead of O(N * D)).
   *
   * <p>{@link #work} counts one unit per line read, per diagonal visited and per matching line
   * followed (in the snakes and in the common prefixes and suffixes); past {@code limit} the search
   * stops with {@link OverBudget}. The count is checked once per D step, so it overshoots by at
   * most one step.
   */
  private static final class LineDiff {
    private final int[] allA;
    private final int[] allB;
    private final boolean[] changedA;
    private final boolean[] changedB;
    private final int[] keptA;
    private final int[] keptB;
    private final int[] a;
    private final int[] b;
    private final int[] forward;
    private final int[] backward;
    private final long limit;
    long work;

    LineDiff(List<String> linesA, List<String> linesB, long limit) {
      this.limit = limit;
      this.work = linesA.size() + linesB.size();
      Map<String, Integer> ids = new HashMap<>();
      this.allA = intern(linesA, ids);
      this.allB = intern(linesB, ids);
      this.changedA = new boolean[allA.length];
      this.changedB = new boolean[allB.length];
      this.keptA = keep(allA, allB, ids.size());
      this.keptB = keep(allB, allA, ids.size());
      this.a = select(allA, keptA);
      this.b = select(allB, keptB);
      int size = 2 * (a.length + b.length) + 3;
      this.forward = new int[size];
      this.backward = new int[size];
    }

    private static int[] intern(List<String> lines, Map<String, Integer> ids) {
      int[] out = new int[lines.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = ids.computeIfAbsent(lines.get(i), k -> ids.size());
      }
      return out;
    }

    /** Indexes of the lines of {@code side} that also occur in {@code other}. */
    private static int[] keep(int[] side, int[] other, int distinct) {
      boolean[] inOther = new boolean[distinct];
      for (int id : other) {
        inOther[id] = true;
      }
      return IntStream.range(0, side.length).filter(i -> inOther[side[i]]).toArray();
    }

    private static int[] select(int[] all, int[] kept) {
      int[] out = new int[kept.length];
      for (int k = 0; k < kept.length; k++) {
        out[k] = all[kept[k]];
      }
      return out;
    }

    List<Edit> script() {
      Arrays.fill(changedA, true);
      Arrays.fill(changedB, true);
      for (int k : keptA) {
        changedA[k] = false;
      }
      for (int k : keptB) {
        changedB[k] = false;
      }
      compare(0, a.length, 0, b.length);
      List<Edit> script = new ArrayList<>(allA.length + allB.length);
      int i = 0;
      int j = 0;
      while (i < allA.length || j < allB.length) {
        if (i < allA.length && changedA[i]) {
          script.add(new Edit('-', i++, j));
        } else if (j < allB.length && changedB[j]) {
          script.add(new Edit('+', i, j++));
        } else {
          script.add(new Edit(' ', i++, j++));
        }
      }
      return script;
    }

    private void compare(int aLo, int aHi, int bLo, int bHi) {
      int start = aLo;
      while (aLo < aHi && bLo < bHi && a[aLo] == b[bLo]) {
        aLo++;
        bLo++;
      }
      int end = aHi;
      while (aLo < aHi && bLo < bHi && a[aHi - 1] == b[bHi - 1]) {
        aHi--;
        bHi--;
      }
      work += 1 + (aLo - start) + (end - aHi);
      if (aLo == aHi || bLo == bHi) {
        mark(changedA, keptA, aLo, aHi);
        mark(changedB, keptB, bLo, bHi);
        return;
      }
      long split = middle(aLo, aHi, bLo, bHi);
      int x = (int) (split >>> 32);
      int y = (int) split;
      compare(aLo, x, bLo, y);
      compare(x, aHi, y, bHi);
    }

    /** Marks the kept lines {@code from..to} (indexes into the search arrays) as changed. */
    private static void mark(boolean[] changed, int[] kept, int from, int to) {
      for (int k = from; k < to; k++) {
        changed[kept[k]] = true;
      }
    }

    /**
     * A point (x, y) on a shortest edit path of the sub-problem, found where the forward and the
     * backward D-paths overlap; packed as {@code x << 32 | y}. Never the sub-problem's start or end
     * (the caller strips common prefixes and suffixes first), so recursion always shrinks.
     */
    private long middle(int aLo, int aHi, int bLo, int bHi) {
      int n = aHi - aLo;
      int m = bHi - bLo;
      int delta = n - m;
      boolean odd = (delta & 1) != 0;
      int offset = n + m + 1;
      forward[offset + 1] = 0;
      backward[offset + 1] = 0;
      int max = (n + m + 1) / 2;
      for (int d = 0; d <= max; d++) {
        charge();
        for (int k = -d; k <= d; k += 2) {
          int x = next(forward, offset, k, d);
          int y = x - k;
          int x0 = x;
          while (x < n && y < m && a[aLo + x] == b[bLo + y]) {
            x++;
            y++;
          }
          work += 1 + x - x0;
          forward[offset + k] = x;
          int kb = delta - k;
          if (odd && kb >= -(d - 1) && kb <= d - 1 && x + backward[offset + kb] >= n) {
            return pack(aLo + x, bLo + y);
          }
        }
        for (int k = -d; k <= d; k += 2) {
          int x = next(backward, offset, k, d);
          int y = x - k;
          int x0 = x;
          while (x < n && y < m && a[aHi - 1 - x] == b[bHi - 1 - y]) {
            x++;
            y++;
          }
          work += 1 + x - x0;
          backward[offset + k] = x;
          int kf = delta - k;
          if (!odd && kf >= -d && kf <= d && x + forward[offset + kf] >= n) {
            int fx = forward[offset + kf];
            return pack(aLo + fx, bLo + fx - kf);
          }
        }
      }
      throw new IllegalStateException("no middle snake found (cannot happen)");
    }

    private void charge() {
      if (work > limit) {
        throw new OverBudget();
      }
    }

    private static int next(int[] v, int offset, int k, int d) {
      return k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])
          ? v[offset + k + 1]
          : v[offset + k - 1] + 1;
    }

    private static long pack(int x, int y) {
      return ((long) x << 32) | (y & 0xffffffffL);
    }
  }
}
