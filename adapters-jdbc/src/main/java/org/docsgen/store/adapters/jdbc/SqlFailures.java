package org.docsgen.store.adapters.jdbc;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.error.RefusedException;
import org.docsgen.store.ports.error.StoreException;

/**
 * The one place where JDBC, Jdbi, HikariCP and Flyway failures become port exceptions. Both
 * databases are classified by the same rules: PostgreSQL by SQLSTATE, SQLite (whose driver sets no
 * SQLSTATE) by its result code and message.
 */
final class SqlFailures {
  // SQLite primary result codes (the low byte of an extended code).
  private static final int SQLITE_IOERR = 10;
  private static final int SQLITE_CORRUPT = 11;
  private static final int SQLITE_FULL = 13;
  private static final int SQLITE_CANTOPEN = 14;
  private static final int SQLITE_CONSTRAINT = 19;
  private static final int SQLITE_NOTADB = 26;
  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;

  private SqlFailures() {}

  /**
   * Translates {@code failure}, raised while doing {@code action} (a phrase naming the run, path or
   * id concerned) on {@code backend}. Races the stores expect are settled without exceptions
   * ({@code ON CONFLICT DO NOTHING}, then a read), so a unique-key violation that still arrives is
   * a generic {@code conflict} refusal; a foreign-key violation is a {@link NotFoundException} (a
   * run, execution or artifact that does not exist); other constraint violations are {@link
   * InvalidInputException}; a trigger refusing to change an append-only record is an {@code
   * append-only} refusal; everything else, connection failures first, is {@link
   * BackendUnavailableException}, whose message says what to do and whose internal detail keeps the
   * driver's words (which may quote SQL or a file path) for the log. Port exceptions pass through
   * unchanged.
   */
  static StoreException translate(Throwable failure, String backend, String action) {
    if (failure instanceof StoreException store) {
      return store;
    }
    SQLException sql = sqlCause(failure);
    String detail = sql != null ? firstLine(sql.getMessage()) : firstLine(failure.getMessage());
    switch (classify(sql)) {
      case DUPLICATE:
        return new RefusedException("conflict", action + " conflicts with an existing record");
      case MISSING_REFERENCE:
        return new NotFoundException(
            action + " refers to a run, execution or artifact that does not exist");
      case REJECTED_VALUE:
        return new InvalidInputException("record", action + " was rejected: " + detail);
      case APPEND_ONLY:
        return new RefusedException("append-only", action + " was refused: " + detail);
      case UNREACHABLE:
        return new BackendUnavailableException(
            backend,
            action
                + " failed: the database cannot be reached or is busy; check that it is running,"
                + " reachable and has disk space (manifest.url), then retry",
            detail,
            failure);
      default:
        // the driver's text may quote SQL, table names or file paths: it goes to the log only
        return new BackendUnavailableException(
            backend,
            action
                + " failed: the database answered an error; check the database and its schema"
                + " migrations (the server log has the error), then retry",
            detail,
            failure);
    }
  }

  /**
   * The caller's content stream failed while {@code action} read it (a client that went away, a
   * source file that could not be read): the caller's bad input, {@link InvalidInputException} of
   * field {@code body} as on every backend, never a database failure.
   */
  static InvalidInputException unreadableContent(String action, IOException e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new InvalidInputException(
        "body", action + " failed: the content could not be read: " + firstLine(reason));
  }

  private enum Kind {
    DUPLICATE,
    MISSING_REFERENCE,
    REJECTED_VALUE,
    APPEND_ONLY,
    UNREACHABLE,
    OTHER
  }

  private static Kind classify(SQLException sql) {
    if (sql == null) {
      return Kind.OTHER;
    }
    if (sql instanceof SQLTransientConnectionException
        || sql instanceof SQLNonTransientConnectionException) {
      return Kind.UNREACHABLE;
    }
    String state = sql.getSQLState();
    if (state != null && !state.isEmpty()) {
      return classifyPostgres(state);
    }
    return classifySqlite(sql.getErrorCode() & 0xff, lower(sql.getMessage()));
  }

  private static Kind classifyPostgres(String state) {
    switch (state) {
      case "23505":
        return Kind.DUPLICATE;
      case "23503":
        return Kind.MISSING_REFERENCE;
      case "23502":
      case "23514":
      case "22001":
      case "22003":
      case "22P02":
        return Kind.REJECTED_VALUE;
      case "P0001": // RAISE EXCEPTION in the append-only trigger
        return Kind.APPEND_ONLY;
      default:
        // 08: connection exception; 57P: operator intervention (shutdown); 53: resources
        return state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")
            ? Kind.UNREACHABLE
            : Kind.OTHER;
    }
  }

  private static Kind classifySqlite(int code, String message) {
    if (code == SQLITE_CONSTRAINT || message.contains("constraint failed")) {
      if (message.contains("unique constraint") || message.contains("primary key")) {
        return Kind.DUPLICATE;
      }
      if (message.contains("foreign key")) {
        return Kind.MISSING_REFERENCE;
      }
      if (message.contains("append-only") || message.contains("immutable")) {
        return Kind.APPEND_ONLY;
      }
      return Kind.REJECTED_VALUE;
    }
    if (code == SQLITE_BUSY
        || code == SQLITE_LOCKED
        || code == SQLITE_CANTOPEN
        || code == SQLITE_IOERR
        || code == SQLITE_FULL
        || code == SQLITE_CORRUPT
        || code == SQLITE_NOTADB) {
      return Kind.UNREACHABLE;
    }
    return Kind.OTHER;
  }

  private static SQLException sqlCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return sql;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String lower(String message) {
    return message == null ? "" : message.toLowerCase(Locale.ROOT);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no detail";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
