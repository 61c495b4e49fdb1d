package org.docsgen.store.ports.in;

import org.docsgen.store.domain.diff.DiffReport;
import org.docsgen.store.domain.run.RunId;

/** What changed between two executions of a stage, or two runs. */
public interface DiffUseCases {

  /**
   * {@code from}/{@code to} are {@code <stage>@<attempt>} within {@code runId}, or run ids (latest
   * generation of every path of each run).
   */
  DiffReport diff(RunId runId, String from, String to);
}
