package org.docsgen.store.ports.error;

/**
 * Root of the port exception family. Adapters translate vendor exceptions (IO, SQL, SDK) into one
 * of its subclasses in one place; no vendor exception crosses a port. Every message names the path
 * or id concerned.
 */
public abstract sealed class StoreException extends RuntimeException
    permits NotFoundException,
        RefusedException,
        InvalidInputException,
        IntegrityException,
        BackendUnavailableException {
  protected StoreException(String message) {
    super(message);
  }

  protected StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
