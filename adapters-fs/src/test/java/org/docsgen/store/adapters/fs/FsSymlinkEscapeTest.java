package org.docsgen.store.adapters.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.PageRequest;
import org.docsgen.store.ports.out.ReadRequest;
import org.docsgen.store.ports.out.WriteRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A symbolic link planted inside the root must never let the store read or write outside it:
 * operations on a path through a link are refused with {@link IntegrityException} naming the path,
 * listings do not descend into links, and nothing is ever written outside the root.
 */
class FsSymlinkEscapeTest {
  @TempDir Path temp;
  private Path root;
  private Path outside;
  private ArtifactStore store;
  private final RunId run = RunId.of(LocalDate.of(2026, 11, 28), 3);

  @BeforeEach
  void setUp() throws Exception {
    root = temp.resolve("artifacts");
    outside = Files.createDirectory(temp.resolve("outside"));
    store =
        new FsArtifactStore(
            root, TestContent.tokens(), TestContent.clock(), FsArtifactStore.NO_PACKING);
  }

  private LogicalPath path(String stageAndName) {
    return LogicalPath.parse(run + "/" + stageAndName);
  }

  private ArtifactInfo write(LogicalPath p, String text) {
    return store.writeText(p, ArtifactType.DOCUMENTATION, text, "tester");
  }

  @Test
  void runDirectoryLinkedOutsideIsRefusedForWritesReadsAndNotListed() throws Exception {
    Files.createSymbolicLink(root.resolve(run.toString()), outside);
    LogicalPath p = path("phase1/docsgen.md");

    assertRefused(() -> write(p, "escape"), p, run.toString());
    assertRefused(() -> store.stat(p), p, run.toString());
    assertRefused(() -> store.open(ReadRequest.latest(p)), p, run.toString());
    assertThat(store.list(run, Optional.empty(), PageRequest.first()).items()).isEmpty();
    assertThat(store.listVersions(run, PageRequest.first()).items()).isEmpty();
    assertThat(RawLayout.files(outside)).as("nothing written outside the root").isEmpty();
  }

  @Test
  void stageDirectoryLinkedOutsideIsRefusedAndTheOutsideStaysUntouched() throws Exception {
    write(path("phase0/kept.md"), "kept");
    Files.createDirectories(root.resolve(run.toString()));
    Files.createSymbolicLink(root.resolve(run.toString()).resolve("phase1"), outside);
    LogicalPath p = path("phase1/sub/docsgen.md");

    assertRefused(() -> write(p, "escape"), p, run + "/phase1");
    assertRefused(() -> store.stat(p, 1), p, run + "/phase1");
    assertThat(store.list(run, Optional.empty(), PageRequest.first()).items())
        .extracting(ArtifactInfo::path)
        .containsExactly(path("phase0/kept.md"));
    assertThat(RawLayout.files(outside)).isEmpty();
    try (var entries = Files.list(outside)) {
      assertThat(entries).as("not even a directory was created outside").isEmpty();
    }
  }

  @Test
  void folderLinkedOutsideIsRefused() throws Exception {
    Path stage = Files.createDirectories(root.resolve(run.toString()).resolve("phase1"));
    Files.createSymbolicLink(stage.resolve("sub"), outside);
    LogicalPath p = path("phase1/sub/deeper/docsgen.md");

    assertRefused(() -> write(p, "escape"), p, run + "/phase1/sub");
    try (var entries = Files.list(outside)) {
      assertThat(entries).isEmpty();
    }
  }

  /**
   * A write checks before its body the directories that exist and creates the missing ones after
   * it; what it creates then is checked then (FsLayout.createDirectories).
   */
  @Test
  void aFolderLinkedWhileTheBodyArrivesIsRefusedWhenTheWriteComesToCreateIt() throws Exception {
    write(path("phase1/kept.md"), "kept");
    Path stage = root.resolve(run.toString()).resolve("phase1");
    LogicalPath p = path("phase1/sub/docsgen.md");
    InputStream body =
        new ByteArrayInputStream("escape".getBytes(StandardCharsets.UTF_8)) {
          private boolean planted;

          @Override
          public synchronized int read(byte[] buffer, int offset, int length) {
            if (!planted) {
              planted = true;
              try {
                Files.createSymbolicLink(stage.resolve("sub"), outside);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
            return super.read(buffer, offset, length);
          }
        };
    WriteRequest request =
        WriteRequest.create(p, ArtifactType.DOCUMENTATION, "text/markdown", "tester");

    assertRefused(() -> store.write(request, body), p, run + "/phase1/sub");
    assertThat(RawLayout.files(outside)).isEmpty();
    assertThat(RawLayout.stagingEntries(root)).isEmpty();
  }

  @Test
  void generationDirectoryLinkedToForeignContentIsRefusedNotServed() throws Exception {
    // a complete, well-formed generation built outside, linked in as generation 1
    LogicalPath p = path("phase1/docsgen.md");
    Path forged = Files.createDirectory(outside.resolve("docsgen.md@1"));
    Files.writeString(forged.resolve("content"), "forged");
    Files.write(
        forged.resolve("meta.properties"),
        MetadataFile.encode(
            new ArtifactInfo(
                p,
                ArtifactType.DOCUMENTATION,
                org.docsgen.store.domain.artifact.ContentHash.sha256(
                    "forged".getBytes(StandardCharsets.UTF_8)),
                6,
                "text/markdown",
                "mallory",
                TestContent.NOW,
                1)));
    Path stage = Files.createDirectories(root.resolve(run.toString()).resolve("phase1"));
    Files.createSymbolicLink(stage.resolve("docsgen.md@1"), forged);

    assertRefused(() -> store.stat(p), p, "docsgen.md@1");
    assertRefused(() -> store.readText(p), p, "docsgen.md@1");
    assertRefused(() -> write(p, "new"), p, "docsgen.md@1");
    assertRefused(() -> store.list(run, Optional.empty(), PageRequest.first()), p, "docsgen.md@1");
    assertThat(Files.readString(forged.resolve("content"))).isEqualTo("forged");
  }

  @Test
  void contentFileReplacedByALinkIsRefused() throws Exception {
    LogicalPath p = path("phase1/docsgen.md");
    write(p, "real");
    Path secret = Files.writeString(outside.resolve("secret.txt"), "secret");
    Path content = RawLayout.content(root, p, 1);
    Files.delete(content);
    Files.createSymbolicLink(content, secret);

    assertRefused(() -> store.readText(p), p, "docsgen.md@1/content");
  }

  @Test
  void rootReachedThroughALinkIsFine() throws Exception {
    Path real = Files.createDirectory(temp.resolve("real-root"));
    Path link = Files.createSymbolicLink(temp.resolve("root-link"), real);
    ArtifactStore viaLink =
        new FsArtifactStore(
            link, TestContent.tokens(), TestContent.clock(), FsArtifactStore.NO_PACKING);
    LogicalPath p = path("phase1/docsgen.md");

    viaLink.writeText(p, ArtifactType.DOCUMENTATION, "hello", "tester");

    assertThat(viaLink.readText(p)).isEqualTo("hello");
    assertThat(RawLayout.content(real, p, 1)).hasContent("hello");
  }

  private static void assertRefused(Runnable operation, LogicalPath p, String entry) {
    assertThatThrownBy(operation::run)
        .isInstanceOfSatisfying(IntegrityException.class, e -> assertThat(e.path()).isEqualTo(p))
        .hasMessageContaining(p.toString())
        .hasMessageContaining(entry)
        .hasMessageContaining("symbolic link");
  }
}
