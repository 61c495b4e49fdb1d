package org.docsgen.store.ports.service;

import org.docsgen.store.domain.diff.DiffLimits;

/**
 * The bounds on one request's work the services apply (ARCHITECTURE.md § Manifest store, "Bounded
 * work"), from configuration: {@code server.maxPreviewBytes}, the largest line preview ({@code
 * readLines}), and {@code diff.maxTextBytes}, the largest text given a unified diff. The edit
 * budgets of a diff are the domain's ({@link DiffLimits}).
 */
public record ServiceLimits(long maxPreviewBytes, long maxDiffTextBytes) {
  /** {@code server.maxPreviewBytes}'s default: 1 MiB. */
  public static final long DEFAULT_MAX_PREVIEW_BYTES = 1024 * 1024;

  public static final ServiceLimits DEFAULTS =
      new ServiceLimits(DEFAULT_MAX_PREVIEW_BYTES, DiffLimits.DEFAULT_MAX_TEXT_BYTES);

  public ServiceLimits {
    if (maxPreviewBytes < 1) {
      throw new IllegalArgumentException("maxPreviewBytes must be >= 1, was " + maxPreviewBytes);
    }
    if (maxDiffTextBytes < 0) {
      throw new IllegalArgumentException("maxDiffTextBytes must be >= 0, was " + maxDiffTextBytes);
    }
  }

  DiffLimits diffLimits() {
    return DiffLimits.DEFAULTS.withMaxTextBytes(maxDiffTextBytes);
  }
}
