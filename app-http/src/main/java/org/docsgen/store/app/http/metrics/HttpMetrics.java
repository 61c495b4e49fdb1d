package org.docsgen.store.app.http.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics for {@code /metrics}: per route template, method and status, the request count
 * and latency ({@code docsgen_http_server_requests_seconds_*}) and the bytes received and sent
 * ({@code docsgen_http_server_received_bytes_total}, {@code docsgen_http_server_sent_bytes_total});
 * plus the JVM's memory, GC, threads, CPU and uptime. Route templates, not concrete paths, keep the
 * label sets bounded.
 */
public final class HttpMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Map<Key, Meters> meters = new ConcurrentHashMap<>();

  public HttpMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc.bindTo(registry);
  }

  /** Records one finished request. */
  public void record(
      String method, String route, int status, long nanos, long bytesIn, long bytesOut) {
    Meters labelled = meters.computeIfAbsent(new Key(method, route, status), this::register);
    labelled.requests().record(nanos, TimeUnit.NANOSECONDS);
    labelled.received().increment(bytesIn);
    labelled.sent().increment(bytesOut);
  }

  /** The meters of one label set, registered once: no builder or tag list per request. */
  private Meters register(Key key) {
    Timer requests =
        Timer.builder("docsgen.http.server.requests")
            .description("HTTP requests by route template, method and status")
            .tag("method", key.method())
            .tag("route", key.route())
            .tag("status", Integer.toString(key.status()))
            .register(registry);
    Counter received = bytes("docsgen.http.server.received", "request body bytes received", key);
    Counter sent = bytes("docsgen.http.server.sent", "response body bytes sent", key);
    return new Meters(requests, received, sent);
  }

  private Counter bytes(String name, String description, Key key) {
    return Counter.builder(name)
        .baseUnit("bytes")
        .description(description)
        .tag("method", key.method())
        .tag("route", key.route())
        .register(registry);
  }

  private record Key(String method, String route, int status) {}

  private record Meters(Timer requests, Counter received, Counter sent) {}

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
