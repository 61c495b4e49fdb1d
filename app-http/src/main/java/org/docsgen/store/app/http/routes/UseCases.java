package org.docsgen.store.app.http.routes;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.ports.in.ApprovalUseCases;
import org.docsgen.store.ports.in.ArtifactUseCases;
import org.docsgen.store.ports.in.BundleUseCases;
import org.docsgen.store.ports.in.DiffUseCases;
import org.docsgen.store.ports.in.ExecutionUseCases;
import org.docsgen.store.ports.in.GateUseCases;
import org.docsgen.store.ports.in.IssueUseCases;
import org.docsgen.store.ports.in.RunUseCases;

/** The inbound ports the routes call. */
public record UseCases(
    RunUseCases runs,
    ExecutionUseCases executions,
    ArtifactUseCases artifacts,
    IssueUseCases issues,
    ApprovalUseCases approvals,
    BundleUseCases bundles,
    DiffUseCases diffs,
    GateUseCases gates) {

  public UseCases {
    requireNonNull(runs, "runs is null");
    requireNonNull(executions, "executions is null");
    requireNonNull(artifacts, "artifacts is null");
    requireNonNull(issues, "issues is null");
    requireNonNull(approvals, "approvals is null");
    requireNonNull(bundles, "bundles is null");
    requireNonNull(diffs, "diffs is null");
    requireNonNull(gates, "gates is null");
  }

  /** All use cases from one object implementing every interface (the application services). */
  public static <
          T extends
              RunUseCases & ExecutionUseCases & ArtifactUseCases & IssueUseCases & ApprovalUseCases
                  & BundleUseCases & DiffUseCases & GateUseCases>
      UseCases of(T services) {
    return new UseCases(
        services, services, services, services, services, services, services, services);
  }
}
