package org.docsgen.store.app.cli.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Byte-for-byte pictures of what a deployment stores, to compare before and after: a directory tree
 * (every entry's relative path; every file's size and SHA-256, symbolic links by target) and a
 * manifest's logical content (every row of every table, through JDBC).
 */
final class StoreSnapshot {
  private StoreSnapshot() {}

  /**
   * Every entry under {@code root} not {@code excluded}: directories as {@code dir}, files as
   * {@code size:sha256}. SQLite's {@code -wal}/{@code -shm} files are listed by name only (their
   * bytes change with checkpoints; the manifest is compared by its rows).
   */
  static Map<String, String> tree(Path root, Predicate<Path> excluded) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    if (!Files.exists(root)) {
      return entries;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (excluded.test(p)) {
          continue;
        }
        String name = root.relativize(p).toString();
        String file = p.getFileName().toString();
        if (Files.isSymbolicLink(p)) {
          entries.put(name, "link:" + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          entries.put(name, "dir");
        } else if (file.endsWith("-wal") || file.endsWith("-shm") || file.endsWith("-journal")) {
          entries.put(name, "sqlite-side-file");
        } else {
          try {
            entries.put(name, Files.size(p) + ":" + sha256(p));
          } catch (IOException e) { // vanished between the walk and the read
            entries.put(name, "vanished");
          }
        }
      }
    } catch (java.io.UncheckedIOException e) {
      // a directory vanished mid-walk (a write's staging being removed): take the picture again
      return tree(root, excluded);
    }
    return entries;
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest())) {
      MessageDigest d = ((DigestInputStream) in).getMessageDigest();
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(d.digest());
    }
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What differs between two pictures (at most 20 entries), empty when equal. */
  static List<String> diff(Map<String, String> before, Map<String, String> after) {
    List<String> out = new ArrayList<>();
    for (var e : before.entrySet()) {
      String now = after.get(e.getKey());
      if (now == null) {
        out.add("removed " + e.getKey());
      } else if (!now.equals(e.getValue())) {
        out.add("changed " + e.getKey() + " (" + e.getValue() + " -> " + now + ")");
      }
    }
    for (var e : after.entrySet()) {
      if (!before.containsKey(e.getKey())) {
        out.add("added " + e.getKey() + " (" + e.getValue() + ")");
      }
    }
    return out.subList(0, Math.min(20, out.size()));
  }

  /** A manifest database, opened once, read (or edited, for tampering) through JDBC. */
  static final class Manifest implements AutoCloseable {
    private final Connection connection;
    private final boolean sqlite;

    private Manifest(Connection connection, boolean sqlite) {
      this.connection = connection;
      this.sqlite = sqlite;
    }

    /** SQLite's file, read-only unless {@code writable}. */
    static Manifest sqlite(Path file, boolean writable) throws SQLException {
      Properties p = new Properties();
      if (!writable) {
        p.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
      }
      p.setProperty("busy_timeout", "10000");
      return new Manifest(DriverManager.getConnection("jdbc:sqlite:" + file, p), true);
    }

    static Manifest postgres(String url, String user, String password) throws SQLException {
      return new Manifest(DriverManager.getConnection(url, user, password), false);
    }

    /**
     * The server's own liveness row: the manifest health probe commits a write to it every few
     * seconds (so that /health says whether writes work), whatever the clients do. It holds no data
     * of any run, so it is not part of what a refused request must leave unchanged.
     */
    private static final String HEALTH_PROBE = "health_probe";

    /**
     * Every row of every table but {@link #HEALTH_PROBE}, as text, table by table in a stable
     * order.
     */
    Map<String, String> rows() throws SQLException {
      Map<String, String> all = new TreeMap<>();
      List<String> tables = new ArrayList<>();
      String query =
          sqlite
              ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
              : "SELECT table_name FROM information_schema.tables"
                  + " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'";
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery(query)) {
        while (rs.next()) {
          if (!HEALTH_PROBE.equalsIgnoreCase(rs.getString(1))) {
            tables.add(rs.getString(1));
          }
        }
      }
      for (String table : tables) {
        List<String> rows = new ArrayList<>();
        try (Statement s = connection.createStatement();
            ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= columns; i++) {
              Object value = rs.getObject(i);
              row.append(i > 1 ? "|" : "")
                  .append(value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : value);
            }
            rows.add(row.toString());
          }
        }
        rows.sort(null);
        for (int i = 0; i < rows.size(); i++) {
          all.put(table + "#" + i, rows.get(i));
        }
        all.put(table + "#count", Integer.toString(rows.size()));
      }
      return all;
    }

    /** Runs one update (tampering with the index) and answers the rows it changed. */
    int update(String sql, Object... args) throws SQLException {
      try (var statement = connection.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          statement.setObject(i + 1, args[i]);
        }
        return statement.executeUpdate();
      }
    }

    /** One value of the first row of {@code sql}. */
    Object single(String sql, Object... args) throws SQLException {
      try (var statement = connection.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          statement.setObject(i + 1, args[i]);
        }
        try (ResultSet rs = statement.executeQuery()) {
          return rs.next() ? rs.getObject(1) : null;
        }
      }
    }

    @Override
    public void close() throws SQLException {
      connection.close();
    }
  }
}
