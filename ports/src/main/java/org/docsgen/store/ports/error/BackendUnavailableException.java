package org.docsgen.store.ports.error;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A backend (filesystem, S3 endpoint, database) could not be reached or failed.
 *
 * <p>It carries two texts. The message ({@link #getMessage()}) names the backend, what failed (by
 * logical path or id) and what to do; it is safe to show any client, so it never holds a
 * server-side file path, SQL, a driver's error text or a stack trace. The {@linkplain
 * #internalDetail() internal detail} is the vendor's own words (an absolute path, the database's
 * error, an endpoint's address): it goes to the server log, and to a local operator's terminal,
 * never into an HTTP answer.
 */
public final class BackendUnavailableException extends StoreException {
  private final String backend;
  private final String internalDetail;

  /**
   * A failure whose {@code message} is already safe to show any client (it names logical paths or
   * ids only); the cause, if any, is for the log.
   */
  public BackendUnavailableException(String backend, String message, Throwable cause) {
    this(backend, message, null, cause);
  }

  /**
   * A failure with a {@code message} safe to show any client (what failed and what to do) and an
   * {@code internalDetail} (may be null) that only the server log and a local operator see.
   */
  public BackendUnavailableException(
      String backend, String message, String internalDetail, Throwable cause) {
    super(requireNonNull(backend, "backend is null") + ": " + message, cause);
    this.backend = backend;
    this.internalDetail =
        internalDetail == null || internalDetail.isBlank() ? null : internalDetail;
  }

  public String backend() {
    return backend;
  }

  /** The vendor's own words about the failure, for the server log and a local operator. */
  public Optional<String> internalDetail() {
    return Optional.ofNullable(internalDetail);
  }
}
