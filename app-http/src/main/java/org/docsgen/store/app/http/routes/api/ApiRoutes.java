package org.docsgen.store.app.http.routes.api;

import static org.docsgen.store.app.http.routes.Route.Method.GET;
import static org.docsgen.store.app.http.routes.Route.Method.HEAD;
import static org.docsgen.store.app.http.routes.Route.Method.POST;
import static org.docsgen.store.app.http.routes.Route.Method.PUT;
import static org.docsgen.store.app.http.routes.Route.route;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.docsgen.store.app.http.auth.Access;
import org.docsgen.store.app.http.json.ApprovalJson;
import org.docsgen.store.app.http.json.ArtifactJson;
import org.docsgen.store.app.http.json.BundleJson;
import org.docsgen.store.app.http.json.DiffJson;
import org.docsgen.store.app.http.json.ExecutionDetailsJson;
import org.docsgen.store.app.http.json.ExecutionJson;
import org.docsgen.store.app.http.json.GateReportJson;
import org.docsgen.store.app.http.json.HealthJson;
import org.docsgen.store.app.http.json.IssueCountsJson;
import org.docsgen.store.app.http.json.IssueJson;
import org.docsgen.store.app.http.json.OverwriteTokenJson;
import org.docsgen.store.app.http.json.Requests;
import org.docsgen.store.app.http.json.RunJson;
import org.docsgen.store.app.http.json.SigningKeyJson;
import org.docsgen.store.app.http.json.VerificationJson;
import org.docsgen.store.app.http.routes.Route;
import org.docsgen.store.app.http.routes.Route.Body;
import org.docsgen.store.app.http.routes.UseCases;
import org.docsgen.store.app.http.routes.ui.UiRoutes;

/**
 * The route table: every route of the API with the access it needs and what it takes and answers.
 * Routing, authorisation, the role-matrix test and {@code /openapi.json} all read this one list.
 */
public final class ApiRoutes {
  private static final String RUN = "/api/runs/{runId}";
  private static final String STAGE = RUN + "/stages/{stage}";

  /** The artifact route's template, as metrics and the request log name it. */
  public static final String ARTIFACT = "/api/artifacts/<path>";

  private ApiRoutes() {}

  /**
   * Builds the table. {@code openApi} turns the finished table into the document {@code
   * /openapi.json} serves.
   */
  public static List<Route> table(
      UseCases useCases,
      long maxArtifactBytes,
      Supplier<HealthJson> health,
      Supplier<String> metrics,
      Function<List<Route>, Object> openApi) {
    AtomicReference<Object> document = new AtomicReference<>();
    List<Route> routes = new ArrayList<>();
    routes.addAll(runs(new RunRoutes(useCases.runs())));
    routes.addAll(executions(new ExecutionRoutes(useCases.executions(), useCases.gates())));
    routes.addAll(artifacts(new ArtifactRoutes(useCases.artifacts(), maxArtifactBytes)));
    routes.addAll(issues(new IssueRoutes(useCases.issues())));
    routes.addAll(approvals(new ApprovalRoutes(useCases.approvals())));
    routes.addAll(bundles(new BundleRoutes(useCases.bundles())));
    routes.addAll(diffs(new DiffRoutes(useCases.diffs())));
    routes.addAll(ops(new OpsRoutes(health, metrics, document::get)));
    routes.addAll(UiRoutes.table());
    List<Route> table = List.copyOf(routes);
    document.set(openApi.apply(table));
    return table;
  }

  private static List<Route> runs(RunRoutes h) {
    return List.of(
        route(POST, "/api/runs", Access.WRITE)
            .tag("runs")
            .id("createRun", "Create a run (id allocated); body optional")
            .json(Requests.CreateRun.class)
            .repliesJson(201, RunJson.class, "the run, with Location")
            .problems(400, 401, 403, 415, 503)
            .handle(h::create),
        route(GET, "/api/runs", Access.READ)
            .tag("runs")
            .id("listRuns", "List runs, newest first")
            .query("limit", "integer", "page size, 1-1000 (default 100)")
            .query("cursor", "string", "nextCursor of the previous page")
            .repliesPage(200, RunJson.class, "a page of runs")
            .problems(400, 401, 403, 503)
            .handle(h::list),
        route(GET, RUN, Access.READ)
            .tag("runs")
            .id("getRun", "Show a run with its core files")
            .repliesJson(200, RunJson.class, "the run")
            .problems(400, 401, 403, 404, 503)
            .handle(h::get));
  }

