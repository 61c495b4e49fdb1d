package org.docsgen.store.ports.bundle;

/**
 * Reads JSON text into a plain tree, for the places that must read what a signed JSON document says
 * (the bundle attestation's in-toto Statement) rather than match its text. The ports hold no JSON
 * library (layering rule); the application supplies one (app-http: Jackson).
 */
@FunctionalInterface
public interface JsonParser {

  /**
   * The one JSON value of {@code text}: an object is a {@code Map<String, Object>} (keys in text
   * order), an array a {@code List<Object>}, a string a {@link String}, a number a {@link Number}
   * (integers as {@link Integer}, {@link Long} or {@link java.math.BigInteger}), a boolean a {@link
   * Boolean}, {@code null} {@code null}.
   *
   * @throws IllegalArgumentException when {@code text} is not exactly one JSON value, or an object
   *     in it repeats a key
   */
  Object parse(String text);
}
