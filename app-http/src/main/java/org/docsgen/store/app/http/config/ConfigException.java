package org.docsgen.store.app.http.config;

/**
 * The configuration cannot be used. The message names the offending key (e.g. {@code server.port})
 * and says what would be accepted; the server refuses to start.
 */
public final class ConfigException extends RuntimeException {
  private final String key;
  private final String detail;

  public ConfigException(String key, String message) {
    super(key.isEmpty() ? message : key + ": " + message);
    this.key = key;
    this.detail = message;
  }

  /** The configuration key at fault, as written in docsgen.yaml (e.g. {@code auth.tokens[0]}). */
  public String key() {
    return key;
  }

  /**
   * The same failure of a value found at {@code path}: a section's check names its key relative to
   * the section ({@code port}), a value's own check names none.
   */
  ConfigException at(String path) {
    return new ConfigException(
        key.isEmpty() ? path : path.isEmpty() ? key : path + "." + key, detail);
  }
}
