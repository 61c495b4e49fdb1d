package org.docsgen.store.adapters.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.out.PageRequest;
import org.docsgen.store.ports.out.WriteRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarantees that must hold between PROCESSES sharing one root: a second JVM is started from the
 * test ({@code java -cp <test classpath> StoreProcessMain}) and driven over stdin/stdout.
 */
class FsMultiProcessTest {
  private static final int ROUNDS = 12;
  private static final int SIZE = 256 * 1024;
  private static final int PACKED_SIZE = 4 * 1024;

  @TempDir Path temp;
  private final OverwriteTokens tokens = TestContent.tokens();
  private final RunId run = RunId.of(LocalDate.of(2026, 11, 28), 7);

  private Path root() {
    return temp.resolve("artifacts");
  }

  private LogicalPath path(String stageAndName) {
    return LogicalPath.parse(run + "/" + stageAndName);
  }

  @Test
  void twoProcessesRacingForOneGenerationGetExactlyOneWinnerEveryRound() throws Exception {
    raceRounds(SIZE, "race");
  }

  /**
   * The same race for artifacts small enough to be packed: the winner is decided under the
   * publication lock ({@code ~packs/lock}, an {@code fcntl} lock between the two JVMs), not by a
   * rename.
   */
  @Test
  void twoProcessesRacingForOnePackedGenerationGetExactlyOneWinnerEveryRound() throws Exception {
    raceRounds(PACKED_SIZE, "packed-race");
  }

  private void raceRounds(int size, String name) throws Exception {
    FsArtifactStore store = new FsArtifactStore(root(), tokens, TestContent.clock());
    try (ChildStore a = ChildStore.start(root(), temp.resolve("logs"));
        ChildStore b = ChildStore.start(root(), temp.resolve("logs"))) {
      for (int round = 1; round <= ROUNDS; round++) {
        boolean sameBytes = round % 2 == 0;
        LogicalPath p = path("phase1/" + name + "-" + round + ".bin");
        String seedA = "a" + round;
        String seedB = sameBytes ? seedA : "b" + round;

        List<String> created =
            race(a, b, p + " " + seedA + " " + size, p + " " + seedB + " " + size);

        assertOneWinner(created, "CREATED", sameBytes, "round " + round + " create");
        assertOnlyGenerations(p, 1, size);
        String winnerSeed = created.get(0).startsWith("CREATED") ? seedA : seedB;
        assertThat(storedBytes(p, 1, size)).isEqualTo(TestContent.bytes(winnerSeed, size));

        // both processes now hold a valid token for generation 1 and race to create generation 2
        ArtifactInfo first = store.stat(p).orElseThrow();
        String token = tokens.mint(first.version());
        List<String> overwritten =
            race(
                a,
                b,
                p + " x" + seedA + " " + size + " " + token,
                p + " x" + seedB + " " + size + " " + token);

        assertOneWinner(overwritten, "OVERWRITTEN", sameBytes, "round " + round + " overwrite");
        assertOnlyGenerations(p, 2, size);
        assertThat(store.readBinary(p)).hasSize(size);
        assertThat(store.stat(p, 1)).contains(first);
      }
      assertThat(RawLayout.stagingEntries(root())).isEmpty();
      assertThat(store.list(run, Optional.empty(), PageRequest.first(1000)).items())
          .hasSize(ROUNDS)
          .allSatisfy(info -> assertThat(info.generation()).isEqualTo(2));
    }
  }

  /** Sends both commands before reading either answer, so the two writes run together. */
  private static List<String> race(ChildStore a, ChildStore b, String argsA, String argsB) {
    a.send("write " + argsA);
    b.send("write " + argsB);
    return List.of(a.answer(), b.answer());
  }

  private static void assertOneWinner(
      List<String> answers, String winning, boolean sameBytes, String what) {
    assertThat(answers).as(what).filteredOn(s -> s.startsWith(winning + " ")).hasSize(1);
    String loser = answers.stream().filter(s -> !s.startsWith(winning + " ")).findFirst().get();
    if (sameBytes) {
      // the loser wrote identical bytes: an idempotent success reporting the winner's version
      String winner = answers.stream().filter(s -> s.startsWith(winning + " ")).findFirst().get();
      assertThat(loser).as(what).isEqualTo(winner.replace(winning, "UNCHANGED"));
    } else {
      assertThat(loser).as(what).isEqualTo("REFUSED immutable-store");
    }
  }

