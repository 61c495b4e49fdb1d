package org.docsgen.store.app.http.routes.api;

import org.docsgen.store.app.http.json.PageJson;
import org.docsgen.store.app.http.json.Requests;
import org.docsgen.store.app.http.json.RunJson;
import org.docsgen.store.app.http.routes.Exchange;
import org.docsgen.store.app.http.routes.Params;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.ports.in.RunUseCases;

/** Create, list and show runs. */
final class RunRoutes {
  private final RunUseCases runs;

  RunRoutes(RunUseCases runs) {
    this.runs = runs;
  }

  void create(Exchange ex) {
    Requests.CreateRun body =
        ex.optionalBody(Requests.CreateRun.class).orElse(new Requests.CreateRun(null, null));
    Run run =
        Params.parseBody(
            "coreFiles",
            () ->
                runs.createRun(
                    ex.actor(),
                    body.coreFiles(),
                    body.bundleReadme() != null && body.bundleReadme()));
    ex.ctx().header("Location", "/api/runs/" + run.runId());
    ex.json(201, RunJson.of(run));
  }

  void list(Exchange ex) {
    ex.json(200, PageJson.of(runs.listRuns(ex.page()), RunJson::of));
  }

  void get(Exchange ex) {
    ex.json(200, RunJson.of(runs.getRun(ex.runId())));
  }
}
