package org.docsgen.store.domain.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.docsgen.store.domain.Fixtures.PHASE1;
import static org.docsgen.store.domain.Fixtures.hash;
import static org.docsgen.store.domain.Fixtures.path;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.docsgen.store.domain.artifact.ArtifactVersion;
import org.docsgen.store.domain.artifact.ContentHash;
import org.junit.jupiter.api.Test;

class ContentDigestTest {
  private static final ArtifactVersion A = new ArtifactVersion(path(PHASE1, "a.md"), 1, hash("a"));
  private static final ArtifactVersion B = new ArtifactVersion(path(PHASE1, "b.md"), 2, hash("b"));

  @Test
  void isTheSha256OfTheSortedLines() {
    String text = A.path() + "\t1\t" + A.hash() + "\n" + B.path() + "\t2\t" + B.hash() + "\n";
    assertThat(ContentDigest.canonicalText(List.of(B, A))).isEqualTo(text);
    assertThat(ContentDigest.of(List.of(B, A)))
        .isEqualTo(ContentHash.sha256(text.getBytes(StandardCharsets.UTF_8)));
    assertThat(text).contains("\tsha256:");
  }

  @Test
  void ignoresOrderAndDuplicates() {
    assertThat(ContentDigest.of(List.of(A, B))).isEqualTo(ContentDigest.of(List.of(B, A, B)));
  }

  @Test
  void changesWithAnyPartOfAVersion() {
    ContentHash base = ContentDigest.of(List.of(A));
    assertThat(ContentDigest.of(List.of(new ArtifactVersion(A.path(), 2, A.hash()))))
        .isNotEqualTo(base);
    assertThat(ContentDigest.of(List.of(new ArtifactVersion(A.path(), 1, hash("x")))))
        .isNotEqualTo(base);
    assertThat(ContentDigest.of(List.of(new ArtifactVersion(B.path(), 1, A.hash()))))
        .isNotEqualTo(base);
    assertThat(ContentDigest.of(List.of(A, B))).isNotEqualTo(base);
  }

  @Test
  void emptySetIsTheHashOfNothing() {
    assertThat(ContentDigest.of(List.of())).isEqualTo(ContentHash.sha256(new byte[0]));
  }
}
