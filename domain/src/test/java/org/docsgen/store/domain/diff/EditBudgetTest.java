package org.docsgen.store.domain.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The edit budget: a count of search work, so the same inputs always give the same outcome. */
class EditBudgetTest {

  /** Random lines of "a" and "b": many matches and a long edit script, Myers' worst case. */
  static String randomAb(long seed, int lines) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder(2 * lines);
    for (int i = 0; i < lines; i++) {
      text.append(random.nextBoolean() ? "a\n" : "b\n");
    }
    return text.toString();
  }

  private static Optional<String> within(String a, String b, EditBudget budget) {
    return UnifiedDiff.within("a/x", "b/x", a, b, 3, budget);
  }

  @Test
  void theWorstCaseStopsAtTheBudgetAndChargesIt() {
    String a = randomAb(1, 20_000);
    String b = randomAb(2, 20_000);
    EditBudget budget = EditBudget.of(1_000_000);
    assertThat(within(a, b, budget)).isEmpty();
    assertThat(budget.spent()).isEqualTo(1_000_000);
    assertThat(budget.remaining()).isZero();
  }

  @Test
  void theOutcomeDependsOnlyOnTheInputsAndTheBudget() {
    String a = randomAb(3, 2_000);
    String b = randomAb(4, 2_000);
    EditBudget unlimited = EditBudget.unlimited();
    String full = within(a, b, unlimited).orElseThrow();
    long needed = unlimited.spent();
    assertThat(full).isEqualTo(UnifiedDiff.between("a/x", "b/x", a, b, 3));

    EditBudget exact = EditBudget.of(needed);
    assertThat(within(a, b, exact)).contains(full);
    assertThat(exact.spent()).isEqualTo(needed);
    // the check runs once per D step, so "too little" is well below what was needed
    for (int round = 0; round < 3; round++) {
      assertThat(within(a, b, EditBudget.of(needed / 2))).isEmpty();
    }
  }

  @Test
  void ordinaryEditsOfALargeTextNeedLittle() {
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      String line = i % 3 == 0 ? "\n" : "line " + i + " of the guide\n";
      a.append(line);
      b.append(i % 50 == 0 ? "changed " + i + "\n" : line);
    }
    EditBudget budget = EditBudget.of(DiffLimits.DEFAULT_EDIT_BUDGET_PER_PAIR);
    assertThat(within(a.toString(), b.toString(), budget)).isPresent();
    assertThat(budget.spent()).isLessThan(DiffLimits.DEFAULT_EDIT_BUDGET_PER_PAIR / 10);
  }

  @Test
  void equalTextsCostNothing() {
    EditBudget none = EditBudget.of(0);
    assertThat(within("x\n", "x\n", none)).contains("");
    assertThat(none.spent()).isZero();
  }

  @Test
  void aNegativeBudgetIsRefused() {
    assertThatThrownBy(() -> EditBudget.of(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
