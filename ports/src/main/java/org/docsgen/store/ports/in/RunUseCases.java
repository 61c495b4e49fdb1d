package org.docsgen.store.ports.in;

import java.util.List;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;

/** Create, list and show runs. */
public interface RunUseCases {

  /**
   * Creates a run dated today (the service's clock, UTC) with an atomically allocated id. {@code
   * coreFiles} null means the standard set.
   */
  Run createRun(String actor, List<String> coreFiles, boolean bundleReadme);

  /**
   * @throws org.docsgen.store.ports.error.NotFoundException unknown run
   */
  Run getRun(RunId runId);

  Page<Run> listRuns(PageRequest page);
}
