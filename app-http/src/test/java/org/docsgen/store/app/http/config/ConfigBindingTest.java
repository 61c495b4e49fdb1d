package org.docsgen.store.app.http.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.docsgen.store.app.http.auth.Role;
import org.docsgen.store.app.http.config.ConfigLoader.Purpose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Jackson binding's error paths and the one environment pass: every failure names the key as
 * written in docsgen.yaml (with list indexes), whichever of file, environment or default it came
 * from.
 */
class ConfigBindingTest {
  private static final String TOKENS =
      "auth:\n  tokens:\n    - { token: abcdefghijklmnop0123, principal: ci, roles: [writer] }\n";

  @TempDir Path dir;

  @Test
  void theKeysAreTheRecordsComponentsInDocumentationOrder() {
    assertThat(ConfigLoader.knownKeys())
        .containsExactly(
            "server.host",
            "server.port",
            "server.maxArtifactBytes",
            "server.maxPreviewBytes",
            "auth.tokens",
            "artifacts.backend",
            "artifacts.fs.root",
            "artifacts.s3.bucket",
            "artifacts.s3.prefix",
            "artifacts.s3.endpoint",
            "artifacts.s3.region",
            "artifacts.s3.pathStyle",
            "artifacts.s3.checksumsWhenRequired",
            "manifest.url",
            "manifest.user",
            "manifest.password",
            "manifest.maxPoolSize",
            "signing.keyFile",
            "signing.trustedPublicKeys",
            "diff.maxTextBytes",
            "fsck.orphanGraceSeconds");
  }

  @Test
  void anUnknownKeyIsNamedWithItsSectionAndTheKnownKeysListed() {
    assertFails(
        "artifacts: { s3: { bucket: b, bucketName: c } }\n",
        "artifacts.s3.bucketName",
        "unknown key; known keys are server.host, server.port");
    assertFails("fsk: { orphanGraceSeconds: 1 }\n", "fsk", "unknown key");
    assertFails("fsk: ~\n", "fsk", "unknown key");
    assertFails(
        "auth:\n  tokens:\n    - { token: abcdefghijklmnop0123, principal: a, roles: reader, r: 1 }\n",
        "auth.tokens[0].r",
        "unknown key; expected token, principal, roles");
  }

  @Test
  void aValueOfTheWrongTypeSaysWhatWouldBeAccepted() {
    assertFails("server: { port: 1.5 }\n", "server.port", "must be a whole number, was '1.5'");
    assertFails("server: { port: 99999999999 }\n", "server.port", "is out of range");
    assertFails("artifacts: { backend: 1 }\n", "artifacts.backend", "one of fs, s3, jdbc, was '1'");
    assertFails("artifacts: { backend: FS }\n", "artifacts.backend", "was 'FS'");
    assertFails(
        "artifacts: { s3: { checksumsWhenRequired: 1 } }\n",
        "artifacts.s3.checksumsWhenRequired",
        "must be true or false, was '1'");
    assertFails("manifest: { maxPoolSize: 0 }\n", "manifest.maxPoolSize", "between 1 and 1000");
    assertFails("artifacts: 5\n", "artifacts", "must be a mapping of keys");
  }

  @Test
  void aListOrMappingWhereOneValueBelongsIsRefused() {
    String single = "must be a single value, not a list or mapping";
    assertFails("server: { host: [a, b] }\n", "server.host", single);
    assertFails("server: { port: [1] }\n", "server.port", single);
    assertFails("manifest: { url: { jdbc: x } }\n", "manifest.url", single);
    assertFails("signing: { keyFile: [a, b] }\n", "signing.keyFile", single);
    assertFails("artifacts: { backend: [fs] }\n", "artifacts.backend", single);
    // these keys keep the words the hand-written loader used for a value of the wrong shape
    assertFails(
        "signing: { trustedPublicKeys: [a.pem, [b.pem]] }\n",
        "signing.trustedPublicKeys[1]",
        "must be a file path");
    // one value stands for a list of one (as a single path does), so a mapping is refused at [0]
    assertFails(
        "signing: { trustedPublicKeys: { a: b } }\n",
        "signing.trustedPublicKeys[0]",
        "must be a file path");
    assertFailsWithout(
        "auth: { tokens: [[x]] }\n",
        "auth.tokens[0]",
        "must be a mapping { token, principal, roles }");
    assertFails(
        "signing: { trustedPublicKeys: [a.pem, ~] }\n",
        "signing.trustedPublicKeys[1]",
        "must name a file");
    assertFailsWithout(
        "auth: { tokens: { token: abcdefghijklmnop0123, principal: a, roles: [reader] } }\n",
        "auth.tokens",
        "must be a list of { token, principal, roles } entries");
  }

  @Test
  void anUnsetValueKeepsTheDefault() {
    ServerConfig config =
        ConfigLoader.fromYaml(
            TOKENS + "server: { port: ~, host: ~ }\nartifacts: ~\n", Map.of(), dir);
    assertThat(config.server().port()).isEqualTo(7070);
    assertThat(config.server().host()).isEqualTo("127.0.0.1");
    assertThat(config.artifacts().fsRoot()).isEqualTo(dir.resolve("docsgen-data/artifacts"));
    assertThat(config.artifacts().s3().checksumsWhenRequired()).isNull();
  }

