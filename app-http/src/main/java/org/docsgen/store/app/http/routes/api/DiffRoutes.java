package org.docsgen.store.app.http.routes.api;

import org.docsgen.store.app.http.json.DiffJson;
import org.docsgen.store.app.http.problem.ApiException;
import org.docsgen.store.app.http.routes.Exchange;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.in.DiffUseCases;

/** What changed between two executions ({@code <stage>@<attempt>}) or two runs (run ids). */
final class DiffRoutes {
  private final DiffUseCases diffs;

  DiffRoutes(DiffUseCases diffs) {
    this.diffs = diffs;
  }

  void diff(Exchange ex) {
    RunId runId = ex.runId();
    String from = ex.query("from").orElseThrow(() -> missing("from"));
    String to = ex.query("to").orElseThrow(() -> missing("to"));
    ex.json(200, DiffJson.of(diffs.diff(runId, from, to)));
  }

  private static ApiException missing(String name) {
    return ApiException.badParameter(
        name, name + " is required: <stage>@<attempt> (e.g. phase1@2) or a run id");
  }
}
