package org.docsgen.store.app.cli;

import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import picocli.CommandLine.Parameters;

/**
 * {@code RUN STAGE}, the first two positional parameters of the verbs that act on one stage of a
 * run (a picocli mixin, declared before any further positional parameter of the verb).
 */
final class StageArguments {
  @Parameters(index = "0", paramLabel = "RUN")
  RunId run;

  @Parameters(index = "1", paramLabel = "STAGE", description = "phase<N> or final")
  Stage stage;
}
