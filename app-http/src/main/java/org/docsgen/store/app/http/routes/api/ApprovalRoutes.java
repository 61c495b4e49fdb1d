package org.docsgen.store.app.http.routes.api;

import java.util.Optional;
import org.docsgen.store.app.http.json.ApprovalJson;
import org.docsgen.store.app.http.json.PageJson;
import org.docsgen.store.app.http.json.Requests;
import org.docsgen.store.app.http.problem.ApiException;
import org.docsgen.store.app.http.problem.Problem;
import org.docsgen.store.app.http.problem.ProblemType;
import org.docsgen.store.app.http.routes.Exchange;
import org.docsgen.store.app.http.routes.Params;
import org.docsgen.store.domain.approval.ApprovalDecision;
import org.docsgen.store.domain.approval.ApprovalEvent;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.in.ApprovalUseCases;

/** Record and list approval decisions; the actor is the approver's token. */
final class ApprovalRoutes {
  private final ApprovalUseCases approvals;

  ApprovalRoutes(ApprovalUseCases approvals) {
    this.approvals = approvals;
  }

  void decide(Exchange ex) {
    RunId runId = ex.runId();
    Requests.Decide body = ex.body(Requests.Decide.class);
    if (body.stage() == null || body.decision() == null) {
      throw new ApiException(
          Problem.builder(ProblemType.INVALID_BODY, "fields 'stage' and 'decision' are required")
              .field("body")
              .build());
    }
    Stage stage = Params.parseBody("stage", () -> Stage.parse(body.stage()));
    ApprovalDecision decision = decision(body.decision());
    ApprovalEvent event =
        approvals.decide(
            runId, stage, decision, body.comment() == null ? "" : body.comment(), ex.actor());
    ex.ctx().header("Location", "/api/runs/" + runId + "/approvals?stage=" + stage);
    ex.json(201, ApprovalJson.of(event));
  }

  private static ApprovalDecision decision(String text) {
    for (ApprovalDecision decision : ApprovalDecision.values()) {
      if (decision.name().equals(text)) {
        return decision;
      }
    }
    throw new ApiException(
        Problem.builder(
                ProblemType.INVALID_BODY,
                "decision must be APPROVED, REJECTED or REVOKED, was '" + text + "'")
            .field("decision")
            .build());
  }

  void list(Exchange ex) {
    RunId runId = ex.runId();
    Optional<Stage> stage = ex.query("stage").map(s -> Params.parse("stage", () -> Stage.parse(s)));
    ex.json(200, PageJson.of(approvals.listApprovals(runId, stage, ex.page()), ApprovalJson::of));
  }
}
