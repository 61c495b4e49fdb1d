package org.docsgen.store.domain.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The diff is a correct patch (applies back exactly) and a minimal one, on random inputs. */
class UnifiedDiffPropertyTest {

  @Property(tries = 500)
  void patchAppliesBack(
      @ForAll("texts") String a,
      @ForAll("texts") String b,
      @ForAll @IntRange(max = 4) int context) {
    String patch = UnifiedDiff.between("a/x", "b/x", a, b, context);
    assertThat(PatchApplier.apply(a, patch)).isEqualTo(b);
    assertThat(patch.isEmpty()).isEqualTo(a.equals(b));
  }

  @Property(tries = 300)
  void patchOfAnEditedTextAppliesBack(@ForAll("edited") List<String> pair) {
    String patch = UnifiedDiff.between("a/x", "b/x", pair.get(0), pair.get(1), 3);
    assertThat(PatchApplier.apply(pair.get(0), patch)).isEqualTo(pair.get(1));
  }

  @Property(tries = 500)
  void editScriptIsMinimal(@ForAll("texts") String a, @ForAll("texts") String b) {
    String patch = UnifiedDiff.between("a/x", "b/x", a, b, 0);
    List<String> la = PatchApplier.splitKeepingNewlines(a);
    List<String> lb = PatchApplier.splitKeepingNewlines(b);
    long changed =
        patch.lines().skip(2).filter(l -> l.startsWith("-") || l.startsWith("+")).count();
    assertThat(changed).isEqualTo(la.size() + lb.size() - 2L * lcs(la, lb));
  }

  /** Few distinct lines, so texts share many lines; sometimes without a final newline. */
  @Provide
  Arbitrary<String> texts() {
    Arbitrary<List<String>> lines =
        Arbitraries.of("a", "b", "c", "", "d d", "a\r").list().ofMaxSize(25);
    return Combinators.combine(lines, Arbitraries.of(true, false))
        .as((l, newline) -> l.isEmpty() ? "" : String.join("\n", l) + (newline ? "\n" : ""));
  }

  /** A text and a copy with a few random line edits, like real regenerations. */
  @Provide
  Arbitrary<List<String>> edited() {
    Arbitrary<List<String>> lines =
        Arbitraries.strings().alpha().ofMaxLength(6).list().ofMinSize(0).ofMaxSize(60);
    Arbitrary<List<Integer>> edits = Arbitraries.integers().between(0, 1000).list().ofMaxSize(8);
    return Combinators.combine(lines, edits)
        .as(
            (l, e) -> {
              List<String> changed = new java.util.ArrayList<>(l);
              for (int code : e) {
                int at = changed.isEmpty() ? 0 : code % (changed.size() + 1);
                switch (code % 3) {
                  case 0 -> changed.add(at, "new" + code);
                  case 1 -> {
                    if (at < changed.size()) {
                      changed.remove(at);
                    }
                  }
                  default -> {
                    if (at < changed.size()) {
                      changed.set(at, "mod" + code);
                    }
                  }
                }
              }
              return List.of(join(l), join(changed));
            });
  }

  private static String join(List<String> lines) {
    return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
  }

  private static int lcs(List<String> a, List<String> b) {
    int[][] t = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--) {
      for (int j = b.size() - 1; j >= 0; j--) {
        t[i][j] =
            a.get(i).equals(b.get(j)) ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
      }
    }
    return t[0][0];
  }
}
