package org.docsgen.store.domain.run;

/** Lifecycle of a run. Once {@code BUNDLED} nothing in the run may be overwritten. */
public enum RunStatus {
  ACTIVE,
  BUNDLED
}