  private static List<Route> executions(ExecutionRoutes h) {
    return List.of(
        route(POST, STAGE + "/executions", Access.WRITE)
            .tag("executions")
            .id("startExecution", "Start the stage's next attempt (RUNNING)")
            .repliesJson(201, ExecutionJson.class, "the started execution, with Location")
            .problems(400, 401, 403, 404, 409, 415, 503)
            .handle(h::start),
        route(POST, STAGE + "/executions/{attempt}/finish", Access.WRITE)
            .tag("executions")
            .id("finishExecution", "Finish a RUNNING execution")
            .json(Requests.FinishExecution.class)
            .repliesJson(200, ExecutionJson.class, "the finished execution")
            .problems(400, 401, 403, 404, 409, 415, 503)
            .handle(h::finish),
        route(GET, STAGE + "/executions", Access.READ)
            .tag("executions")
            .id("listExecutions", "The stage's executions by attempt")
            .query("limit", "integer", "page size, 1-1000 (default 100)")
            .query("cursor", "string", "nextCursor of the previous page")
            .repliesPage(200, ExecutionJson.class, "a page of executions")
            .problems(400, 401, 403, 404, 503)
            .handle(h::list),
        route(GET, STAGE + "/executions/{attempt}", Access.READ)
            .tag("executions")
            .id("getExecution", "One execution with its artifacts, issues and gate outcome")
            .repliesJson(200, ExecutionDetailsJson.class, "the execution in full")
            .problems(400, 401, 403, 404, 503)
            .handle(h::get),
        route(GET, STAGE + "/gate", Access.READ)
            .tag("executions")
            .id("explainGate", "Why the stage's gate passed or failed, with evidence")
            .repliesJson(200, GateReportJson.class, "the gate report")
            .problems(400, 401, 403, 404, 503)
            .handle(h::gate));
  }

