package org.docsgen.store.adapters.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.stream.Stream;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.ports.contract.ArtifactStoreContract;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.out.ArtifactStore;
import org.junit.jupiter.api.io.TempDir;

/** The port contract on a fresh root directory per test, checked through the raw filesystem. */
class FsArtifactStoreTest extends ArtifactStoreContract {
  @TempDir Path temp;
  Path root;

  @Override
  protected ArtifactStore createStore(OverwriteTokens tokens, Clock clock) {
    root = temp.resolve("artifacts");
    return new FsArtifactStore(root, tokens, clock);
  }

  @Override
  protected void assertBackendEmpty() throws Exception {
    try (Stream<Path> entries = Files.list(root)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .as("a fresh root holds only the layout marker")
          .containsExactly("docsgen-fs-store.properties");
    }
  }

  @Override
  protected void assertNoBytesLeft(LogicalPath path, int generation) {
    assertThat(RawLayout.generationDir(root, path, generation)).doesNotExist();
    assertThat(RawLayout.stagingEntries(root)).as("staging leftovers").isEmpty();
    assertThat(RawLayout.packedRecords(root))
        .as("no packed version of " + path + "@" + generation + " left")
        .noneMatch(
            r -> r.describes(path, generation) && r.kind() == 'V' && !removed(path, generation));
  }

  /** Whether a removal record follows the version record (orphan removal appends one). */
  private boolean removed(LogicalPath path, int generation) {
    return RawLayout.packedRecords(root).stream()
        .anyMatch(r -> r.kind() == 'X' && r.describes(path, generation));
  }

  @Override
  protected void tamper(LogicalPath path, int generation) throws Exception {
    if (RawLayout.packed(root, path, generation).isPresent()) {
      RawLayout.flipPacked(root, path, generation);
      return;
    }
    Path content = RawLayout.content(root, path, generation);
    byte[] bytes = Files.readAllBytes(content);
    if (bytes.length == 0) {
      Files.write(content, new byte[] {'x'}, StandardOpenOption.APPEND);
    } else {
      bytes[0] ^= 0x01;
      Files.write(content, bytes, StandardOpenOption.TRUNCATE_EXISTING);
    }
  }
}