  /** Generations 1..highest are stored (packed or as directories, by size), and no other. */
  private void assertOnlyGenerations(LogicalPath p, int highest, int size) {
    for (int generation = 1; generation <= highest; generation++) {
      if (size <= Packs.MAX_PACKED_BYTES) {
        assertThat(RawLayout.packed(root(), p, generation)).isPresent();
        assertThat(RawLayout.generationDir(root(), p, generation)).doesNotExist();
      } else {
        assertThat(RawLayout.content(root(), p, generation)).isRegularFile();
        assertThat(RawLayout.meta(root(), p, generation)).isRegularFile();
      }
    }
    assertThat(RawLayout.generationDir(root(), p, highest + 1)).doesNotExist();
    assertThat(RawLayout.packed(root(), p, highest + 1)).isEmpty();
    assertThat(
            RawLayout.packedRecords(root()).stream()
                .filter(r -> r.kind() == 'V' && r.describes(p, highest))
                .count())
        .as("one stored version of generation " + highest)
        .isLessThanOrEqualTo(1);
  }

  /** The stored bytes of a generation, read raw from its segment record or its content file. */
  private byte[] storedBytes(LogicalPath p, int generation, int size) throws IOException {
    if (size <= Packs.MAX_PACKED_BYTES) {
      RawLayout.PackedRecord record = RawLayout.packed(root(), p, generation).orElseThrow();
      byte[] segment = Files.readAllBytes(record.segment());
      return java.util.Arrays.copyOfRange(
          segment,
          (int) record.contentOffset(),
          (int) record.contentOffset() + record.contentLength());
    }
    return Files.readAllBytes(RawLayout.content(root(), p, generation));
  }

  @Test
  void writerKilledMidWriteLeavesNothingVisibleAndItsStagingIsSweptOnRestart() throws Exception {
    FsArtifactStore store = new FsArtifactStore(root(), tokens, TestContent.clock());
    LogicalPath existing = path("phase1/existing.md");
    ArtifactInfo kept = store.writeText(existing, ArtifactType.DOCUMENTATION, "v1\n", "tester");
    LogicalPath fresh = path("phase1/sub/fresh.bin");

    try (ChildStore child = ChildStore.start(root(), temp.resolve("logs"))) {
      child.send("slow " + fresh);
      child.expect("streaming " + fresh);
      child.send("slow " + existing + " " + tokens.mint(kept.version()));
      child.expect("streaming " + existing);

      // mid-write: partial bytes sit in staging directories, and no reader can see them
      assertThat(RawLayout.stagingEntries(root())).hasSize(2);
      assertThat(store.stat(fresh)).isEmpty();
      assertThat(store.stat(existing)).contains(kept);
      assertThat(store.readText(existing)).isEqualTo("v1\n");

      // a store starting now sweeps only abandoned staging: the live writer's stays untouched
      new FsArtifactStore(root(), tokens, TestContent.clock());
      assertThat(RawLayout.stagingEntries(root())).hasSize(2);

      child.killHard();
    }

    FsArtifactStore reopened = new FsArtifactStore(root(), tokens, TestContent.clock());
    assertThat(RawLayout.stagingEntries(root())).as("temp cleaned at start-up").isEmpty();
    assertThat(reopened.stat(fresh)).isEmpty();
    assertThat(reopened.stat(existing)).contains(kept);
    assertThat(reopened.stat(existing, 2)).isEmpty();
    assertThat(reopened.readText(existing)).isEqualTo("v1\n");
    assertThat(reopened.list(run, Optional.empty(), PageRequest.first()).items())
        .containsExactly(kept);
    assertThat(
            reopened
                .write(
                    WriteRequest.create(fresh, ArtifactType.OTHER, "application/octet-stream", "t"),
                    TestContent.stream("after", 10))
                .info()
                .hash())
        .isEqualTo(ContentHash.sha256(TestContent.bytes("after", 10)));
  }

  @Test
  void aStartUpSweepRemovesStagingLeftByADeadProcess() throws IOException {
    new FsArtifactStore(root(), tokens, TestContent.clock());
    // what a crash right after creating the staging directory, or mid-copy, leaves behind
    Path stage = Files.createDirectories(root().resolve(run.toString()).resolve("phase2"));
    Path empty = Files.createDirectory(stage.resolve("~tmp-crashed-early"));
    Path partial = Files.createDirectory(stage.resolve("~tmp-crashed-mid-copy"));
    Files.write(partial.resolve("content"), new byte[4096]);
    Files.write(partial.resolve("meta.properties"), new byte[0]);

    FsArtifactStore reopened = new FsArtifactStore(root(), tokens, TestContent.clock());

    assertThat(empty).doesNotExist();
    assertThat(partial).doesNotExist();
    assertThat(reopened.list(run, Optional.empty(), PageRequest.first()).items()).isEmpty();
  }
}
