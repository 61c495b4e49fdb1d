package org.docsgen.store.ports.error;

import static java.util.Objects.requireNonNull;

/** A backend (filesystem, S3 endpoint, database) could not be reached or failed. */
public final class BackendUnavailableException extends StoreException {
  private final String backend;

  public BackendUnavailableException(String backend, String message, Throwable cause) {
    super(requireNonNull(backend, "backend is null") + ": " + message, cause);
    this.backend = backend;
  }

  public String backend() {
    return backend;
  }
}
