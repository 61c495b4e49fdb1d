package org.docsgen.store.adapters.jdbc;

import static java.util.Objects.requireNonNull;
import static java.util.regex.Pattern.DOTALL;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the manifest (and, when {@code artifactsInDatabase}, the artifact bytes) live: a JDBC URL
 * of SQLite ({@code jdbc:sqlite:<file>}) or PostgreSQL ({@code jdbc:postgresql://...}), the
 * credentials (empty or null = none, e.g. SQLite, or credentials carried in the URL), and the
 * connection pool size ({@code maxPoolSize} PostgreSQL connections; on SQLite the number of reader
 * connections beside the one writer connection).
 *
 * <p>For SQLite the adapter adds {@code journal_mode=WAL}, {@code synchronous=FULL}, {@code
 * busy_timeout=5000} and {@code foreign_keys=true} to the URL unless it sets them, and creates the
 * file's parent directory. In-memory SQLite is refused: every connection would see its own empty
 * database.
 */
public record JdbcSettings(
    String url, String user, String password, int maxPoolSize, boolean artifactsInDatabase) {
  public static final int DEFAULT_POOL_SIZE = 8;
  private static final Pattern SQLITE_URL = Pattern.compile("jdbc:sqlite:([^?]*)(\\?.*|)", DOTALL);

  public JdbcSettings {
    requireNonNull(url, "url is null");
    if (!isSupported(url)) {
      throw new IllegalArgumentException(
          "manifest url must start with jdbc:sqlite: or jdbc:postgresql:, was '"
              + redact(url)
              + "'");
    }
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be >= 1, was " + maxPoolSize);
    }
    user = user == null || user.isEmpty() ? null : user;
    password = password == null || password.isEmpty() ? null : password;
  }

  /** SQLite (or PostgreSQL with credentials in the URL), default pool, manifest only. */
  public static JdbcSettings of(String url) {
    return new JdbcSettings(url, null, null, DEFAULT_POOL_SIZE, false);
  }

  /** The same database, with artifact bytes kept in it too (or not). */
  public JdbcSettings withArtifactsInDatabase(boolean inDatabase) {
    return new JdbcSettings(url, user, password, maxPoolSize, inDatabase);
  }

  public boolean isSqlite() {
    return isSqlite(url);
  }

  // The one place a manifest URL is taken apart: configuration, the wiring and the pools ask here.

  /** Whether {@code url} names a SQLite database ({@code jdbc:sqlite:...}). */
  public static boolean isSqlite(String url) {
    return url.startsWith("jdbc:sqlite:");
  }

  /** Whether this adapter speaks {@code url}: {@code jdbc:sqlite:} or {@code jdbc:postgresql:}. */
  public static boolean isSupported(String url) {
    return isSqlite(url) || url.startsWith("jdbc:postgresql:");
  }

  /**
   * The file a SQLite URL ({@code jdbc:sqlite:FILE[?params]}, FILE maybe a {@code file:} URI)
   * names, as written; empty for PostgreSQL and in-memory SQLite. May throw {@link
   * java.nio.file.InvalidPathException}.
   */
  public static Optional<Path> sqliteFile(String url) {
    return onDisk(url).map(m -> Path.of(m.group(1).replaceFirst("^file:", "")));
  }

  /**
   * {@code url} with a relative SQLite file (not a {@code file:} URI) resolved against {@code dir}.
   */
  public static String resolveSqliteFile(String url, Path dir) {
    return onDisk(url)
        .filter(m -> !m.group(1).startsWith("file:"))
        .map(m -> "jdbc:sqlite:" + dir.resolve(m.group(1)).normalize() + m.group(2))
        .orElse(url);
  }

  private static Optional<Matcher> onDisk(String url) {
    Matcher m = SQLITE_URL.matcher(url);
    boolean noFile = !m.matches() || m.group(1).isEmpty() || m.group(1).contains(":memory:");
    return noFile || url.contains("mode=memory") ? Optional.empty() : Optional.of(m);
  }

  /** The URL without query parameters (which may carry a password), for messages and logs. */
  public String displayUrl() {
    return redact(url);
  }

  @Override
  public String toString() {
    return "JdbcSettings[url="
        + displayUrl()
        + ", user="
        + user
        + ", maxPoolSize="
        + maxPoolSize
        + ", artifactsInDatabase="
        + artifactsInDatabase
        + "]";
  }

  private static String redact(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?...";
  }
}
