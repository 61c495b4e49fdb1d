package org.docsgen.store.domain.run;

import static java.util.Objects.requireNonNull;

import java.time.DateTimeException;
import java.time.LocalDate;
import org.docsgen.store.domain.InvalidValueException;

/**
 * Identifies a run: {@code run_YYYY_MM_DD_NNNN}, the creation date plus a per-day sequence number
 * (1-based, at least four digits) allocated atomically by the manifest store.
 */
public record RunId(LocalDate date, int sequence) implements Comparable<RunId> {
  /** The highest sequence the canonical form can write (nine digits). */
  public static final int MAX_SEQUENCE = 999_999_999;

  public RunId {
    requireNonNull(date, "date is null");
    if (sequence < 1 || sequence > MAX_SEQUENCE) {
      throw new InvalidValueException(
          "runId", "run sequence must be 1.." + MAX_SEQUENCE + ", was " + sequence);
    }
    if (date.getYear() < 1000 || date.getYear() > 9999) {
      throw new InvalidValueException("runId", "run year must have four digits, was " + date);
    }
  }

  public static RunId of(LocalDate date, int sequence) {
    return new RunId(date, sequence);
  }

  /**
   * Parses the canonical form; anything else is an {@link InvalidValueException}. Read by hand, not
   * with a regular expression: every request path and every manifest row holds a run id, and the
   * matcher, its groups and the round trip through {@link #toString} were the dearest part of
   * parsing a path (RunIdTest holds the expression as the oracle this must agree with).
   */
  public static RunId parse(String text) {
    requireNonNull(text, "runId is null");
    int length = text.length();
    // run_YYYY_MM_DD_N{4,9}: 19 to 24 characters
    if (length < 19
        || length > 24
        || !text.startsWith("run_")
        || text.charAt(8) != '_'
        || text.charAt(11) != '_'
        || text.charAt(14) != '_'
        || !asciiDigits(text, 4, 8)
        || !asciiDigits(text, 9, 11)
        || !asciiDigits(text, 12, 14)
        || !asciiDigits(text, 15, length)) {
      throw new InvalidValueException(
          "runId", "run id must look like run_YYYY_MM_DD_NNNN, was '" + printable(text) + "'");
    }
    LocalDate date;
    try {
      date = LocalDate.of(number(text, 4, 8), number(text, 9, 11), number(text, 12, 14));
    } catch (DateTimeException e) {
      throw new InvalidValueException("runId", "run id has an impossible date: '" + text + "'");
    }
    RunId id = new RunId(date, number(text, 15, length));
    if (length > 19 && text.charAt(15) == '0') {
      // more than four digits with a leading zero: toString() would write it shorter
      throw new InvalidValueException(
          "runId", "run id is not in canonical form: '" + text + "', expected '" + id + "'");
    }
    return id;
  }

  /** True when {@code text[from, to)} is all ASCII digits (what {@code \d} matches). */
  private static boolean asciiDigits(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** The value of the ASCII digits {@code text[from, to)}, at most nine of them. */
  private static int number(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      value = value * 10 + (text.charAt(i) - '0');
    }
    return value;
  }

  static String printable(String text) {
    String cut = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  @Override
  public int compareTo(RunId other) {
    int byDate = date.compareTo(other.date);
    return byDate != 0 ? byDate : Integer.compare(sequence, other.sequence);
  }

  /** {@code run_YYYY_MM_DD_NNNN}; built by hand, not with a format string (every request asks). */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(20).append("run_");
    zeroPadded(text, date.getYear(), 4).append('_');
    zeroPadded(text, date.getMonthValue(), 2).append('_');
    zeroPadded(text, date.getDayOfMonth(), 2).append('_');
    return zeroPadded(text, sequence, 4).toString();
  }

  private static StringBuilder zeroPadded(StringBuilder text, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      text.append('0');
    }
    return text.append(digits);
  }
}
