package org.docsgen.store.app.http.routes.api;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.docsgen.store.app.http.json.HealthJson;
import org.docsgen.store.app.http.routes.Exchange;

/** Liveness, the API description and metrics. */
final class OpsRoutes {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Supplier<HealthJson> health;
  private final Supplier<String> metrics;
  private final Supplier<Object> openApi;

  OpsRoutes(Supplier<HealthJson> health, Supplier<String> metrics, Supplier<Object> openApi) {
    this.health = health;
    this.metrics = metrics;
    this.openApi = openApi;
  }

  void health(Exchange ex) {
    HealthJson report = health.get();
    ex.ctx().header("Cache-Control", "no-store");
    ex.json(report.up() ? 200 : 503, report);
  }

  void openApi(Exchange ex) {
    ex.json(200, openApi.get());
  }

  void metrics(Exchange ex) {
    byte[] text = metrics.get().getBytes(StandardCharsets.UTF_8);
    ex.ctx().status(200);
    ex.ctx().contentType(PROMETHEUS_TEXT);
    ex.ctx().result(text);
    ex.countOut(text.length);
  }
}
