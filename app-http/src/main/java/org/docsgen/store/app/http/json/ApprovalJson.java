package org.docsgen.store.app.http.json;

import java.time.Instant;
import org.docsgen.store.domain.approval.ApprovalEvent;

/** One approval event. */
public record ApprovalJson(
    String runId,
    String stage,
    String decision,
    String actor,
    String comment,
    Instant at,
    String contentDigest) {

  public static ApprovalJson of(ApprovalEvent event) {
    return new ApprovalJson(
        event.runId().toString(),
        event.stage().toString(),
        event.decision().name(),
        event.actor(),
        event.comment(),
        event.at(),
        event.contentDigest().toString());
  }
}