  @Test
  void theEnvironmentOverridesNestedKeysAndItsValuesAreCheckedUnderTheKey() {
    ServerConfig config =
        ConfigLoader.fromYaml(
            TOKENS + "artifacts: { s3: { region: eu-west-1 } }\n",
            Map.of(
                "DOCSGEN_ARTIFACTS_S3_CHECKSUMS_WHEN_REQUIRED", "true",
                "DOCSGEN_ARTIFACTS_FS_ROOT", "elsewhere",
                "DOCSGEN_MANIFEST_URL", "jdbc:sqlite:db/m.db?busy_timeout=9000"),
            dir);
    assertThat(config.artifacts().s3().checksumsWhenRequired()).isTrue();
    assertThat(config.artifacts().s3().region()).isEqualTo("eu-west-1");
    assertThat(config.artifacts().fsRoot()).isEqualTo(dir.resolve("elsewhere"));
    assertThat(config.manifest().url())
        .isEqualTo("jdbc:sqlite:" + dir.resolve("db/m.db") + "?busy_timeout=9000");
    assertThatThrownBy(
            () ->
                ConfigLoader.fromYaml(
                    TOKENS, Map.of("DOCSGEN_MANIFEST_MAX_POOL_SIZE", "many"), dir))
        .isInstanceOf(ConfigException.class)
        .hasMessage("manifest.maxPoolSize: must be a whole number, was 'many'");
    assertThatThrownBy(() -> ConfigLoader.fromYaml(TOKENS, Map.of("DOCSGEN_SERVER_HOST", ""), dir))
        .hasMessage("server.host: must not be empty");
  }

  @Test
  void theTokenListFromTheEnvironmentReplacesTheFilesAndIsCheckedEntryByEntry() {
    ServerConfig config =
        ConfigLoader.fromYaml(
            TOKENS,
            Map.of(
                "DOCSGEN_AUTH_TOKENS",
                "[{token: zyxwvutsrqponmlk9876, principal: bot, roles: approver}]"),
            dir);
    assertThat(config.tokens())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.principal()).isEqualTo("bot");
              assertThat(t.roles()).containsExactly(Role.APPROVER);
            });
    assertThatThrownBy(
            () ->
                ConfigLoader.fromYaml(
                    TOKENS,
                    Map.of(
                        "DOCSGEN_AUTH_TOKENS",
                        "[{token: zyxwvutsrqponmlk9876, principal: bot, roles: [boss]}]"),
                    dir))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "auth.tokens[0].roles: unknown role 'boss'; roles are reader, writer, approver, admin");
    assertThatThrownBy(
            () ->
                ConfigLoader.fromYaml(
                    TOKENS,
                    Map.of("DOCSGEN_AUTH_TOKENS", "{token: zyxwvutsrqponmlk9876, principal: b}"),
                    dir))
        .hasMessageStartingWith("auth.tokens: must be a list");
    assertThatThrownBy(
            () -> ConfigLoader.fromYaml(TOKENS, Map.of("DOCSGEN_AUTH_TOKENS", "[a, b"), dir))
        .hasMessageContaining("DOCSGEN_AUTH_TOKENS is not valid YAML");
  }

  @Test
  void localCommandsNeedNoTokenAndGetNoneGenerated() throws IOException {
    Files.writeString(dir.resolve("cli.yaml"), "server: { port: 1234 }\n");
    Optional<Path> file = Optional.of(Path.of("cli.yaml"));

    ServerConfig local = ConfigLoader.load(Purpose.LOCAL, file, Map.of(), dir);
    assertThat(local.tokens()).isEmpty();
    assertThat(local.generatedAdminToken()).isEmpty();
    assertThat(local.source()).contains(dir.resolve("cli.yaml"));
    assertThat(ConfigLoader.load(Purpose.LOCAL, Optional.empty(), Map.of(), dir).tokens())
        .isEmpty();
    assertThatThrownBy(() -> ConfigLoader.load(Purpose.SERVER, file, Map.of(), dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("auth.tokens: no token configured in " + dir.resolve("cli.yaml"));
    Files.writeString(
        dir.resolve("cli.yaml"),
        "auth: { tokens: [ { token: short, principal: a, roles: [reader] } ] }\n");
    assertThatThrownBy(() -> ConfigLoader.load(Purpose.LOCAL, file, Map.of(), dir))
        .hasMessageStartingWith("auth.tokens[0].token:");
  }

  private void assertFails(String yaml, String key, String words) {
    assertFailsWithout(TOKENS + yaml, key, words);
  }

  private void assertFailsWithout(String yaml, String key, String words) {
    assertThatThrownBy(() -> ConfigLoader.fromYaml(yaml, Map.of(), dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(key + ": ")
        .hasMessageContaining(words)
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key));
  }
}
