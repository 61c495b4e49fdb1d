package org.docsgen.store.domain.run;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.domain.InvalidValueException;

/**
 * A stage of a run: {@code phase<N>} (N >= 0, no leading zeros) or {@code final}. Stages order by
 * phase number, with {@code final} last.
 */
public record Stage(String name) implements Comparable<Stage> {
  public static final Stage FINAL = new Stage("final");

  public Stage {
    requireNonNull(name, "stage is null");
    if (!name.equals("final") && !isPhase(name)) {
      throw new InvalidValueException(
          "stage",
          "stage must be 'phase<N>' (N >= 0, no leading zeros) or 'final', was '"
              + RunId.printable(name)
              + "'");
    }
  }

  /**
   * {@code phase(0|[1-9][0-9]{0,5})}, checked by hand (every request path and manifest row holds a
   * stage; StageTest holds the expression as the oracle).
   */
  private static boolean isPhase(String name) {
    int length = name.length();
    if (length < 6 || length > 11 || !name.startsWith("phase")) {
      return false;
    }
    if (name.charAt(5) == '0') {
      return length == 6;
    }
    for (int i = 5; i < length; i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  public static Stage parse(String text) {
    return new Stage(text);
  }

  public static Stage phase(int number) {
    if (number < 0) {
      throw new InvalidValueException("stage", "phase number must be >= 0, was " + number);
    }
    return new Stage("phase" + number);
  }

  public boolean isFinal() {
    return name.equals("final");
  }

  /** The phase number, or {@code Integer.MAX_VALUE} for {@code final}. */
  public int order() {
    return isFinal() ? Integer.MAX_VALUE : Integer.parseInt(name.substring("phase".length()));
  }

  @Override
  public int compareTo(Stage other) {
    return Integer.compare(order(), other.order());
  }

  @Override
  public String toString() {
    return name;
  }
}
