package org.docsgen.store.domain.artifact;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import org.docsgen.store.domain.InvalidValueException;

/** What an artifact is. Only {@code DOCUMENTATION} artifacts enter a bundle. */
public enum ArtifactType {
  /** A core documentation file. */
  DOCUMENTATION,
  VALIDATION_REPORT,
  PLAN,
  /** The deliverable zip; never overwritten. */
  BUNDLE,
  OTHER;

  /** Parses the exact upper-case name; an unknown name is refused listing the known ones. */
  public static ArtifactType parse(String text) {
    requireNonNull(text, "type is null");
    for (ArtifactType type : values()) {
      if (type.name().equals(text)) {
        return type;
      }
    }
    throw new InvalidValueException(
        "type",
        "unknown artifact type '"
            + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
            + "'; expected one of "
            + Arrays.toString(values()));
  }
}
