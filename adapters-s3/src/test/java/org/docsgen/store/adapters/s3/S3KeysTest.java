package org.docsgen.store.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The key layout: parse round trip, and key order equal to logical-path order. */
class S3KeysTest {
  private static final RunId RUN = RunId.of(LocalDate.of(2026, 11, 28), 42);
  private static final ContentHash HASH = ContentHash.sha256(new byte[] {1, 2, 3});
  private final S3Keys keys = new S3Keys("docsgen/");

  @Test
  void keysLookAsDocumented() {
    LogicalPath p = LogicalPath.parse(RUN + "/phase1/sub/a.md");

    assertThat(keys.contentKey(p, 3, HASH))
        .isEqualTo("docsgen/" + RUN + "/phase1/sub/a.md!/0000000003/" + HASH.hex());
    assertThat(keys.claimKey(p, 3))
        .isEqualTo("docsgen/" + RUN + "/phase1/sub/a.md!/0000000003/claim");
    assertThat(keys.newProbeKey()).startsWith("docsgen/.docsgen/probe/");
  }

  @Test
  void keysParseBackAndForeignKeysAreIgnored() {
    LogicalPath p = LogicalPath.parse(RUN + "/final/x-y_z.json");

    assertThat(keys.parse(keys.contentKey(p, 12, HASH)))
        .contains(new S3Keys.ParsedKey(p, 12, HASH));
    assertThat(keys.parse(keys.claimKey(p, 12))).contains(new S3Keys.ParsedKey(p, 12, null));
    assertThat(keys.parse("docsgen/.docsgen/probe/abc")).isEmpty();
    assertThat(keys.parse("elsewhere/" + RUN + "/final/a!/0000000001/claim")).isEmpty();
    assertThat(keys.parse("docsgen/" + RUN + "/final/a!/1/claim")).isEmpty();
    assertThat(keys.parse("docsgen/" + RUN + "/final/a!/0000000001/nothex")).isEmpty();
    assertThat(keys.parse("docsgen/not-a-run/final/a!/0000000001/claim")).isEmpty();
  }

  @Test
  void aPathSortsBeforeItsLongerSiblingsAndItsSubFolder() {
    List<LogicalPath> paths =
        List.of("a", "a-b", "a.md", "a/b", "a_c", "aa", "A", "a0", "a.md.bak").stream()
            .map(n -> LogicalPath.parse(RUN + "/phase1/" + n))
            .toList();

    assertKeyOrderIsPathOrder(paths);
  }

  @RepeatedTest(20)
  void keyOrderIsLogicalPathOrderForRandomPaths() {
    Random random = new Random();
    String alphabet = "ab-._/AZ09";
    List<LogicalPath> paths = new ArrayList<>();
    while (paths.size() < 200) {
      StringBuilder name = new StringBuilder();
      int length = 1 + random.nextInt(8);
      for (int i = 0; i < length; i++) {
        name.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      try {
        paths.add(LogicalPath.parse(RUN + "/phase" + random.nextInt(3) + "/" + name));
      } catch (IllegalArgumentException invalid) {
        // empty segments, '.', '..': not a path
      }
    }

    assertKeyOrderIsPathOrder(paths);
  }

  @Test
  void aFileNameOfTheLongestLengthEndsInItsOwnSegmentSoNoKeySegmentExceeds255Bytes() {
    String longest = "n".repeat(LogicalPath.MAX_SEGMENT_BYTES);
    LogicalPath p = LogicalPath.parse(RUN + "/phase1/" + longest);
    LogicalPath shorter = LogicalPath.parse(RUN + "/phase1/" + longest.substring(1));

    assertThat(keys.claimKey(p, 3))
        .isEqualTo("docsgen/" + RUN + "/phase1/" + longest + "/!/0000000003/claim");
    assertThat(keys.claimKey(shorter, 3))
        .isEqualTo("docsgen/" + RUN + "/phase1/" + longest.substring(1) + "!/0000000003/claim");
    for (LogicalPath path : List.of(p, shorter)) {
      for (String segment : keys.contentKey(path, 3, HASH).split("/")) {
        assertThat(segment.length()).isLessThanOrEqualTo(255);
      }
    }
    assertThat(keys.parse(keys.contentKey(p, 3, HASH))).contains(new S3Keys.ParsedKey(p, 3, HASH));
    assertThat(keys.parse(keys.claimKey(p, 3))).contains(new S3Keys.ParsedKey(p, 3, null));
    // one key per path: the other spelling of either is not this layout's
    assertThat(keys.parse("docsgen/" + p + "!/0000000003/claim")).isEmpty();
    assertThat(keys.parse("docsgen/" + shorter + "/!/0000000003/claim")).isEmpty();
  }

  @RepeatedTest(20)
  void keyOrderIsLogicalPathOrderForPathsWithLongestNames() {
    Random random = new Random();
    String alphabet = "ab-._/";
    String stem = "s".repeat(LogicalPath.MAX_SEGMENT_BYTES - 3);
    List<LogicalPath> paths = new ArrayList<>();
    while (paths.size() < 200) {
      StringBuilder name = new StringBuilder(stem);
      int length = random.nextInt(7);
      for (int i = 0; i < length; i++) {
        name.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      try {
        paths.add(LogicalPath.parse(RUN + "/phase1/" + name));
      } catch (IllegalArgumentException invalid) {
        // empty or over-long segments: not a path
      }
    }
    assertThat(paths).anyMatch(p -> p.fileName().length() == LogicalPath.MAX_SEGMENT_BYTES);

    assertKeyOrderIsPathOrder(paths);
  }

  private void assertKeyOrderIsPathOrder(List<LogicalPath> paths) {
    List<LogicalPath> byPath = paths.stream().distinct().sorted().toList();
    List<LogicalPath> byKey =
        paths.stream()
            .distinct()
            .sorted(Comparator.comparing(p -> keys.contentKey(p, 1, HASH)))
            .toList();
    assertThat(byKey).isEqualTo(byPath);
    for (int i = 0; i + 1 < byPath.size(); i++) {
      LogicalPath p = byPath.get(i);
      LogicalPath next = byPath.get(i + 1);
      // every key of p sorts before the resume point after p, which sorts before every key of the
      // next path (and so, by transitivity, of every later one)
      assertThat(keys.contentKey(p, 999_999, HASH)).isLessThan(keys.afterAllVersions(p));
      assertThat(keys.afterAllVersions(p)).isLessThan(keys.claimKey(next, 1));
      assertThat(keys.afterAllVersions(p)).isLessThan(keys.contentKey(next, 1, HASH));
    }
  }
}
