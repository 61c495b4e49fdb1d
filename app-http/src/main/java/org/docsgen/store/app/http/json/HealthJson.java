package org.docsgen.store.app.http.json;

/**
 * {@code GET /health}: {@code {"status": "UP"|"DOWN", "artifacts": {"backend", "status",
 * "guarded"}, "manifest": {"status"}}}. Details stay in the server log: the route is open.
 */
public record HealthJson(String status, Artifacts artifacts, Manifest manifest) {

  public record Artifacts(String backend, String status, boolean guarded) {}

  public record Manifest(String status) {}

  public boolean up() {
    return status.equals("UP");
  }
}
