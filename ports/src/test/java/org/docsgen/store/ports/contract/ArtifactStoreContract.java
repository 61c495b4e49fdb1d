package org.docsgen.store.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.concurrent.ThreadLocalRandom;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.ImmutableException;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.WriteRequest;
import org.docsgen.store.ports.out.WriteResult;
import org.docsgen.store.ports.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ArtifactStore} promises. Each adapter's test subclasses this and
 * supplies only the backend through the hooks; backend differences are hook methods, and an
 * unsupported case is skipped by an assumption that says why.
 */
public abstract class ArtifactStoreContract {
  /** The overwrite-token key every contract store is built with. */
  protected static final byte[] TOKEN_KEY =
      "contract-test-overwrite-token-key-0123456789".getBytes(StandardCharsets.UTF_8);

  protected final MutableClock clock = MutableClock.startingAt("2026-11-28T10:00:00Z");
  protected final OverwriteTokens tokens = new OverwriteTokens(TOKEN_KEY, clock);
  protected ArtifactStore store;
  protected RunId run;

  /**
   * A new, empty store over a fresh backend location (directory, bucket, schema), guarded with
   * {@code tokens} and stamping {@code createdAt} from {@code clock}.
   */
  protected abstract ArtifactStore createStore(OverwriteTokens tokens, java.time.Clock clock)
      throws Exception;

  /** Asserts through the raw backend (filesystem, S3 client, JDBC) that the store holds nothing. */
  protected abstract void assertBackendEmpty() throws Exception;

  /** Alters the stored bytes of one version behind the store's back. */
  protected abstract void tamper(LogicalPath path, int generation) throws Exception;

  /** Whether concurrent exclusive creates of one location are atomic on this backend. */
  protected boolean supportsAtomicCreate() {
    return true;
  }

  /** Releases the backend; default does nothing. */
  protected void closeStore() throws Exception {}

  @BeforeEach
  void setUpStore() throws Exception {
    store = createStore(tokens, clock);
    assertBackendEmpty();
    run = RunId.of(LocalDate.of(2026, 11, 28), ThreadLocalRandom.current().nextInt(1, 9999));
  }

  @AfterEach
  void tearDownStore() throws Exception {
    closeStore();
  }

  protected LogicalPath path(String stageAndName) {
    return LogicalPath.parse(run + "/" + stageAndName);
  }

  protected WriteResult write(WriteRequest request, byte[] bytes) {
    return store.write(request, new ByteArrayInputStream(bytes));
  }

  protected static WriteRequest doc(LogicalPath path) {
    return WriteRequest.create(path, ArtifactType.DOCUMENTATION, "text/markdown", "tester");
  }

  @Test
  void writeThenReadReturnsSameBytesAndJdkHash() {
    LogicalPath p = path("phase1/docsgen.md");
    byte[] bytes = "# DocsGen\n".getBytes(StandardCharsets.UTF_8);

    WriteResult result = write(doc(p), bytes);

    assertThat(result.outcome()).isEqualTo(WriteResult.Outcome.CREATED);
    ArtifactInfo info = result.info();
    assertThat(info.generation()).isEqualTo(1);
    assertThat(info.size()).isEqualTo(bytes.length);
    assertThat(info.hash()).isEqualTo(ContentHash.sha256(bytes));
    assertThat(store.readBinary(p)).isEqualTo(bytes);
    assertThat(store.stat(p)).contains(info);
  }

  @Test
  void identicalRewriteIsIdempotent() {
    LogicalPath p = path("phase1/a.md");
    byte[] bytes = "same".getBytes(StandardCharsets.UTF_8);
    ArtifactInfo first = write(doc(p), bytes).info();

    WriteResult again = write(doc(p), bytes);

    assertThat(again.outcome()).isEqualTo(WriteResult.Outcome.UNCHANGED);
    assertThat(again.info()).isEqualTo(first);
  }

  @Test
  void overwriteWithoutTokenIsRefusedByTheStoreNamingThePath() {
    LogicalPath p = path("phase1/a.md");
    ArtifactInfo first = write(doc(p), "one".getBytes(StandardCharsets.UTF_8)).info();

    assertThatThrownBy(() -> write(doc(p), "two".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            ImmutableException.class,
            e -> {
              assertThat(e.layer()).isEqualTo(ImmutableException.Layer.STORE);
              assertThat(e.currentHash()).contains(first.hash());
            })
        .hasMessageContaining(p.toString());
    assertThat(store.readBinary(p)).isEqualTo("one".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void validTokenMakesGenerationTwoAndKeepsGenerationOne() {
    LogicalPath p = path(Stage.FINAL + "/b.md");
    ArtifactInfo first = write(doc(p), "one".getBytes(StandardCharsets.UTF_8)).info();
    String token = tokens.mint(first.version());

    WriteResult second = write(doc(p).withToken(token), "two".getBytes(StandardCharsets.UTF_8));

    assertThat(second.outcome()).isEqualTo(WriteResult.Outcome.OVERWRITTEN);
    assertThat(second.info().generation()).isEqualTo(2);
    assertThat(store.stat(p, 1)).contains(first);
  }
}
