package org.docsgen.store.app.http.routes.api;

import org.docsgen.store.app.http.json.BundleJson;
import org.docsgen.store.app.http.json.PageJson;
import org.docsgen.store.app.http.json.SigningKeyJson;
import org.docsgen.store.app.http.json.VerificationJson;
import org.docsgen.store.app.http.routes.Exchange;
import org.docsgen.store.domain.bundle.BundleRecord;
import org.docsgen.store.ports.in.BundleUseCases;

/** Create a run's bundle (gate first), prove it, and hand out its attestation and the keys. */
final class BundleRoutes {
  static final String ATTESTATION_MEDIA_TYPE = "application/json";

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

  /** The DSSE envelope exactly as stored beside the zip. */
  void attestation(Exchange ex) {
    byte[] envelope = bundles.attestation(ex.runId());
    ex.ctx().status(200);
    ex.ctx().contentType(ATTESTATION_MEDIA_TYPE);
    ex.ctx().result(envelope);
    ex.countOut(envelope.length);
  }

  /** The deployment's public keys, the signing key first; one page holds them all. */
  void signingKeys(Exchange ex) {
    ex.json(
        200, new PageJson<>(bundles.signingKeys().stream().map(SigningKeyJson::of).toList(), null));
  }
}
