package org.docsgen.store.app.http.health;

import org.docsgen.store.app.http.json.HealthJson;
import org.docsgen.store.ports.error.BackendUnavailableException;

/**
 * What {@code GET /health} answers, and what the requests the server handles tell it. Reading it
 * never touches a store (the route is open to anyone); the stores are probed in the background at
 * most every few seconds, and the outcome of recent requests feeds the same state.
 */
public interface Health {
  /** The last known state of both stores. Never does I/O. */
  HealthJson current();

  /**
   * A write request succeeded: the manifest answered and, when {@code artifactsWritten}, so did the
   * artifact store.
   */
  void writeSucceeded(boolean artifactsWritten);

  /** A request failed because {@code failure}'s backend did not answer. */
  void backendFailed(BackendUnavailableException failure);
}
