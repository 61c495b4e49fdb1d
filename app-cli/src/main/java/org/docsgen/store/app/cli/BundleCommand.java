package org.docsgen.store.app.cli;

import org.docsgen.store.app.http.json.BundleJson;
import org.docsgen.store.domain.bundle.BundleEntry;
import org.docsgen.store.domain.bundle.BundlePlanner;
import org.docsgen.store.domain.bundle.BundleRecord;
import org.docsgen.store.domain.run.RunId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code docsgen bundle RUN}: the gated, deterministic, signed bundle of a run's core files. */
@Command(
    name = "bundle",
    mixinStandardHelpOptions = true,
    description = {
      "Create the run's signed bundle once final validation passed.",
      "The deterministic zip of the run's core files, stored immutably under <run>/final/ with its attestation (an in-toto statement in a DSSE envelope, <run>/final/docsgen-documentation-bundle.intoto.jsonl). Exits 1 while the gate fails."
    })
final class BundleCommand extends StoreCommand {
  @Parameters(paramLabel = "RUN")
  RunId run;

  @Override
  int run() {
    RunId runId = run;
    progress("bundling " + runId + ": checking the final gate and writing the zip ...");
    BundleRecord bundle = services().createBundle(runId, cli().actor());
    progress("bundled " + bundle.entries().size() + " entries, " + bundle.zipSize() + " bytes");
    if (json()) {
      printJson(BundleJson.of(bundle));
      return ExitCodes.OK;
    }
    out()
        .println(
            bundle.zip().path() + "  " + bundle.zip().hash() + "  " + bundle.zipSize() + " bytes");
    for (BundleEntry entry : bundle.entries()) {
      out().println("  " + entry.name() + "  " + entry.hash() + "  " + entry.size());
    }
    out().println("final execution: " + ExecCommands.label(bundle.finalExecution()));
    out().println("signature (DSSE, Ed25519): " + bundle.signature());
    out().println("attestation: " + BundlePlanner.attestationPath(runId));
    return ExitCodes.OK;
  }
}
