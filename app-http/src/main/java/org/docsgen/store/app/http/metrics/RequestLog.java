package org.docsgen.store.app.http.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured line per request on the {@code docsgen.http.access} logger, as logfmt text and as
 * SLF4J key-value pairs (for JSON encoders): method, route template, status, duration, principal,
 * bytes in and out, and whether the response was cut off after it started.
 */
public final class RequestLog {
  private static final Logger ACCESS = LoggerFactory.getLogger("docsgen.http.access");

  private RequestLog() {}

  public static void log(
      String method,
      String route,
      int status,
      long nanos,
      String principal,
      long bytesIn,
      long bytesOut,
      boolean aborted) {
    if (!ACCESS.isInfoEnabled()) {
      return;
    }
    long tenths = Math.round(nanos / 100_000.0);
    String durationMs = (tenths / 10) + "." + (tenths % 10);
    ACCESS
        .atInfo()
        .addKeyValue("method", method)
        .addKeyValue("route", route)
        .addKeyValue("status", status)
        .addKeyValue("durationMs", durationMs)
        .addKeyValue("principal", principal)
        .addKeyValue("bytesIn", bytesIn)
        .addKeyValue("bytesOut", bytesOut)
        .addKeyValue("aborted", aborted)
        .log(
            "method={} route={} status={} durationMs={} principal={} bytesIn={} bytesOut={}{}",
            method,
            route,
            status,
            durationMs,
            principal,
            bytesIn,
            bytesOut,
            aborted ? " aborted=true" : "");
  }
}
