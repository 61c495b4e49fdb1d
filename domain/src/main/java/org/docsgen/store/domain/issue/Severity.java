package org.docsgen.store.domain.issue;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import org.docsgen.store.domain.InvalidValueException;

/** How bad a validation issue is. An {@code ERROR} against the final attempt fails the gate. */
public enum Severity {
  ERROR,
  WARNING,
  INFO;

  public static Severity parse(String text) {
    requireNonNull(text, "severity is null");
    for (Severity s : values()) {
      if (s.name().equals(text)) {
        return s;
      }
    }
    throw new InvalidValueException(
        "severity",
        "unknown severity '" + text + "'; expected one of " + Arrays.toString(values()));
  }
}
