package org.docsgen.store.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit on a real SQLite file: each write keeps its own outcome although it shares a
 * transaction — a failing write leaves nothing behind and takes no other write with it — and every
 * acknowledged write is committed.
 */
class GroupCommitWriterTest {
  private static final int THREADS = 16;
  private static final int WRITES_PER_THREAD = 25;

  @TempDir Path dir;
  private Jdbi jdbi;
  private GroupCommitWriter writer;

  @BeforeEach
  void open() {
    jdbi =
        Jdbi.create(
            "jdbc:sqlite:"
                + dir.resolve("g.db")
                + "?journal_mode=WAL&synchronous=FULL&transaction_mode=IMMEDIATE");
    jdbi.useHandle(h -> h.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)"));
    writer = new GroupCommitWriter(jdbi, "test-writer");
  }

  @AfterEach
  void close() {
    writer.close();
  }

  @Test
  void concurrentWritesKeepTheirOwnOutcomes() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<String>>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      results.add(
          pool.submit(
              () -> {
                go.await();
                List<String> outcomes = new ArrayList<>();
                for (int i = 0; i < WRITES_PER_THREAD; i++) {
                  String key = thread + "-" + i;
                  boolean fails = i % 5 == 0;
                  try {
                    int inserted =
                        writer.write(
                            h -> {
                              int n = h.execute("INSERT INTO t (k, v) VALUES (?, ?)", key, thread);
                              if (fails) {
                                throw new IllegalArgumentException("refused " + key);
                              }
                              return n;
                            });
                    outcomes.add(key + (inserted == 1 ? " ok" : " ?"));
                  } catch (IllegalArgumentException e) {
                    outcomes.add(key + " " + e.getMessage());
                  }
                }
                return outcomes;
              }));
    }
    go.countDown();
    Set<String> acknowledged = new TreeSet<>();
    for (Future<List<String>> result : results) {
      for (String outcome : result.get()) {
        String key = outcome.substring(0, outcome.indexOf(' '));
        boolean fails = Integer.parseInt(key.substring(key.indexOf('-') + 1)) % 5 == 0;
        assertThat(outcome).isEqualTo(fails ? key + " refused " + key : key + " ok");
        if (!fails) {
          acknowledged.add(key);
        }
      }
    }
    pool.shutdown();

    List<String> keys =
        jdbi.withHandle(h -> h.select("SELECT k FROM t").mapTo(String.class).list());
    Set<String> stored = new TreeSet<>(keys);
    assertThat(stored).isEqualTo(acknowledged);
    assertThat(stored).hasSize(THREADS * WRITES_PER_THREAD * 4 / 5);
  }

  @Test
  void aConstraintViolationIsTheCallersAloneAndTheTransactionGoesOn() {
    writer.write(h -> h.execute("INSERT INTO t (k, v) VALUES ('a', 1)"));

    assertThatThrownBy(() -> writer.write(h -> h.execute("INSERT INTO t (k, v) VALUES ('a', 2)")))
        .isExactlyInstanceOf(UnableToExecuteStatementException.class)
        .hasCauseInstanceOf(java.sql.SQLException.class)
        .hasMessageContaining("UNIQUE");
    writer.write(h -> h.execute("INSERT INTO t (k, v) VALUES ('b', 3)"));

    List<String> rows =
        jdbi.withHandle(
            h -> h.select("SELECT k || v FROM t ORDER BY k").mapTo(String.class).list());
    assertThat(rows).containsExactly("a1", "b3");
  }

  @Test
  void aWriteInsideAWriteIsRefusedInsteadOfDeadlocking() {
    assertThatThrownBy(() -> writer.write(h -> writer.write(inner -> 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must not start another write");
  }

  @Test
  void afterCloseWritesAreRefused() {
    writer.close();

    assertThatThrownBy(() -> writer.write(h -> 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
