package org.docsgen.store.domain.run;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;
import org.docsgen.store.domain.InvalidValueException;

/**
 * A stage of a run: {@code phase<N>} (N >= 0, no leading zeros) or {@code final}. Stages order by
 * phase number, with {@code final} last.
 */
public record Stage(String name) implements Comparable<Stage> {
  private static final Pattern PHASE = Pattern.compile("phase(0|[1-9][0-9]{0,5})");
  public static final Stage FINAL = new Stage("final");

  public Stage {
    requireNonNull(name, "stage is null");
    if (!name.equals("final") && !PHASE.matcher(name).matches()) {
      throw new InvalidValueException(
          "stage",
          "stage must be 'phase<N>' (N >= 0, no leading zeros) or 'final', was '"
              + RunId.printable(name)
              + "'");
    }
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
