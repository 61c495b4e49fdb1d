package org.docsgen.store.adapters.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The statements every artifact write and read runs (the run, the running execution, the latest
 * approval, the artifact index), in plain JDBC on the handle's own connection. Jdbi's statement
 * machinery — configuration lookups, argument factories, statement contexts — cost more CPU than
 * SQLite spends executing these one-row statements (docs/benchmarks.md); the rest of the manifest
 * keeps Jdbi. Same connection, same transaction, same mappers; failures surface as {@link
 * SqlRuntimeException} carrying the {@link SQLException}, which {@link SqlFailures} translates as
 * it does Jdbi's.
 *
 * <p>Where a thread owns a connection for long (the SQLite group-commit writer), it {@linkplain
 * #cacheOn binds a statement cache} to it: each statement is then prepared once and reused for the
 * life of the connection instead of being prepared afresh for every write.
 */
final class HotSql {
  private static final ThreadLocal<Cache> CURRENT = new ThreadLocal<>();

  private HotSql() {}

  /** Binds parameters by position. */
  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  /** An unchecked {@link SQLException}, for {@link SqlFailures#translate}. */
  static final class SqlRuntimeException extends RuntimeException {
    SqlRuntimeException(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** The first row, mapped, or empty. */
  static <T> Optional<T> one(Handle h, String sql, Binder binder, RowMapper<T> mapper) {
    return run(
        h,
        sql,
        binder,
        statement -> {
          try (ResultSet rs = statement.executeQuery()) {
            return rs.next() ? Optional.of(mapper.map(rs, null)) : Optional.empty();
          }
        });
  }

  /** Runs an INSERT, UPDATE or other statement; the update count. */
  static int update(Handle h, String sql, Binder binder) {
    return run(h, sql, binder, PreparedStatement::executeUpdate);
  }

  @FunctionalInterface
  private interface Execution<T> {
    T execute(PreparedStatement statement) throws SQLException;
  }

  /** Prepares (or takes from the thread's cache), binds, executes, and releases. */
  private static <T> T run(Handle h, String sql, Binder binder, Execution<T> execution) {
    Connection connection = h.getConnection();
    Cache cache = cacheOf(connection);
    try {
      PreparedStatement statement =
          cache != null ? cache.get(sql) : connection.prepareStatement(sql);
      try {
        binder.bind(statement);
        return execution.execute(statement);
      } finally {
        if (cache == null) {
          statement.close();
        } else {
          statement.clearParameters();
        }
      }
    } catch (SQLException e) {
      throw new SqlRuntimeException(e);
    }
  }

  private static Cache cacheOf(Connection connection) {
    Cache cache = CURRENT.get();
    return cache != null && cache.connection == connection ? cache : null;
  }

  /**
   * Makes the calling thread reuse prepared statements on {@code connection} until the returned
   * cache is closed (which closes them). One thread, one connection: a cache is never shared.
   */
  static Cache cacheOn(Connection connection) {
    Cache cache = new Cache(connection);
    CURRENT.set(cache);
    return cache;
  }

  /** Prepared statements of one connection, owned by one thread. */
  static final class Cache implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    private Cache(Connection connection) {
      this.connection = connection;
    }

    private PreparedStatement get(String sql) throws SQLException {
      PreparedStatement statement = statements.get(sql);
      if (statement == null) {
        statement = connection.prepareStatement(sql);
        statements.put(sql, statement);
      }
      return statement;
    }

    @Override
    public void close() {
      if (CURRENT.get() == this) {
        CURRENT.remove();
      }
      for (PreparedStatement statement : statements.values()) {
        try {
          statement.close();
        } catch (SQLException e) {
          // the connection is going away with it
        }
      }
      statements.clear();
    }
  }
}
