package org.docsgen.store.app.http.routes.api;

import org.docsgen.store.app.http.json.BundleJson;
import org.docsgen.store.app.http.json.VerificationJson;
import org.docsgen.store.app.http.routes.Exchange;
import org.docsgen.store.domain.bundle.BundleRecord;
import org.docsgen.store.ports.in.BundleUseCases;

/** Create a run's bundle (gate first) and prove it. */
final class BundleRoutes {
  private final BundleUseCases bundles;

  BundleRoutes(BundleUseCases bundles) {
    this.bundles = bundles;
  }

  void create(Exchange ex) {
    ex.optionalBody(ExecutionRoutes.Empty.class);
    BundleRecord bundle = bundles.createBundle(ex.runId(), ex.actor());
    ex.ctx().header("Location", ArtifactPaths.PREFIX + bundle.zip().path());
    ex.json(201, BundleJson.of(bundle));
  }

  /** 200 with {@code valid} true or false: the verification is the resource, whatever it found. */
  void verify(Exchange ex) {
    ex.json(200, VerificationJson.of(bundles.verify(ex.runId())));
  }
}