  private static List<Route> artifacts(ArtifactRoutes h) {
    return List.of(
        route(PUT, ARTIFACT, Access.WRITE)
            .tag("artifacts")
            .id("putArtifact", "Write an artifact (streamed) to <runId>/<stage>/<name>")
            .header(
                ArtifactRoutes.ARTIFACT_TYPE,
                true,
                "DOCUMENTATION, VALIDATION_REPORT, PLAN, BUNDLE, OTHER")
            .header(
                "If-None-Match",
                false,
                "* = create only (412 if the path exists, answered before the body)")
            .header(
                ArtifactRoutes.OVERWRITE_TOKEN,
                false,
                "token from POST …/overwrite-tokens; checked on arrival, before the body"
                    + " (409 if unusable or stale), consumed where the write commits")
            .bytes()
            .repliesJson(
                201, ArtifactJson.class, "created (generation 1 or N+1), with Location and ETag")
            .repliesJson(200, ArtifactJson.class, "identical bytes already stored; nothing written")
            // 409 also when the body arrived after its execution finished, its stage was
            // approved or its run bundled (decided where the write commits)
            .problems(400, 401, 403, 404, 409, 412, 413, 503)
            .handle(h::put),
        route(GET, ARTIFACT, Access.READ)
            .tag("artifacts")
            .id("getArtifact", "Read an artifact (streamed); Range, If-None-Match, lines preview")
            .query("generation", "integer", "a generation (default: the latest)")
            .query(
                "lines",
                "string",
                "A-B: that slice of a text artifact as text/plain, at most"
                    + " server.maxPreviewBytes (default 1048576) bytes; larger -> 413")
            .header("Range", false, "bytes=a-b, bytes=a- or bytes=-n (one range)")
            .header("If-None-Match", false, "ETag(s); 304 when one matches")
            .header("If-Range", false, "ETag; the Range applies only when it matches")
            .replies(200, new Body.Bytes(), "the content, or with ?lines= the text slice")
            .replies(200, new Body.Text(), "with ?lines=: the lines as text/plain; charset=utf-8")
            .replies(206, new Body.Bytes(), "the requested byte range, with Content-Range")
            .replies(304, new Body.None(), "not modified")
            .problems(400, 401, 403, 404, 413, 416, 502, 503)
            .handle(h::get),
        route(HEAD, ARTIFACT, Access.READ)
            .tag("artifacts")
            .id("headArtifact", "An artifact's headers: ETag, size, type, generation")
            .query("generation", "integer", "a generation (default: the latest)")
            .query(
                "lines",
                "string",
                "A-B: the size of that text slice (at most server.maxPreviewBytes; larger -> 413)")
            .header("If-None-Match", false, "ETag(s); 304 when one matches")
            .replies(200, new Body.None(), "headers only")
            .replies(304, new Body.None(), "not modified")
            .problems(400, 401, 403, 404, 413, 416, 503)
            .handle(h::head),
        route(GET, RUN + "/artifacts", Access.READ)
            .tag("artifacts")
            .id("listArtifacts", "Latest versions of the run's artifacts, sorted by path")
            .query("stage", "string", "phase<N> or final")
            .query("type", "string", "an artifact type")
            .query("limit", "integer", "page size, 1-1000 (default 100)")
            .query("cursor", "string", "nextCursor of the previous page")
            .repliesPage(200, ArtifactJson.class, "a page of artifacts")
            .problems(400, 401, 403, 404, 503)
            .handle(h::list),
        route(POST, RUN + "/overwrite-tokens", Access.WRITE)
            .tag("artifacts")
            .id("requestOverwriteToken", "Ask the immutability policy for an overwrite token")
            .json(Requests.RequestOverwriteToken.class)
            .repliesJson(200, OverwriteTokenJson.class, "a single-use token and what it permits")
            .problems(400, 401, 403, 404, 409, 415, 503)
            .handle(h::overwriteToken));
  }

  private static List<Route> issues(IssueRoutes h) {
    return List.of(
        route(POST, RUN + "/issues", Access.WRITE)
            .tag("issues")
            .id("recordIssues", "Record validation issues, all or none")
            .json(Requests.RecordIssues.class)
            .repliesPage(201, IssueJson.class, "the recorded issues with ids and deep links")
            .problems(400, 401, 403, 404, 413, 415, 503)
            .handle(h::record),
        route(GET, RUN + "/issues", Access.READ)
            .tag("issues")
            .id("queryIssues", "Query issues, or count them with groupBy=severity")
            .query("file", "string", "a logical path")
            .query("rule", "string", "a rule id")
            .query("severity", "string", "ERROR, WARNING or INFO")
            .query("stage", "string", "phase<N> or final")
            .query("attempt", "integer", "an attempt (needs stage)")
            .query("groupBy", "string", "severity: answer counts instead of issues")
            .query("limit", "integer", "page size, 1-1000 (default 100)")
            .query("cursor", "string", "nextCursor of the previous page")
            .repliesPage(200, IssueJson.class, "a page of issues")
            .repliesJson(200, IssueCountsJson.class, "with groupBy=severity: counts per severity")
            .problems(400, 401, 403, 404, 503)
            .handle(h::query));
  }

  private static List<Route> approvals(ApprovalRoutes h) {
    return List.of(
        route(POST, RUN + "/approvals", Access.APPROVE)
            .tag("approvals")
            .id("decide", "Record an approval decision about a stage")
            .json(Requests.Decide.class)
            .repliesJson(201, ApprovalJson.class, "the appended event")
            .problems(400, 401, 403, 404, 409, 415, 503)
            .handle(h::decide),
        route(GET, RUN + "/approvals", Access.READ)
            .tag("approvals")
            .id("listApprovals", "Approval events, oldest first")
            .query("stage", "string", "phase<N> or final")
            .query("limit", "integer", "page size, 1-1000 (default 100)")
            .query("cursor", "string", "nextCursor of the previous page")
            .repliesPage(200, ApprovalJson.class, "a page of approval events")
            .problems(400, 401, 403, 404, 503)
            .handle(h::list));
  }

