package org.docsgen.store.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import org.docsgen.store.domain.run.CoreFileSet;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunStatus;
import org.docsgen.store.ports.out.ManifestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ManifestStore} promises. Each adapter's test subclasses this and
 * supplies only the backend (a SQLite file, a PostgreSQL schema) through the hooks.
 */
public abstract class ManifestStoreContract {
  protected static final LocalDate DAY = LocalDate.of(2026, 11, 28);
  protected static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
  protected ManifestStore store;

  /** A new, empty, migrated manifest over a fresh backend location. */
  protected abstract ManifestStore createStore() throws Exception;

  /** Asserts through raw JDBC (not the adapter) that the manifest holds no rows. */
  protected abstract void assertBackendEmpty() throws Exception;

  /** Releases the backend; default does nothing. */
  protected void closeStore() throws Exception {}

  @BeforeEach
  void setUpStore() throws Exception {
    store = createStore();
    assertBackendEmpty();
  }

  @AfterEach
  void tearDownStore() throws Exception {
    closeStore();
  }

  @Test
  void createRunAllocatesSequentialIdsPerDay() {
    Run first = store.createRun(DAY, "alice", NOW, CoreFileSet.standard(), true);
    Run second =
        store.createRun(DAY, "bob", NOW, CoreFileSet.of(java.util.List.of("docsgen.md")), false);

    assertThat(first.runId().toString()).isEqualTo("run_2026_11_28_0001");
    assertThat(second.runId().toString()).isEqualTo("run_2026_11_28_0002");
    assertThat(first.status()).isEqualTo(RunStatus.ACTIVE);
    assertThat(store.findRun(second.runId())).contains(second);
  }
}
