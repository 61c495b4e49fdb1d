package org.docsgen.store.domain.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.docsgen.store.domain.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunIdTest {

  @Test
  void parsesTheCanonicalForm() {
    RunId id = RunId.parse("run_2026_03_04_0012");
    assertThat(id.date()).isEqualTo(LocalDate.of(2026, 3, 4));
    assertThat(id.sequence()).isEqualTo(12);
    assertThat(id).hasToString("run_2026_03_04_0012");
  }

  @Test
  void sequencesGrowBeyondFourDigits() {
    assertThat(RunId.of(LocalDate.of(2026, 1, 1), 123_456)).hasToString("run_2026_01_01_123456");
    assertThat(RunId.parse("run_2026_01_01_123456").sequence()).isEqualTo(123_456);
  }

  @Test
  void theLargestSequenceRoundTripsAndOneMoreIsRefused() {
    RunId max = RunId.of(LocalDate.of(2026, 1, 1), RunId.MAX_SEQUENCE);
    assertThat(RunId.parse(max.toString())).isEqualTo(max);
    // regression: 1_000_000_000 used to be accepted but its toString() could not be parsed back
    assertThatThrownBy(() -> RunId.of(LocalDate.of(2026, 1, 1), RunId.MAX_SEQUENCE + 1))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("999999999");
    assertThatThrownBy(() -> RunId.of(LocalDate.of(2026, 1, 1), 0))
        .isInstanceOf(InvalidValueException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "run_2026_1_04_0001",
        "run_2026_01_04_001",
        "RUN_2026_01_04_0001",
        "run_2026_01_04_0001 ",
        "run_2026_01_04_0001/x",
        "run_2026_01_04_1234567890",
        "run_2026_01_04_\u0661\u0662\u0663\u0664",
        ""
      })
  void refusesOtherShapes(String text) {
    assertThatThrownBy(() -> RunId.parse(text))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("run_YYYY_MM_DD_NNNN");
  }

  @Test
  void refusesImpossibleDatesAndNonCanonicalForms() {
    assertThatThrownBy(() -> RunId.parse("run_2026_02_30_0001"))
        .hasMessageContaining("impossible date");
    assertThatThrownBy(() -> RunId.parse("run_2026_01_04_00001"))
        .hasMessageContaining("canonical")
        .hasMessageContaining("run_2026_01_04_0001");
    assertThatThrownBy(() -> RunId.parse("run_0999_01_04_0001"))
        .hasMessageContaining("four digits");
  }

  @Test
  void controlCharactersAreNotEchoed() {
    assertThatThrownBy(() -> RunId.parse("run\u0007x")).hasMessageNotContaining("\u0007");
  }

  @Test
  void ordersByDateThenSequence() {
    RunId a = RunId.parse("run_2026_01_01_0009");
    RunId b = RunId.parse("run_2026_01_01_0010");
    RunId c = RunId.parse("run_2026_01_02_0001");
    assertThat(a).isLessThan(b);
    assertThat(b).isLessThan(c);
  }

  @Property(tries = 300)
  void everyRunIdRoundTrips(
      @ForAll @IntRange(min = 1000, max = 9999) int year,
      @ForAll @IntRange(min = 1, max = 365) int day,
      @ForAll @IntRange(min = 1, max = RunId.MAX_SEQUENCE) int sequence) {
    RunId id = RunId.of(LocalDate.ofYearDay(year, day), sequence);
    assertThat(RunId.parse(id.toString())).isEqualTo(id);
  }

  /**
   * The parser by hand agrees with the regular expression it replaced, on valid ids and on every
   * one-character edit of them: same id, or the same refusal with the same message.
   */
  @Test
  void agreesWithTheRegularExpressionItReplaced() {
    List<String> seeds =
        List.of(
            "run_2026_12_07_0042",
            "run_2024_02_29_123456789",
            "run_1000_01_01_0001",
            "run_9999_12_31_99999",
            "run_2026_01_01_0000");
    String alphabet = "0159_ar-x \u0663\uff11\u0000";
    Set<String> inputs = new LinkedHashSet<>(seeds);
    for (String seed : seeds) {
      for (int i = 0; i <= seed.length(); i++) {
        for (char c : alphabet.toCharArray()) {
          inputs.add(seed.substring(0, i) + c + seed.substring(i)); // inserted
          if (i < seed.length()) {
            inputs.add(seed.substring(0, i) + c + seed.substring(i + 1)); // replaced
          }
        }
        if (i < seed.length()) {
          inputs.add(seed.substring(0, i) + seed.substring(i + 1)); // deleted
        }
      }
    }
    int accepted = 0;
    for (String text : inputs) {
      String expected = outcome(() -> regexParse(text));
      assertThat(outcome(() -> RunId.parse(text))).as(text).isEqualTo(expected);
      accepted += expected.startsWith("id ") ? 1 : 0;
    }
    assertThat(accepted).as("valid ids among the inputs").isGreaterThan(20);
  }

  private static String outcome(java.util.function.Supplier<RunId> parse) {
    try {
      RunId id = parse.get();
      return "id " + id.date() + " " + id.sequence();
    } catch (InvalidValueException e) {
      return "refused: " + e.getMessage();
    }
  }

  private static final Pattern FORMAT =
      Pattern.compile("run_(\\d{4})_(\\d{2})_(\\d{2})_(\\d{4,9})");

  /** RunId.parse as it was, with a regular expression: the oracle. */
  private static RunId regexParse(String text) {
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      throw new InvalidValueException(
          "runId",
          "run id must look like run_YYYY_MM_DD_NNNN, was '" + RunId.printable(text) + "'");
    }
    LocalDate date;
    try {
      date =
          LocalDate.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)));
    } catch (DateTimeException e) {
      throw new InvalidValueException("runId", "run id has an impossible date: '" + text + "'");
    }
    RunId id = new RunId(date, Integer.parseInt(m.group(4)));
    if (!id.toString().equals(text)) {
      throw new InvalidValueException(
          "runId", "run id is not in canonical form: '" + text + "', expected '" + id + "'");
    }
    return id;
  }
}
