package org.docsgen.store.adapters.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The physical connections of a pool, each carrying the {@link HotSql.Cache} of its prepared
 * statements: HikariCP closes every statement prepared through its proxy when the proxy goes back
 * to the pool, and neither it, Jdbi nor sqlite-jdbc keeps statements across checkouts (pgjdbc keeps
 * the server-side prepare, not the JDBC statement). A connection handed out here is the driver's,
 * wrapped only to own the cache: {@link HotSql} finds it with {@code unwrap(Cached.class)} through
 * the pool's proxy and prepares on the driver's connection, and closing the connection (HikariCP
 * retiring or evicting it) closes its statements first.
 */
final class CachingDataSource implements DataSource {
  /** A physical connection with its statement cache. */
  interface Cached {
    HotSql.Cache statements();
  }

  private final DataSource driver;

  /** Connections of {@code driver} (HikariCP's own {@code DriverDataSource} for a JDBC URL). */
  CachingDataSource(DataSource driver) {
    this.driver = driver;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(driver.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return wrap(driver.getConnection(username, password));
  }

  private Connection wrap(Connection physical) {
    HotSql.Cache cache = new HotSql.Cache(physical);
    return (Connection)
        Proxy.newProxyInstance(
            CachingDataSource.class.getClassLoader(),
            new Class<?>[] {Connection.class, Cached.class},
            (proxy, method, args) -> invoke(proxy, physical, cache, method, args));
  }

  private static Object invoke(
      Object proxy, Connection physical, HotSql.Cache cache, Method method, Object[] args)
      throws Throwable {
    switch (method.getName()) {
      case "statements":
        return cache;
      case "close":
        cache.close();
        break;
      case "abort":
        cache.forget();
        break;
      case "unwrap":
        if (((Class<?>) args[0]).isInstance(proxy)) {
          return proxy;
        }
        break;
      case "isWrapperFor":
        if (((Class<?>) args[0]).isInstance(proxy)) {
          return true;
        }
        break;
      case "equals":
        return proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      case "toString":
        return "cached(" + physical + ")";
      default:
        break;
    }
    try {
      return method.invoke(physical, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return driver.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    driver.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    driver.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return driver.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return driver.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
