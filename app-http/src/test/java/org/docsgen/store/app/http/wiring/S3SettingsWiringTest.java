package org.docsgen.store.app.http.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.docsgen.store.adapters.s3.S3Settings;
import org.docsgen.store.app.http.config.ConfigLoader;
import org.docsgen.store.app.http.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code artifacts.s3.*} keys and {@code server.maxArtifactBytes} reach the S3 settings. */
class S3SettingsWiringTest {
  private static final String TOKENS =
      "auth:\n  tokens:\n    - { token: abcdefghijklmnop0123, principal: ci, roles: [writer] }\n";

  @TempDir Path dir;

  @Test
  void everyConfiguredKeyIsPassedOnAndTheRestKeepsTheSettingsDefaults() {
    ServerConfig config =
        ConfigLoader.fromYaml(
            TOKENS
                + "server: { maxArtifactBytes: 12345 }\n"
                + "artifacts:\n"
                + "  backend: s3\n"
                + "  s3: { bucket: b, prefix: p/, endpoint: 'http://127.0.0.1:9000',"
                + " region: eu-west-1, pathStyle: true, checksumsWhenRequired: true }\n",
            Map.of(),
            dir);

    S3Settings settings = AppModule.s3Settings(config);

    assertThat(settings.bucket()).isEqualTo("b");
    assertThat(settings.prefix()).isEqualTo("p/");
    assertThat(settings.endpoint()).isEqualTo("http://127.0.0.1:9000");
    assertThat(settings.region()).isEqualTo("eu-west-1");
    assertThat(settings.pathStyle()).isTrue();
    assertThat(settings.checksumsWhenRequired()).isTrue();
    assertThat(settings.maxArtifactBytes()).isEqualTo(12345);
    S3Settings defaults = S3Settings.builder().bucket("b").build();
    assertThat(settings.requireConditionalWrites()).isTrue();
    assertThat(settings.hasStaticCredentials()).isFalse();
    assertThat(settings.multipartThresholdBytes()).isEqualTo(defaults.multipartThresholdBytes());
    assertThat(settings.partSizeBytes()).isEqualTo(defaults.partSizeBytes());
    assertThat(settings.connectTimeout()).isEqualTo(defaults.connectTimeout());
    assertThat(settings.callTimeout()).isEqualTo(defaults.callTimeout());
    assertThat(settings.maxAttempts()).isEqualTo(defaults.maxAttempts());
    assertThat(settings.spoolDirectory()).isNull();
  }
}
