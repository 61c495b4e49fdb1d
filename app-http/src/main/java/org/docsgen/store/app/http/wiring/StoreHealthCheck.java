package org.docsgen.store.app.http.wiring;

import java.util.function.Supplier;
import org.docsgen.store.app.http.json.HealthJson;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.out.StoreHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /health}: asks both stores (their {@code health()} never throws) and reports UP only when
 * both answer. The details of a failure go to the log, not to the open route.
 */
final class StoreHealthCheck implements Supplier<HealthJson> {
  private static final Logger LOG = LoggerFactory.getLogger(StoreHealthCheck.class);

  private final ArtifactStore artifacts;
  private final ManifestStore manifest;

  StoreHealthCheck(ArtifactStore artifacts, ManifestStore manifest) {
    this.artifacts = artifacts;
    this.manifest = manifest;
  }

  @Override
  public HealthJson get() {
    StoreHealth a = artifacts.health();
    StoreHealth m = manifest.health();
    if (!a.up()) {
      LOG.warn("artifact store {} is down: {}", a.backend(), a.detail());
    }
    if (!m.up()) {
      LOG.warn("manifest store {} is down: {}", m.backend(), m.detail());
    }
    return new HealthJson(
        a.up() && m.up() ? "UP" : "DOWN",
        new HealthJson.Artifacts(a.backend(), a.up() ? "UP" : "DOWN", a.guarded()),
        new HealthJson.Manifest(m.up() ? "UP" : "DOWN"));
  }
}
