package org.docsgen.store.app.http.config;

/**
 * The configuration cannot be used. The message names the offending key (e.g. {@code server.port})
 * and says what would be accepted; the server refuses to start.
 */
public final class ConfigException extends RuntimeException {
  private final String key;

  public ConfigException(String key, String message) {
    super(key + ": " + message);
    this.key = key;
  }

  /** The configuration key at fault, as written in docsgen.yaml (e.g. {@code auth.tokens[0]}). */
  public String key() {
    return key;
  }
}
