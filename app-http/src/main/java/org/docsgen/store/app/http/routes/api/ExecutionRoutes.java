package org.docsgen.store.app.http.routes.api;

import java.util.List;
import org.docsgen.store.app.http.json.ExecutionDetailsJson;
import org.docsgen.store.app.http.json.ExecutionJson;
import org.docsgen.store.app.http.json.GateReportJson;
import org.docsgen.store.app.http.json.PageJson;
import org.docsgen.store.app.http.json.Requests;
import org.docsgen.store.app.http.problem.ApiException;
import org.docsgen.store.app.http.problem.Problem;
import org.docsgen.store.app.http.problem.ProblemType;
import org.docsgen.store.app.http.routes.Exchange;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.gate.GateReport;
import org.docsgen.store.ports.in.ExecutionUseCases;
import org.docsgen.store.ports.in.GateUseCases;
import org.docsgen.store.ports.out.Page;

/** Start, finish and inspect phase executions, and explain a stage's gate. */
final class ExecutionRoutes {
  private final ExecutionUseCases executions;
  private final GateUseCases gates;

  ExecutionRoutes(ExecutionUseCases executions, GateUseCases gates) {
    this.executions = executions;
    this.gates = gates;
  }

  void start(Exchange ex) {
    ex.optionalBody(Empty.class); // a body, if any, must be an empty JSON object
    PhaseExecution started = executions.start(ex.runId(), ex.stage(), ex.actor());
    ex.ctx().header("Location", location(started.ref()));
    ex.json(201, ExecutionJson.of(started, List.of()));
  }

  /**
   * The start route takes no fields; an empty object is accepted for clients that always send one.
   */
  record Empty() {}

  void finish(Exchange ex) {
    ExecutionRef ref = new ExecutionRef(ex.runId(), ex.stage(), ex.attempt());
    Requests.FinishExecution body = ex.body(Requests.FinishExecution.class);
    if (body.status() == null) {
      throw new ApiException(
          Problem.builder(
                  ProblemType.INVALID_BODY,
                  "field 'status' is required: SUCCEEDED, FAILED or GATE_FAILED")
              .field("status")
              .build());
    }
    ExecutionStatus status = status(body.status());
    PhaseExecution finished = executions.finish(ref, status, body.error(), ex.actor());
    ex.json(200, ExecutionJson.of(finished, executions.get(finished.ref()).artifacts()));
  }

  private static ExecutionStatus status(String text) {
    for (ExecutionStatus status : ExecutionStatus.values()) {
      if (status.isTerminal() && status.name().equals(text)) {
        return status;
      }
    }
    throw new ApiException(
        Problem.builder(
                ProblemType.INVALID_BODY,
                "status must be SUCCEEDED, FAILED or GATE_FAILED, was '" + text + "'")
            .field("status")
            .build());
  }

  /**
   * The stage's executions by attempt, each with its artifact versions (one look-up per listed
   * execution; a stage has few attempts and the page bounds them).
   */
  void list(Exchange ex) {
    Page<PhaseExecution> page = executions.listExecutions(ex.runId(), ex.stage(), ex.page());
    ex.json(200, PageJson.of(page, e -> ExecutionJson.of(e, executions.get(e.ref()).artifacts())));
  }

  void get(Exchange ex) {
    ExecutionRef ref = new ExecutionRef(ex.runId(), ex.stage(), ex.attempt());
    ex.json(200, ExecutionDetailsJson.of(executions.get(ref)));
  }

  void gate(Exchange ex) {
    GateReport report = gates.explain(ex.runId(), ex.stage());
    List<ArtifactInfo> artifacts =
        report.execution() == null
            ? List.of()
            : executions.get(report.execution().ref()).artifacts();
    ex.json(200, GateReportJson.of(report, artifacts));
  }

  static String location(ExecutionRef ref) {
    return "/api/runs/" + ref.runId() + "/stages/" + ref.stage() + "/executions/" + ref.attempt();
  }
}
