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
 * <p>Statements are prepared once per connection and reused for its life: on the pools opened
 * through {@link CachingDataSource} (the SQLite readers, the PostgreSQL pool) each physical
 * connection carries its cache; where a thread owns a connection for long (the SQLite group-commit
 * writer), it {@linkplain #cacheOn binds a statement cache} to it.
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

  /**
   * Prepares (or takes from the connection's cache), binds, executes, and releases. A cached
   * statement whose execution failed is closed and never reused. (A connection that broke under it
   * is closed by the driver, and HikariCP evicts it when the handle gives it back.)
   */
  private static <T> T run(Handle h, String sql, Binder binder, Execution<T> execution) {
    Connection connection = h.getConnection();
    try {
      Cache cache = cacheOf(connection);
      if (cache == null) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
          binder.bind(statement);
          return execution.execute(statement);
        }
      }
      PreparedStatement statement = cache.get(sql);
      try {
        binder.bind(statement);
        T result = execution.execute(statement);
        statement.clearParameters();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        cache.discard(sql, statement);
        throw e;
      }
    } catch (SQLException e) {
      throw new SqlRuntimeException(e);
    }
  }

  /**
   * The statements of {@code connection}: the calling thread's {@linkplain #cacheOn bound cache}
   * when it is bound to that connection, else the physical connection's own ({@link
   * CachingDataSource}), else none (every statement prepared afresh and closed).
   */
  private static Cache cacheOf(Connection connection) throws SQLException {
    Cache cache = CURRENT.get();
    if (cache != null && cache.connection == connection) {
      return cache;
    }
    if (connection.isWrapperFor(CachingDataSource.Cached.class)) {
      return connection.unwrap(CachingDataSource.Cached.class).statements();
    }
    return null;
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

  /**
   * Prepared statements of one connection, by SQL text. Used by one thread at a time: the thread
   * that holds the connection (a pool hands a connection to one borrower at a time, and its
   * hand-off orders the borrowers' accesses).
   */
  static final class Cache implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    /** A cache of statements prepared on {@code connection}. */
    Cache(Connection connection) {
      this.connection = connection;
    }

    private PreparedStatement get(String sql) throws SQLException {
      PreparedStatement statement = statements.get(sql);
      if (statement == null || statement.isClosed()) {
        statement = connection.prepareStatement(sql);
        statements.put(sql, statement);
      }
      return statement;
    }

    /** The statement cached for {@code sql}, or null (for tests). */
    PreparedStatement cached(String sql) {
      return statements.get(sql);
    }

    private void discard(String sql, PreparedStatement statement) {
      statements.remove(sql, statement);
      try {
        statement.close();
      } catch (SQLException e) {
        // already unusable; it is out of the cache
      }
    }

    /** Drops the statements without closing them (the connection is being aborted). */
    void forget() {
      statements.clear();
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
