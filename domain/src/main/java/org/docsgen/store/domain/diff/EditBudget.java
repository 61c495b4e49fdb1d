package org.docsgen.store.domain.diff;

/**
 * How much edit-script search a unified diff may do, in work units: one unit per diagonal step and
 * per matching line followed in Myers' search (see {@link UnifiedDiff}). A count, not a clock, so
 * the same inputs always give the same outcome. Not thread-safe: one budget per diff computation.
 */
public final class EditBudget {
  private final long limit;
  private long spent;

  private EditBudget(long limit) {
    this.limit = limit;
  }

  /** A budget of {@code units} (at least 0). */
  public static EditBudget of(long units) {
    if (units < 0) {
      throw new IllegalArgumentException("an edit budget must be >= 0, was " + units);
    }
    return new EditBudget(units);
  }

  /** No limit (callers that bound the input themselves). */
  public static EditBudget unlimited() {
    return new EditBudget(Long.MAX_VALUE);
  }

  public long remaining() {
    return limit - spent;
  }

  public long spent() {
    return spent;
  }

  /** Records {@code units} of work, never past the limit. */
  void spend(long units) {
    spent = Math.min(limit, spent + units);
  }
}
