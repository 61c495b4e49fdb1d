package org.docsgen.store.ports.out;

import static java.util.Objects.requireNonNull;

/**
 * A backend's health: its name ({@code fs}, {@code s3}, {@code jdbc}, {@code sqlite}, {@code
 * postgresql}), whether it answered, whether its store guard is in force (for artifact stores), and
 * a short detail for operators.
 */
public record StoreHealth(String backend, boolean up, boolean guarded, String detail) {
  public StoreHealth {
    requireNonNull(backend, "backend is null");
    requireNonNull(detail, "detail is null");
  }
}
