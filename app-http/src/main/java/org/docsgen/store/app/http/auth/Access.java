package org.docsgen.store.app.http.auth;

/**
 * What a route needs from its caller. Every route of the route table declares one; {@link Role}
 * says which roles grant it.
 */
public enum Access {
  /** No token needed ({@code /health}, {@code /openapi.json}). */
  OPEN,
  /** Any role: reads. */
  READ,
  /** writer or admin: runs, executions, artifacts, issues, overwrite tokens, bundles. */
  WRITE,
  /** approver or admin: approval decisions. */
  APPROVE,
  /** admin only. */
  ADMIN
}
