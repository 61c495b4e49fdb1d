package org.docsgen.store.app.http.json;

import java.util.List;
import org.docsgen.store.ports.in.BundleUseCases.BundleVerification;

/** The outcome of re-reading a bundle: valid, and one line per problem found. */
public record VerificationJson(
    String runId, boolean valid, List<String> problems, BundleJson bundle) {

  public static VerificationJson of(BundleVerification verification) {
    return new VerificationJson(
        verification.runId().toString(),
        verification.valid(),
        verification.problems(),
        BundleJson.of(verification.bundle()));
  }
}