  private static List<Route> bundles(BundleRoutes h) {
    return List.of(
        route(POST, RUN + "/bundle", Access.WRITE)
            .tag("bundles")
            .id("createBundle", "Bundle the run's core files (final validation must have passed)")
            .repliesJson(201, BundleJson.class, "the bundle record, with Location of the zip")
            .replies(
                409,
                new Body.ProblemDoc(),
                "gate-not-passed: failing lists each open ERROR issue of the latest final attempt"
                    + " as {rule, file} (at most 100; failingTotal counts all, [] and 0 when the"
                    + " gate fails for another reason, which detail names), missing each missing"
                    + " core file; or already-bundled")
            .problems(400, 401, 403, 404, 415, 502, 503)
            .handle(h::create),
        route(GET, RUN + "/bundle/verify", Access.READ)
            .tag("bundles")
            .id("verifyBundle", "Re-read the bundle and prove every entry")
            .repliesJson(200, VerificationJson.class, "valid or not, with every problem found")
            .problems(400, 401, 403, 404, 503)
            .handle(h::verify),
        route(GET, RUN + "/bundle/attestation", Access.READ)
            .tag("bundles")
            .id(
                "getBundleAttestation",
                "The bundle's attestation exactly as stored: a DSSE envelope"
                    + " {payloadType: application/vnd.in-toto+json, payload: base64 of an in-toto"
                    + " Statement v1, signatures: [{keyid, sig}]}")
            .replies(200, new Body.AnyJson(), "the DSSE envelope (application/json)")
            .problems(400, 401, 403, 404, 502, 503)
            .handle(h::attestation),
        route(GET, "/api/signing-keys", Access.READ)
            .tag("bundles")
            .id(
                "listSigningKeys",
                "The public keys that verify this deployment's bundles, the signing key first"
                    + " (then the retired keys of signing.trustedPublicKeys)")
            .repliesPage(200, SigningKeyJson.class, "every key, in one page")
            .problems(401, 403, 503)
            .handle(h::signingKeys));
  }

  private static List<Route> diffs(DiffRoutes h) {
    return List.of(
        route(GET, RUN + "/diff", Access.READ)
            .tag("diff")
            .id("diff", "What changed between two executions or two runs")
            .query("from", "string", "<stage>@<attempt> or a run id")
            .query("to", "string", "<stage>@<attempt> or a run id")
            .repliesJson(
                200,
                DiffJson.class,
                "changes and issue lineage; a modified text gets a unifiedDiff only up to"
                    + " diff.maxTextBytes (default 1048576) bytes each side and within an edit"
                    + " budget, else unifiedDiff null and diffOmitted \"too-large\"")
            .problems(400, 401, 403, 404, 503)
            .handle(h::diff));
  }

  private static List<Route> ops(OpsRoutes h) {
    return List.of(
        route(GET, "/health", Access.OPEN)
            .tag("operations")
            .id("health", "Liveness of both stores")
            .repliesJson(200, HealthJson.class, "UP")
            .repliesJson(503, HealthJson.class, "DOWN")
            .handle(h::health),
        route(GET, "/openapi.json", Access.OPEN)
            .tag("operations")
            .id("openApi", "This API's OpenAPI 3.1 document")
            .replies(200, new Body.AnyJson(), "the document")
            .handle(h::openApi),
        route(GET, "/metrics", Access.READ)
            .tag("operations")
            .id("metrics", "Prometheus metrics (any role; give scrapers a reader token)")
            .replies(200, new Body.Metrics(), "Prometheus text format")
            .problems(401, 403)
            .handle(h::metrics));
  }
}
