package org.docsgen.store.adapters.jdbc;

import java.util.Map;

/**
 * The two databases the adapter speaks. The schema is one set of portable migrations; the few
 * spellings that differ are Flyway placeholders ({@code ${key_text}}, {@code ${blob_type}}) and one
 * vendor folder per database holding the same versions (triggers).
 */
enum Dialect {
  SQLITE("sqlite", "TEXT", "BLOB"),
  // "C" collation: keys sort by bytes, as Java's String.compareTo does for our ASCII keys,
  // whatever locale the PostgreSQL cluster was initialised with.
  POSTGRESQL("postgresql", "TEXT COLLATE \"C\"", "BYTEA");

  private final String name;
  private final String keyText;
  private final String blobType;

  Dialect(String name, String keyText, String blobType) {
    this.name = name;
    this.keyText = keyText;
    this.blobType = blobType;
  }

  static Dialect of(JdbcSettings settings) {
    return settings.isSqlite() ? SQLITE : POSTGRESQL;
  }

  /** {@code sqlite} or {@code postgresql}: backend name in health and errors, migration folder. */
  String label() {
    return name;
  }

  Map<String, String> placeholders() {
    return Map.of("key_text", keyText, "blob_type", blobType);
  }
}
