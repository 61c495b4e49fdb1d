package org.docsgen.store.domain.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.docsgen.store.domain.InvalidValueException;
import org.junit.jupiter.api.Test;

class ArtifactValuesTest {
  private static final LogicalPath PATH = LogicalPath.parse("run_2026_01_02_0001/phase1/a/b.md");
  private static final ContentHash HASH = ContentHash.sha256(new byte[] {1});

  private static ArtifactInfo info(long size, int generation) {
    return new ArtifactInfo(
        PATH,
        ArtifactType.DOCUMENTATION,
        HASH,
        size,
        "text/markdown",
        "me",
        Instant.EPOCH,
        generation);
  }

  @Test
  void artifactInfoExposesItsPathPartsAndVersion() {
    ArtifactInfo info = info(3, 2);
    assertThat(info.runId()).isEqualTo(PATH.runId());
    assertThat(info.stage()).isEqualTo(PATH.stage());
    assertThat(info.name()).isEqualTo("a/b.md");
    assertThat(info.version()).isEqualTo(new ArtifactVersion(PATH, 2, HASH));
    assertThat(info.version()).hasToString(PATH + "@2 " + HASH);
  }

  @Test
  void artifactInfoRefusesNegativeSizeAndGenerationZero() {
    assertThatThrownBy(() -> info(-1, 1)).isInstanceOf(InvalidValueException.class);
    assertThatThrownBy(() -> info(0, 0)).isInstanceOf(InvalidValueException.class);
    assertThatThrownBy(() -> new ArtifactVersion(PATH, 0, HASH))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void artifactTypeParsesExactNames() {
    assertThat(ArtifactType.parse("BUNDLE")).isEqualTo(ArtifactType.BUNDLE);
    assertThatThrownBy(() -> ArtifactType.parse("bundle"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("DOCUMENTATION");
    assertThatThrownBy(() -> ArtifactType.parse("x".repeat(100))).hasMessageContaining("...");
  }

  @Test
  void mediaTypesKnowText() {
    assertThat(MediaTypes.isText("text/markdown; charset=utf-8")).isTrue();
    assertThat(MediaTypes.isText("Application/JSON")).isTrue();
    assertThat(MediaTypes.isText("application/vnd.api+json")).isTrue();
    assertThat(MediaTypes.isText("application/yaml")).isTrue();
    assertThat(MediaTypes.isText("image/svg+xml")).isTrue();
    assertThat(MediaTypes.isText(MediaTypes.ZIP)).isFalse();
    assertThat(MediaTypes.isText(MediaTypes.OCTET_STREAM)).isFalse();
    assertThat(MediaTypes.isText("image/png")).isFalse();
  }
}
