package org.docsgen.store.ports.error;

/** The run, execution, artifact, generation, issue or bundle named does not exist. */
public final class NotFoundException extends StoreException {
  public NotFoundException(String message) {
    super(message);
  }
}
