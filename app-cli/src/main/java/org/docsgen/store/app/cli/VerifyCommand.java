package org.docsgen.store.app.cli;

import org.docsgen.store.app.http.json.VerificationJson;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.in.BundleUseCases.BundleVerification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code docsgen verify RUN}: prove the stored bundle equals what was validated; 4 if not. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Prove a run's bundle equals what was validated (exit 4 if not).",
      "Re-reads the stored zip and checks each entry against the validated artifact it came from, and the attestation's signature."
    })
final class VerifyCommand extends StoreCommand {
  @Parameters(paramLabel = "RUN")
  String run;

  @Override
  int run() {
    RunId runId = runId(run);
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
}
