package org.docsgen.store.ports.in;

import org.docsgen.store.domain.gate.GateReport;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;

/** Explain a stage's gate without rerunning anything. */
public interface GateUseCases {

  /**
   * The gate of the stage's latest execution: passed or the reasons it failed, with each issue's
   * artifact version and the execution that produced it.
   */
  GateReport explain(RunId runId, Stage stage);
}
