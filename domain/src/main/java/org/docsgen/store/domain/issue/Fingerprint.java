package org.docsgen.store.domain.issue;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;

/**
 * Recognises the same issue across regenerations and runs: a hash of the rule, the file's place
 * within its run ({@code <stage>/<name>}, without the run id) and the normalised message (lower
 * case, runs of digits replaced by {@code #}, whitespace collapsed), so "line 12" and "line 13"
 * after an edit above still match.
 */
public record Fingerprint(String value) {
  public Fingerprint {
    requireNonNull(value, "fingerprint is null");
    if (!value.matches("[0-9a-f]{32}")) {
      throw new IllegalArgumentException("a fingerprint is 32 lowercase hex digits");
    }
  }

  public static Fingerprint of(String rule, LogicalPath file, String message) {
    requireNonNull(rule, "rule is null");
    requireNonNull(file, "file is null");
    requireNonNull(message, "message is null");
    String material = rule + "\n" + file.stage() + "/" + file.name() + "\n" + normalise(message);
    byte[] digest = ContentHash.newDigest().digest(material.getBytes(StandardCharsets.UTF_8));
    return new Fingerprint(HexFormat.of().formatHex(digest, 0, 16));
  }

  static String normalise(String message) {
    return message
        .toLowerCase(Locale.ROOT)
        .replaceAll("[0-9]+", "#")
        .replaceAll("\\s+", " ")
        .strip();
  }

  @Override
  public String toString() {
    return value;
  }
}
