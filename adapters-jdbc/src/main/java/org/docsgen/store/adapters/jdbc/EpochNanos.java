package org.docsgen.store.adapters.jdbc;

import java.time.Instant;
import org.docsgen.store.ports.error.InvalidInputException;

/**
 * Instants as BIGINT nanoseconds since the epoch: an exact round trip of {@link Instant} on both
 * databases (PostgreSQL's {@code timestamptz} keeps microseconds, SQLite has no time type),
 * sortable as numbers. Covers the years 1678 to 2262.
 */
final class EpochNanos {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private EpochNanos() {}

  static long of(Instant instant) {
    try {
      return Math.addExact(
          Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
    } catch (ArithmeticException e) {
      throw new InvalidInputException(
          "time", "instant " + instant + " is outside the storable range (years 1678 to 2262)");
    }
  }

  static Instant toInstant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
  }
}
