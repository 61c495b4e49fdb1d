package org.docsgen.store.domain.diff;

/**
 * The bounds of a diff's text work (ARCHITECTURE.md § Manifest store, "Bounded work"). A modified
 * text pair gets a unified diff only when both sides are at most {@code maxTextBytes} and its edit
 * script is found within {@code editBudgetPerPair} work units ({@link EditBudget}); all pairs of
 * one diff share {@code editBudgetPerDiff}. Past any of them the change stays {@code MODIFIED} with
 * no unified diff and {@link ArtifactChange.Omission#TOO_LARGE}.
 */
public record DiffLimits(long maxTextBytes, long editBudgetPerPair, long editBudgetPerDiff) {
  /** {@code diff.maxTextBytes}'s default: 1 MiB. */
  public static final long DEFAULT_MAX_TEXT_BYTES = 1024 * 1024;

  /** Work units one pair may use (docs/decisions.md § domain: about 0.2 s here). */
  public static final long DEFAULT_EDIT_BUDGET_PER_PAIR = 20_000_000;

  /** Work units one diff request may use over all its pairs (about 1 s here). */
  public static final long DEFAULT_EDIT_BUDGET_PER_DIFF = 100_000_000;

  public static final DiffLimits DEFAULTS =
      new DiffLimits(
          DEFAULT_MAX_TEXT_BYTES, DEFAULT_EDIT_BUDGET_PER_PAIR, DEFAULT_EDIT_BUDGET_PER_DIFF);

  public DiffLimits {
    if (maxTextBytes < 0 || editBudgetPerPair < 0 || editBudgetPerDiff < 0) {
      throw new IllegalArgumentException(
          "diff limits must be >= 0, were "
              + maxTextBytes
              + ", "
              + editBudgetPerPair
              + ", "
              + editBudgetPerDiff);
    }
  }

  /** These limits with {@code bytes} as the largest text diffed. */
  public DiffLimits withMaxTextBytes(long bytes) {
    return new DiffLimits(bytes, editBudgetPerPair, editBudgetPerDiff);
  }
}
