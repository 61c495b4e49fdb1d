package org.docsgen.store.ports.bundle;

import java.util.ArrayList;
import java.util.List;

/**
 * The report of a bundle verification, online or offline: one line per check, {@code OK <what>} or
 * {@code FAIL <what>: <why>}, failures first; valid when nothing failed.
 */
public final class VerificationChecks {
  private final List<String> failures = new ArrayList<>();
  private final List<String> passes = new ArrayList<>();

  /** Records one check: {@code what} was checked, {@code failure} says what was found instead. */
  public void check(boolean ok, String what, String failure) {
    if (ok) {
      passes.add("OK " + what);
    } else {
      failures.add("FAIL " + what + ": " + failure);
    }
  }

  /** Whether no check failed. */
  public boolean valid() {
    return failures.isEmpty();
  }

  /** Every line, failures first, each group in the order checked. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>(failures);
    lines.addAll(passes);
    return List.copyOf(lines);
  }
}
