package org.docsgen.store.ports.in;

import java.util.Optional;
import org.docsgen.store.domain.approval.ApprovalDecision;
import org.docsgen.store.domain.approval.ApprovalEvent;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;

/** Record and list approval decisions (append-only). */
public interface ApprovalUseCases {

  /**
   * Appends a decision about a stage, with the digest of the stage's current artifact set.
   *
   * @throws org.docsgen.store.ports.error.RefusedException when the decision makes no sense now
   *     (e.g. {@code nothing-to-approve}, {@code not-approved} for a revoke)
   */
  ApprovalEvent decide(
      RunId runId, Stage stage, ApprovalDecision decision, String comment, String actor);

  Page<ApprovalEvent> listApprovals(RunId runId, Optional<Stage> stage, PageRequest page);
}
