package org.docsgen.store.adapters.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Group commit for SQLite's single writer. SQLite admits one writer at a time and a durable commit
 * costs an fsync of the WAL, so writes that each commit alone queue behind one another's fsyncs.
 * Here one thread owns the writer connection: it takes every write waiting at that moment (up to
 * {@link #MAX_BATCH}), runs each in its own savepoint inside one {@code BEGIN IMMEDIATE}
 * transaction, and commits once. A write that fails is rolled back to its savepoint and only its
 * caller sees the failure; the others commit. Every caller is answered only after the commit
 * returned, so an acknowledged write is as durable as one committed alone; while one batch syncs,
 * the next one gathers.
 *
 * <p>If the transaction itself fails (BEGIN, a savepoint that cannot be rolled back, COMMIT),
 * nothing of the batch is committed and every caller in it gets that failure.
 */
final class GroupCommitWriter implements AutoCloseable {
  static final int MAX_BATCH = 128;

  private final Jdbi writes;
  private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;
  // owned by the writer thread
  private Handle handle;
  private HotSql.Cache statements;

  GroupCommitWriter(Jdbi writes, String name) {
    this.writes = writes;
    this.thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Runs {@code work} in the next batch and returns its result once the batch committed. Failures
   * (the work's own, or the batch's) are rethrown as they were thrown, unwrapped.
   */
  <T> T write(HandleCallback<T, RuntimeException> work) {
    if (Thread.currentThread() == thread) {
      throw new IllegalStateException("a write must not start another write inside its work");
    }
    Pending<T> pending = new Pending<>(work);
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the SQLite writer is closed");
      }
      queue.add(pending);
    }
    try {
      return pending.result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  private void loop() {
    List<Pending<?>> batch = new ArrayList<>(MAX_BATCH);
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        closeHandle();
        failAll(new IllegalStateException("the SQLite writer was stopped"));
        return;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      if (batch.get(0) == Pending.STOP) {
        closeHandle();
        failAll(new IllegalStateException("the SQLite writer is closed"));
        return;
      }
      boolean stop = batch.remove(Pending.STOP);
      run(batch);
      batch.clear();
      if (stop) {
        closeHandle();
        failAll(new IllegalStateException("the SQLite writer is closed"));
        return;
      }
    }
  }

  private void run(List<Pending<?>> batch) {
    List<Object> results = new ArrayList<>(batch.size());
    try {
      Handle h = handle();
      h.begin();
      try {
        for (Pending<?> pending : batch) {
          results.add(runInSavepoint(h, pending));
        }
        h.commit();
      } catch (RuntimeException | Error e) {
        rollbackQuietly(h, e);
        throw e;
      }
    } catch (RuntimeException | Error e) {
      // the connection may be what failed: the next batch starts on a fresh one
      closeHandle();
      for (Pending<?> pending : batch) {
        pending.result.completeExceptionally(e);
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).complete(results.get(i));
    }
  }

  /**
   * The writer connection, kept from batch to batch with its prepared statements ({@link HotSql}):
   * nothing else takes connections from the writer pool of one, and each write's statements are
   * then prepared once per connection instead of once per write.
   */
  private Handle handle() {
    if (handle == null) {
      Handle opened = writes.open();
      try {
        statements = HotSql.cacheOn(opened.getConnection());
      } catch (RuntimeException e) {
        opened.close();
        throw e;
      }
      handle = opened;
    }
    return handle;
  }

  private void closeHandle() {
    if (statements != null) {
      statements.close();
      statements = null;
    }
    if (handle != null) {
      try {
        handle.close();
      } catch (RuntimeException e) {
        // a broken connection: the pool replaces it
      }
      handle = null;
    }
  }

  /** The work's result, or its failure as a {@link Failed} after rolling back its savepoint. */
  private static Object runInSavepoint(Handle h, Pending<?> pending) {
    // plain SQL: Jdbi's savepoint bookkeeping forgets a savepoint once rolled back to, while
    // SQLite keeps it until RELEASE
    HotSql.update(h, "SAVEPOINT op", s -> {});
    try {
      Object result = pending.work.withHandle(h);
      HotSql.update(h, "RELEASE op", s -> {});
      return result;
    } catch (RuntimeException e) {
      // a failure to roll back the savepoint escapes: then the whole transaction is lost
      HotSql.update(h, "ROLLBACK TO op", s -> {});
      HotSql.update(h, "RELEASE op", s -> {});
      return new Failed(e);
    }
  }

  private static void rollbackQuietly(Handle h, Throwable cause) {
    try {
      h.rollback();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  private void failAll(RuntimeException why) {
    synchronized (this) {
      closed = true;
    }
    Pending<?> pending;
    while ((pending = queue.poll()) != null) {
      pending.result.completeExceptionally(why);
    }
  }

  /** Lets the writes already queued finish, then stops the thread. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(Pending.STOP);
    }
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Failed(RuntimeException failure) {}

  private static final class Pending<T> {
    static final Pending<Object> STOP = new Pending<>(h -> null);

    final HandleCallback<T, RuntimeException> work;
    final CompletableFuture<T> result = new CompletableFuture<>();

    Pending(HandleCallback<T, RuntimeException> work) {
      this.work = work;
    }

    @SuppressWarnings("unchecked")
    void complete(Object outcome) {
      if (outcome instanceof Failed failed) {
        result.completeExceptionally(failed.failure());
      } else {
        result.complete((T) outcome);
      }
    }
  }
}
