package org.docsgen.store.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class S3SettingsTest {
  @Test
  void theBuilderHasTheDocumentedDefaults() {
    S3Settings settings = S3Settings.builder().bucket("b").build();

    assertThat(settings)
        .isEqualTo(
            new S3Settings(
                "b",
                "",
                "",
                "us-east-1",
                false,
                null,
                true,
                null,
                null,
                16L * 1024 * 1024,
                8L * 1024 * 1024,
                5L * 1024 * 1024 * 1024,
                Duration.ofSeconds(5),
                Duration.ofSeconds(60),
                3,
                null));
  }

  @Test
  void toBuilderKeepsEverythingButWhatIsSetAgain() {
    S3Settings settings =
        S3Settings.builder()
            .bucket("b")
            .prefix("p")
            .endpoint("http://127.0.0.1:9000")
            .region("eu-west-1")
            .pathStyle(true)
            .checksumsWhenRequired(false)
            .requireConditionalWrites(false)
            .credentials("id", "secret")
            .multipartThresholdBytes(100)
            .partSizeBytes(S3Settings.MIN_PART_SIZE)
            .maxArtifactBytes(1000)
            .connectTimeout(Duration.ofSeconds(1))
            .callTimeout(Duration.ofSeconds(2))
            .maxAttempts(7)
            .spoolDirectory(Path.of("spool"))
            .build();

    assertThat(settings.toBuilder().build()).isEqualTo(settings);
    assertThat(settings.toBuilder().prefix("q").build().prefix()).isEqualTo("q");
    assertThat(settings.toBuilder().prefix("q").build().maxAttempts()).isEqualTo(7);
  }

  @Test
  void buildValidatesLikeTheConstructor() {
    assertThatThrownBy(() -> S3Settings.builder().build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("bucket is null");
    assertThatThrownBy(() -> S3Settings.builder().bucket("b").maxAttempts(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be >= 1, was 0");
    assertThatThrownBy(() -> S3Settings.builder().bucket("b").partSizeBytes(1).build())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
