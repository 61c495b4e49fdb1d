package org.docsgen.store.ports.bundle;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * What a bundle attestation's in-toto Statement says, read as JSON (never matched as text): its
 * {@code _type}, {@code predicateType}, {@code predicate.runId} and {@code subject} list. A field
 * that is absent or of another JSON type reads as {@code null}.
 */
public final class InTotoStatement {
  /** The {@code _type} of an in-toto Statement v1. */
  public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";

  /** The {@code predicateType} of a DocsGen bundle attestation. */
  public static final String PREDICATE_TYPE = "urn:docsgen:bundle-attestation:v1";

  private final Map<?, ?> json;

  private InTotoStatement(Map<?, ?> json) {
    this.json = json;
  }

  /**
   * Parses {@code text}; {@code null} when it is not one JSON object.
   *
   * @param parser the application's JSON reader
   */
  public static InTotoStatement parse(JsonParser parser, String text) {
    requireNonNull(parser, "parser is null");
    requireNonNull(text, "text is null");
    try {
      return parser.parse(text) instanceof Map<?, ?> object ? new InTotoStatement(object) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** {@code _type}. */
  public String type() {
    return string(json.get("_type"));
  }

  /** {@code predicateType}. */
  public String predicateType() {
    return string(json.get("predicateType"));
  }

  /** {@code predicate.runId}. */
  public String runId() {
    return json.get("predicate") instanceof Map<?, ?> predicate
        ? string(predicate.get("runId"))
        : null;
  }

  /**
   * {@code subject} as parsed: a list of objects (each {@code name} and {@code digest.sha256} in a
   * statement of ours), or {@code null} when it is not a list.
   */
  public java.util.List<?> subjects() {
    return json.get("subject") instanceof java.util.List<?> list ? list : null;
  }

  private static String string(Object value) {
    return value instanceof String s ? s : null;
  }
}
