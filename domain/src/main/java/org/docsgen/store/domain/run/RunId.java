package org.docsgen.store.domain.run;

import static java.util.Objects.requireNonNull;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.docsgen.store.domain.InvalidValueException;

/**
 * Identifies a run: {@code run_YYYY_MM_DD_NNNN}, the creation date plus a per-day sequence number
 * (1-based, at least four digits) allocated atomically by the manifest store.
 */
public record RunId(LocalDate date, int sequence) implements Comparable<RunId> {
  /** The highest sequence the canonical form can write (nine digits). */
  public static final int MAX_SEQUENCE = 999_999_999;

  private static final Pattern FORMAT =
      Pattern.compile("run_(\\d{4})_(\\d{2})_(\\d{2})_(\\d{4,9})");

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

  /** Parses the canonical form; anything else is an {@link InvalidValueException}. */
  public static RunId parse(String text) {
    requireNonNull(text, "runId is null");
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      throw new InvalidValueException(
          "runId", "run id must look like run_YYYY_MM_DD_NNNN, was '" + printable(text) + "'");
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
