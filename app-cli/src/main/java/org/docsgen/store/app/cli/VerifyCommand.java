package org.docsgen.store.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.docsgen.store.app.http.json.VerificationJson;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.in.BundleUseCases.BundleVerification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code docsgen verify RUN}: prove the stored bundle equals what was validated; {@code docsgen
 * verify --offline BUNDLE.zip --attestation FILE --public-key FILE.pem}: prove a bundle from those
 * three files alone. 4 if not.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Prove a run's bundle equals what was validated (exit 4 if not).",
      "RUN: re-reads the stored zip, checks each entry against the validated artifact it came from,"
          + " and the attestation's DSSE signature with this deployment's keys.",
      "--offline BUNDLE.zip --attestation FILE --public-key FILE.pem: needs no store, server or"
          + " configuration; checks the signature by that key, the zip's digest and every entry's"
          + " digest against the in-toto statement. Exit 2 when a file is unreadable."
    })
final class VerifyCommand extends StoreCommand {
  @Parameters(paramLabel = "RUN|BUNDLE.zip")
  String target;

  @Option(names = "--offline", description = "verify the files given, without any store")
  boolean offline;

  @Option(
      names = "--attestation",
      paramLabel = "FILE",
      description = "the bundle's DSSE envelope (GET /api/runs/RUN/bundle/attestation)")
  Path attestation;

  @Option(
      names = "--public-key",
      paramLabel = "FILE.pem",
      description = "the Ed25519 public key to trust, PEM (`docsgen keys`, GET /api/signing-keys)")
  Path publicKey;

  @Override
  int run() {
    if (offline) {
      return offline();
    }
    if (attestation != null || publicKey != null) {
      throw CliException.badInput(
          "--attestation and --public-key go with --offline BUNDLE.zip; `verify RUN` uses the"
              + " store and the deployment's keys");
    }
    RunId runId = RunId.parse(target);
    progress("verifying the bundle of " + runId + " ...");
    BundleVerification result = services().verify(runId);
    if (json()) {
      printJson(VerificationJson.of(result));
    } else {
      out().println((result.valid() ? "VALID" : "INVALID") + " bundle of " + runId);
      result.problems().forEach(line -> out().println("  " + line));
    }
    if (!result.valid()) {
      terminal().err().println("docsgen: the bundle of " + runId + " does not verify");
      return ExitCodes.INTEGRITY;
    }
    return ExitCodes.OK;
  }

  private int offline() {
    if (attestation == null || publicKey == null) {
      throw CliException.badInput(
          "--offline needs --attestation FILE and --public-key FILE.pem beside BUNDLE.zip");
    }
    Terminal t = terminal();
    Path zip = t.resolve(Path.of(target));
    OfflineVerifier.Result result =
        OfflineVerifier.verify(zip, t.resolve(attestation), t.resolve(publicKey));
    if (json()) {
      printJson(result.json());
    } else {
      JsonNode proved = result.predicate();
      out()
          .println(
              result.valid()
                  ? "VALID bundle of "
                      + proved.path("runId").asText()
                      + ", signed by keyid "
                      + result.keyId()
                  : "INVALID bundle " + zip.getFileName());
      result.problems().forEach(line -> out().println("  " + line));
      if (result.valid()) {
        printProved(proved);
      }
    }
    if (!result.valid()) {
      t.err()
          .println(
              "docsgen: the bundle does not verify: "
                  + result.problems().get(0).substring("FAIL ".length()));
      return ExitCodes.INTEGRITY;
    }
    return ExitCodes.OK;
  }

  private void printProved(JsonNode predicate) {
    out().println("entries:");
    for (JsonNode entry : predicate.path("entries")) {
      JsonNode source = entry.path("source");
      out()
          .println(
              "  "
                  + entry.path("name").asText()
                  + (source.isObject()
                      ? "  from " + source.path("path").asText() + "@" + source.path("generation")
                      : "  (generated)"));
    }
    JsonNode fin = predicate.path("finalExecution");
    out()
        .println(
            "final validation: "
                + fin.path("stage").asText()
                + "@"
                + fin.path("attempt").asText()
                + " "
                + fin.path("status").asText());
    JsonNode approvals = predicate.path("approvals");
    out().println("approvals in force:" + (approvals.isEmpty() ? " none" : ""));
    for (JsonNode a : approvals) {
      out()
          .println(
              "  "
                  + a.path("stage").asText()
                  + " "
                  + a.path("decision").asText()
                  + " by "
                  + a.path("actor").asText()
                  + " at "
                  + a.path("at").asText());
    }
  }
}
