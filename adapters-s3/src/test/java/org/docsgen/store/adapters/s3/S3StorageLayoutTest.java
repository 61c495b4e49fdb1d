package org.docsgen.store.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.adapters.s3.testing.S3ServerExtension;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.PayloadTooLargeException;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ByteRange;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;
import org.docsgen.store.ports.out.ReadRequest;
import org.docsgen.store.ports.out.WriteRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What the store leaves in the bucket, checked through the raw client, and S3-only read cases. */
class S3StorageLayoutTest {
  private static final Clock CLOCK = Clock.systemUTC();
  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();
  private final RunId run = RunId.of(LocalDate.of(2026, 11, 28), 12);
  private final OverwriteTokens tokens = new OverwriteTokens(new byte[32], CLOCK);
  private String bucket;
  private S3ArtifactStore store;

  @BeforeEach
  void openStore() {
    bucket = S3.server().newBucket();
    store =
        S3ArtifactStore.start(
            S3.server().settings(bucket).toBuilder().prefix("p/q").build(), tokens, CLOCK);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void eachGenerationHasItsOwnContentObjectAndClaimWithItsHashInMetadata() {
    LogicalPath p = path("phase1/docs/a.md");
    ArtifactInfo one = store.writeText(p, ArtifactType.DOCUMENTATION, "one", "tester");
    String token = tokens.mint(one.version());
    ArtifactInfo two =
        store
            .write(
                WriteRequest.create(p, ArtifactType.DOCUMENTATION, "text/markdown", "tester")
                    .withToken(token),
                new ByteArrayInputStream("two".getBytes(StandardCharsets.UTF_8)))
            .info();

    String base = "p/q/" + p + "!/";
    assertThat(rawKeys())
        .containsExactlyInAnyOrder(
            base + "0000000001/claim",
            base + "0000000001/" + one.hash().hex(),
            base + "0000000002/claim",
            base + "0000000002/" + two.hash().hex());
    HeadObjectResponse head =
        S3.server()
            .rawClient()
            .headObject(b -> b.bucket(bucket).key(base + "0000000002/" + two.hash().hex()));
    assertThat(head.metadata()).containsEntry("docsgen-sha256", two.hash().hex());
    assertThat(head.metadata()).containsEntry("docsgen-generation", "2");
    assertThat(head.contentLength()).isEqualTo(3);
  }

  @Test
  void contentWithoutAClaimIsInvisibleButReadableByItsExactHash() throws Exception {
    LogicalPath p = path("phase2/orphan.txt");
    byte[] bytes = "stored, never claimed".getBytes(StandardCharsets.UTF_8);
    ContentHash hash = ContentHash.sha256(bytes);
    VersionRecord record =
        new VersionRecord(
            new ArtifactInfo(
                p, ArtifactType.OTHER, hash, bytes.length, "text/plain", "t", CLOCK.instant(), 1),
            "someone");
    S3.server()
        .rawClient()
        .putObject(
            b ->
                b.bucket(bucket)
                    .key(store.keys().contentKey(p, 1, hash))
                    .metadata(record.toMetadata()),
            RequestBody.fromBytes(bytes));

    assertThat(store.stat(p)).isEmpty();
    assertThat(store.list(run, Optional.empty(), PageRequest.first()).items()).isEmpty();
    try (ArtifactContent content = store.open(ReadRequest.of(p, 1).withHash(hash))) {
      assertThat(content.stream().readAllBytes()).isEqualTo(bytes);
    }
    try (ArtifactContent content =
        store.open(ReadRequest.of(p, 1).withHash(hash).withRange(ByteRange.of(0, 5)))) {
      assertThat(content.stream().readAllBytes())
          .isEqualTo("stored".getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void contentWhoseBytesAndMetadataWereBothReplacedFailsAReadByTheExpectedHash() {
    LogicalPath p = path("phase1/replaced.md");
    ArtifactInfo original = store.writeText(p, ArtifactType.DOCUMENTATION, "validated", "t");
    byte[] forged = "forged, with a matching note of its own hash".getBytes(StandardCharsets.UTF_8);
    ArtifactInfo forgedInfo =
        new ArtifactInfo(
            p,
            original.type(),
            ContentHash.sha256(forged),
            forged.length,
            original.mediaType(),
            original.createdBy(),
            original.createdAt(),
            1);
    // the original key gets other bytes and metadata describing them; the same bytes also sit
    // under their own key, as a losing candidate of a race would
    for (ContentHash key : List.of(original.hash(), forgedInfo.hash())) {
      S3.server()
          .rawClient()
          .putObject(
              b ->
                  b.bucket(bucket)
                      .key(store.keys().contentKey(p, 1, key))
                      .metadata(new VersionRecord(forgedInfo, "forger").toMetadata()),
              RequestBody.fromBytes(forged));
    }

    assertThatThrownBy(
            () -> {
              try (ArtifactContent content =
                  store.open(ReadRequest.of(p, 1).withHash(original.hash()))) {
                content.stream().readAllBytes();
              }
            })
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(p.toString())
        .hasMessageContaining(original.hash().hex());
  }

  @Test
  void contentOverTheLimitIsTooLargeAndLeavesNothingInTheBucket() {
    LogicalPath p = path("phase1/big.bin");
    try (S3ArtifactStore small =
        S3ArtifactStore.start(
            S3.server().settings(bucket).toBuilder().maxArtifactBytes(10).build(), tokens, CLOCK)) {
      assertThatThrownBy(
              () ->
                  small.write(
                      WriteRequest.create(p, ArtifactType.OTHER, "application/octet-stream", "t"),
                      new ByteArrayInputStream(new byte[11])))
          .isInstanceOf(PayloadTooLargeException.class)
          .hasMessageContaining(p.toString());
    }
    assertThat(rawKeys()).isEmpty();
  }

  @Test
  void listingFollowsLogicalPathOrderWithTrickyNamesAcrossPages() {
    List<String> names = List.of("a", "a-b", "a.md", "a/b", "a_c", "A", "b/c/d", "a0");
    for (String name : names) {
      store.writeText(path("phase1/" + name), ArtifactType.OTHER, name, "t");
    }
    List<LogicalPath> expected = names.stream().map(n -> path("phase1/" + n)).sorted().toList();

    List<LogicalPath> listed =
        Page.all(page -> store.list(run, Optional.empty(), new PageRequest(page.cursor(), 3)))
            .stream()
            .map(ArtifactInfo::path)
            .toList();

    assertThat(listed).isEqualTo(expected);
  }

  /** Object keys, without the directory entries s3proxy's filesystem backend also lists. */
  private List<String> rawKeys() {
    return S3.server().rawClient().listObjectsV2(b -> b.bucket(bucket)).contents().stream()
        .map(S3Object::key)
        .filter(key -> !key.endsWith("/"))
        .toList();
  }

  private LogicalPath path(String stageAndName) {
    return LogicalPath.parse(run + "/" + stageAndName);
  }
}
