package org.docsgen.store.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;
import org.docsgen.store.adapters.s3.testing.S3ServerFixture;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.artifact.MediaTypes;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.contract.ContractSupport;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.PageRequest;
import org.docsgen.store.ports.out.ReadRequest;
import org.docsgen.store.ports.out.StoreHealth;
import org.docsgen.store.ports.out.WriteRequest;
import org.docsgen.store.ports.out.WriteResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The s3proxy server is stopped in the middle of an operation: the store reports {@link
 * BackendUnavailableException}; after the server restarts on the same port over the same directory,
 * no partial artifact is visible and the store works. The stop points inside a write are chosen
 * through the store's {@link S3ArtifactStore.WriteSteps} seam, so they are exact.
 */
class S3FaultTest {
  private static final long PART = S3Settings.MIN_PART_SIZE;
  private final RunId run = RunId.of(LocalDate.of(2026, 11, 28), 7);
  private S3ServerFixture server;
  private String bucket;
  private S3ArtifactStore store;

  @BeforeEach
  void start() {
    server = S3ServerFixture.startForTests();
    bucket = server.newBucket();
    S3Settings settings =
        server.settings(bucket).toBuilder()
            .prefix("faults")
            .multipartThresholdBytes(PART + 1)
            .partSizeBytes(PART)
            .build();
    store =
        S3ArtifactStore.start(
            settings, new OverwriteTokens(new byte[32], Clock.systemUTC()), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    if (store != null) {
      store.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void stoppedBetweenStoringTheBytesAndClaimingTheGenerationLeavesNothingVisible()
      throws Exception {
    LogicalPath p = path("phase1/claim-lost.md");
    store.setWriteSteps(stopServerWhen(Step.CONTENT_STORED, 0));

    assertThatThrownBy(() -> write(p, "never claimed".getBytes()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining(p.toString());

    server.start();
    store.setWriteSteps(null);
    assertThat(rawKeys())
        .anyMatch(k -> k.endsWith(ContentHash.sha256("never claimed".getBytes()).hex()));
    assertNothingVisible(p);
    assertWorks(p, "after the restart".getBytes());
  }

  @Test
  void stoppedInTheMiddleOfAMultipartUploadLeavesNothingVisible() throws Exception {
    LogicalPath p = path("phase1/multipart.bin");
    long size = 3 * PART + 100;
    store.setWriteSteps(stopServerWhen(Step.PART_UPLOADED, 1));

    assertThatThrownBy(
            () -> store.write(request(p), new ContractSupport.GeneratedInputStream(11, size)))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining(p.toString());

    server.start();
    store.setWriteSteps(null);
    assertNothingVisible(p);
    ArtifactInfo info =
        store.write(request(p), new ContractSupport.GeneratedInputStream(11, size)).info();
    assertThat(info.size()).isEqualTo(size);
    try (ArtifactContent content = store.open(ReadRequest.latest(p))) {
      assertThat(ContractSupport.jdkSha256(content.stream())).isEqualTo(info.hash());
    }
  }

  @Test
  void stoppedWhileAReaderStreamsIsBackendUnavailableForThatReader() throws Exception {
    LogicalPath p = path("phase1/streamed.bin");
    long size = 3 * PART;
    ArtifactInfo info =
        store.write(request(p), new ContractSupport.GeneratedInputStream(5, size)).info();

    assertThatThrownBy(
            () -> {
              try (ArtifactContent content = store.open(ReadRequest.latest(p))) {
                InputStream in = content.stream();
                in.readNBytes(64 * 1024);
                server.stop();
                in.readAllBytes();
              }
            })
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining(p.toString());

    server.start();
    try (ArtifactContent content = store.open(ReadRequest.latest(p))) {
      assertThat(ContractSupport.jdkSha256(content.stream())).isEqualTo(info.hash());
    }
  }

  @Test
  void everyOperationOnAStoppedServerIsBackendUnavailableAndHealthSaysDown() throws Exception {
    LogicalPath p = path("phase1/down.md");
    write(p, "before".getBytes());
    server.stop();

    assertThatThrownBy(() -> write(p, "while down".getBytes()))
        .isInstanceOf(BackendUnavailableException.class);
    assertThatThrownBy(() -> store.stat(p)).isInstanceOf(BackendUnavailableException.class);
    assertThatThrownBy(() -> store.open(ReadRequest.latest(p)))
        .isInstanceOf(BackendUnavailableException.class);
    assertThatThrownBy(() -> store.list(run, Optional.empty(), PageRequest.first()))
        .isInstanceOf(BackendUnavailableException.class);
    StoreHealth down = store.health();
    assertThat(down.up()).isFalse();
    assertThat(down.backend()).isEqualTo("s3");

    server.start();
    assertThat(store.health().up()).isTrue();
    assertThat(store.readText(p)).isEqualTo("before");
    assertThat(store.stat(p, 2)).isEmpty();
  }

  private void assertNothingVisible(LogicalPath p) {
    assertThat(store.stat(p)).isEmpty();
    assertThat(store.stat(p, 1)).isEmpty();
    assertThat(store.list(run, Optional.empty(), PageRequest.first()).items()).isEmpty();
    assertThat(store.listVersions(run, PageRequest.first()).items()).isEmpty();
    assertThatThrownBy(() -> store.open(ReadRequest.latest(p)))
        .isInstanceOf(NotFoundException.class);
  }

  private void assertWorks(LogicalPath p, byte[] bytes) {
    WriteResult result = write(p, bytes);
    assertThat(result.outcome()).isEqualTo(WriteResult.Outcome.CREATED);
    assertThat(result.info().generation()).isEqualTo(1);
    assertThat(store.readBinary(p)).isEqualTo(bytes);
    assertThat(store.list(run, Optional.empty(), PageRequest.first()).items())
        .containsExactly(result.info());
  }

  private java.util.List<String> rawKeys() {
    return server.rawClient().listObjectsV2(b -> b.bucket(bucket)).contents().stream()
        .map(S3Object::key)
        .toList();
  }

  private enum Step {
    PART_UPLOADED,
    CONTENT_STORED
  }

  private S3ArtifactStore.WriteSteps stopServerWhen(Step step, int partNumber) {
    return new S3ArtifactStore.WriteSteps() {
      @Override
      public void partUploaded(int number) {
        if (step == Step.PART_UPLOADED && number == partNumber) {
          stopServer();
        }
      }

      @Override
      public void contentStored(String key) {
        if (step == Step.CONTENT_STORED) {
          stopServer();
        }
      }
    };
  }

  private void stopServer() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private LogicalPath path(String stageAndName) {
    return LogicalPath.parse(run + "/" + stageAndName);
  }

  private static WriteRequest request(LogicalPath p) {
    return WriteRequest.create(p, ArtifactType.OTHER, MediaTypes.OCTET_STREAM, "fault-test");
  }

  private WriteResult write(LogicalPath p, byte[] bytes) {
    return store.write(request(p), new ByteArrayInputStream(bytes));
  }
}
