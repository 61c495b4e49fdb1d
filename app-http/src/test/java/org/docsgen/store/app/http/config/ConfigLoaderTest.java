package org.docsgen.store.app.http.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.docsgen.store.app.http.auth.Role;
import org.docsgen.store.app.http.config.ServerConfig.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final String TOKENS =
      "auth:\n  tokens:\n    - { token: abcdefghijklmnop0123, principal: ci, roles: [writer, reader] }\n";

  @TempDir Path dir;

  @Test
  void noFileRunsTheEmbeddedDefaultWithAGeneratedAdminToken() {
    ServerConfig config = ConfigLoader.load(List.of(), Map.of(), dir);
    assertThat(config.source()).isEmpty();
    assertThat(config.server().host()).isEqualTo("127.0.0.1");
    assertThat(config.server().port()).isEqualTo(7070);
    assertThat(config.server().maxArtifactBytes()).isEqualTo(5368709120L);
    assertThat(config.artifacts().backend()).isEqualTo(Backend.FS);
    assertThat(config.artifacts().fsRoot()).isEqualTo(dir.resolve("docsgen-data/artifacts"));
    assertThat(config.manifest().url())
        .isEqualTo("jdbc:sqlite:" + dir.resolve("docsgen-data/manifest.db"));
    assertThat(config.signing().keyFile())
        .isEqualTo(dir.resolve("docsgen-data/bundle-signing.key"));
    assertThat(config.generatedAdminToken()).isPresent();
    assertThat(config.tokens())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.roles()).containsExactly(Role.ADMIN);
              assertThat(t.token())
                  .isEqualTo(config.generatedAdminToken().get())
                  .hasSizeGreaterThan(40);
            });
    assertThat(ConfigLoader.load(List.of(), Map.of(), dir).generatedAdminToken())
        .isNotEqualTo(config.generatedAdminToken());
  }

  @Test
  void trustedPublicKeysAreAListOfPathsFromTheFileOrTheEnvironment() {
    assertThat(ConfigLoader.load(List.of(), Map.of(), dir).signing().trustedPublicKeys()).isEmpty();
    ServerConfig fromFile =
        ConfigLoader.fromYaml(
            TOKENS + "signing:\n  trustedPublicKeys: [keys/old.pem, /etc/older.pem]\n",
            Map.of(),
            dir);
    assertThat(fromFile.signing().trustedPublicKeys())
        .containsExactly(dir.resolve("keys/old.pem"), Path.of("/etc/older.pem"));
    ServerConfig fromEnv =
        ConfigLoader.fromYaml(
            TOKENS, Map.of("DOCSGEN_SIGNING_TRUSTEDPUBLICKEYS", "[a.pem, b.pem]"), dir);
    assertThat(fromEnv.signing().trustedPublicKeys())
        .containsExactly(dir.resolve("a.pem"), dir.resolve("b.pem"));
    ServerConfig words =
        ConfigLoader.fromYaml(
            TOKENS, Map.of("DOCSGEN_SIGNING_TRUSTED_PUBLIC_KEYS", "only.pem"), dir);
    assertThat(words.signing().trustedPublicKeys()).containsExactly(dir.resolve("only.pem"));
    assertThatThrownBy(
            () ->
                ConfigLoader.fromYaml(
                    TOKENS + "signing:\n  trustedPublicKeys: [{ file: a.pem }]\n", Map.of(), dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("signing.trustedPublicKeys[0]:");
  }

  @Test
  void theFileIsFoundByFlagEnvironmentOrWorkingDirectory() throws IOException {
    Files.writeString(dir.resolve("docsgen.yaml"), TOKENS + "server: { port: 1111 }\n");
    Files.writeString(dir.resolve("other.yaml"), TOKENS + "server: { port: 2222 }\n");
    Files.writeString(dir.resolve("env.yaml"), TOKENS + "server: { port: 3333 }\n");
    assertThat(ConfigLoader.load(List.of(), Map.of(), dir).server().port()).isEqualTo(1111);
    assertThat(ConfigLoader.load(List.of("--config", "other.yaml"), Map.of(), dir).server().port())
        .isEqualTo(2222);
    assertThat(ConfigLoader.load(List.of("--config=other.yaml"), Map.of(), dir).server().port())
        .isEqualTo(2222);
    assertThat(
            ConfigLoader.load(List.of(), Map.of("DOCSGEN_CONFIG", "env.yaml"), dir).server().port())
        .isEqualTo(3333);
    assertThatThrownBy(() -> ConfigLoader.load(List.of("--config", "missing.yaml"), Map.of(), dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--config")
        .hasMessageContaining("does not exist");
  }

  @Test
  void environmentVariablesOverrideSingleKeys() {
    ServerConfig config =
        ConfigLoader.fromYaml(
            TOKENS + "server: { port: 1111 }\nartifacts: { backend: fs }\n",
            Map.of(
                "DOCSGEN_SERVER_PORT", "8080",
                "DOCSGEN_SERVER_MAXARTIFACTBYTES", "1024",
                "DOCSGEN_ARTIFACTS_BACKEND", "s3",
                "DOCSGEN_ARTIFACTS_S3_BUCKET", "docs-bucket",
                "DOCSGEN_ARTIFACTS_S3_PATH_STYLE", "true",
                "DOCSGEN_MANIFEST_URL", "jdbc:postgresql://db:5432/docsgen",
                "DOCSGEN_MANIFEST_PASSWORD", "secret",
                "DOCSGEN_UNRELATED", "ignored"),
            dir);
    assertThat(config.server().port()).isEqualTo(8080);
    assertThat(config.server().maxArtifactBytes()).isEqualTo(1024);
    assertThat(config.artifacts().backend()).isEqualTo(Backend.S3);
    assertThat(config.artifacts().s3().bucket()).isEqualTo("docs-bucket");
    assertThat(config.artifacts().s3().pathStyle()).isTrue();
    assertThat(config.manifest().url()).isEqualTo("jdbc:postgresql://db:5432/docsgen");
    assertThat(config.manifest().password()).isEqualTo("secret");
    assertThat(config.manifest().toString()).doesNotContain("secret");
  }

  @Test
  void tokensCanComeFromTheEnvironmentAsYaml() {
    ServerConfig config =
        ConfigLoader.load(
            List.of(),
            Map.of(
                "DOCSGEN_AUTH_TOKENS",
                "[{token: zyxwvutsrqponmlk9876, principal: approver-bot, roles: [approver]}]"),
            dir);
    assertThat(config.generatedAdminToken()).isEmpty();
    assertThat(config.tokens())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.principal()).isEqualTo("approver-bot");
              assertThat(t.roles()).isEqualTo(Set.of(Role.APPROVER));
            });
  }

  @Test
  void badConfigurationFailsNamingTheKey() {
    assertFails("server: { prot: 1 }\n", "server.prot", "unknown key");
    assertFails("server: { port: 70000 }\n", "server.port", "between 0 and 65535");
    assertFails("server: { port: seven }\n", "server.port", "whole number");
    assertFails("server: { maxArtifactBytes: 0 }\n", "server.maxArtifactBytes", "at least 1");
    assertFails("artifacts: { backend: ftp }\n", "artifacts.backend", "fs, s3, jdbc");
    assertFails(
        "artifacts: { backend: s3, s3: { bucket: \"\" } }\n", "artifacts.s3.bucket", "required");
    assertFails(
        "artifacts: { s3: { endpoint: \"localhost:9000\" } }\n", "artifacts.s3.endpoint", "http");
    assertFails(
        "artifacts: { s3: { pathStyle: sometimes } }\n", "artifacts.s3.pathStyle", "true or false");
    assertFails("manifest: { url: \"jdbc:mysql://x/y\" }\n", "manifest.url", "jdbc:sqlite:");
    assertFails("server: [1, 2]\n", "server", "must be a mapping");
    assertFailsWithTokens(
        "auth:\n  tokens:\n    - { token: short, principal: a, roles: [reader] }\n",
        "auth.tokens[0].token");
    assertFailsWithTokens(
        "auth:\n  tokens:\n    - { token: abcdefghijklmnop0123, principal: a, roles: [root] }\n",
        "auth.tokens[0].roles");
    assertFailsWithTokens(
        "auth:\n  tokens:\n    - { token: abcdefghijklmnop0123, principal: \"a b\", roles: [reader] }\n",
        "auth.tokens[0].principal");
    assertFailsWithTokens(
        "auth:\n  tokens:\n    - { token: abcdefghijklmnop0123, principal: a, roles: [reader] }\n"
            + "    - { token: abcdefghijklmnop0123, principal: b, roles: [reader] }\n",
        "auth.tokens[1].token");
    assertFailsWithTokens(
        "auth:\n  tokens:\n    - { token: abcdefghijklmnop0123, principal: a, roles: [reader], admin: true }\n",
        "auth.tokens[0].admin");
    assertThatThrownBy(() -> ConfigLoader.fromYaml("server: { port: 1 }\n", Map.of(), dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("auth.tokens:");
    assertThatThrownBy(() -> ConfigLoader.fromYaml(TOKENS, Map.of("DOCSGEN_SERVER_PORT", "x"), dir))
        .hasMessageStartingWith("server.port:");
  }

  @Test
  void theFsckOrphanGraceDefaultsToAnHourAndRefusesANegativeValue() {
    assertThat(ConfigLoader.load(List.of(), Map.of(), dir).fsck().orphanGraceSeconds())
        .isEqualTo(3600);
    assertThat(
            ConfigLoader.fromYaml(TOKENS + "fsck: { orphanGraceSeconds: 0 }\n", Map.of(), dir)
                .fsck()
                .orphanGraceSeconds())
        .isZero();
    assertThat(
            ConfigLoader.fromYaml(TOKENS, Map.of("DOCSGEN_FSCK_ORPHAN_GRACE_SECONDS", "120"), dir)
                .fsck()
                .orphanGraceSeconds())
        .isEqualTo(120);
    assertFails("fsck: { orphanGraceSeconds: -1 }\n", "fsck.orphanGraceSeconds", "0 or more");
    assertFails("fsck: { orphanGraceSeconds: soon }\n", "fsck.orphanGraceSeconds", "whole number");
  }

  private void assertFails(String yaml, String key, String words) {
    assertThatThrownBy(() -> ConfigLoader.fromYaml(TOKENS + yaml, Map.of(), dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(key + ":")
        .hasMessageContaining(words)
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key));
  }

  private void assertFailsWithTokens(String yaml, String key) {
    assertThatThrownBy(() -> ConfigLoader.fromYaml(yaml, Map.of(), dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(key + ":");
  }

  @Test
  void previewAndDiffLimitsDefaultToOneMebibyteAndAreOverridable() {
    ServerConfig defaults = ConfigLoader.fromYaml(TOKENS, Map.of(), dir);
    assertThat(defaults.server().maxPreviewBytes()).isEqualTo(1048576);
    assertThat(defaults.diff().maxTextBytes()).isEqualTo(1048576);

    ServerConfig file =
        ConfigLoader.fromYaml(
            TOKENS + "server: { maxPreviewBytes: 4096 }\ndiff: { maxTextBytes: 2048 }\n",
            Map.of(),
            dir);
    assertThat(file.server().maxPreviewBytes()).isEqualTo(4096);
    assertThat(file.diff().maxTextBytes()).isEqualTo(2048);

    ServerConfig env =
        ConfigLoader.fromYaml(
            TOKENS,
            Map.of("DOCSGEN_SERVER_MAXPREVIEWBYTES", "100", "DOCSGEN_DIFF_MAX_TEXT_BYTES", "200"),
            dir);
    assertThat(env.server().maxPreviewBytes()).isEqualTo(100);
    assertThat(env.diff().maxTextBytes()).isEqualTo(200);

    assertFails("server: { maxPreviewBytes: 0 }\n", "server.maxPreviewBytes", "at least 1");
    assertFails("diff: { maxTextBytes: lots }\n", "diff.maxTextBytes", "whole number");
    assertFails("diff: { maxBytes: 1 }\n", "diff.maxBytes", "unknown key");
  }

  @Test
  void everyDocumentedKeyHasItsEnvironmentName() {
    // the list of keys itself is pinned by ConfigBindingTest
    assertThat(ConfigLoader.knownKeys())
        .isNotEmpty()
        .allSatisfy(
            key ->
                assertThat(ConfigLoader.envName(key))
                    .startsWith("DOCSGEN_")
                    .doesNotContain(".")
                    .isUpperCase());
    assertThat(ConfigLoader.envName("server.maxPreviewBytes"))
        .isEqualTo("DOCSGEN_SERVER_MAXPREVIEWBYTES");
    assertThat(ConfigLoader.envName("diff.maxTextBytes")).isEqualTo("DOCSGEN_DIFF_MAXTEXTBYTES");
    assertThat(ConfigLoader.envName("server.port")).isEqualTo("DOCSGEN_SERVER_PORT");
    assertThat(ConfigLoader.envName("artifacts.s3.bucket"))
        .isEqualTo("DOCSGEN_ARTIFACTS_S3_BUCKET");
  }
}
