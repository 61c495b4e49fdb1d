package org.docsgen.store.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.docsgen.store.app.http.json.Json;
import org.docsgen.store.ports.bundle.BundleSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docsgen keys} prints the signing key as PEM, and a rotated deployment still verifies the
 * bundles its retired key signed once that key is listed in {@code signing.trustedPublicKeys}.
 */
class KeyRotationTest {
  @TempDir Path dir;

  @Test
  void aRetiredKeyVerifiesOlderBundlesOnlyWhileTrusted() throws Exception {
    CliRunner cli = new CliRunner(dir);
    String run = bundledRun(cli);
    var oldKeys = cli.run("keys");
    assertThat(oldKeys.code()).as(oldKeys.toString()).isZero();
    assertThat(oldKeys.out())
        .startsWith("-----BEGIN PUBLIC KEY-----\n")
        .endsWith("-----END PUBLIC KEY-----\n");
    String oldId = BundleSigner.keyId(BundleSigner.publicKeyFromPem(oldKeys.out()));
    assertThat(oldKeys.err()).contains("keyid " + oldId);
    Files.writeString(dir.resolve("old.pem"), oldKeys.out());

    // rotate: a new key is generated where the old one was
    Files.delete(dir.resolve("docsgen-data/bundle-signing.key"));
    var untrusted = cli.run("verify", run);
    assertThat(untrusted.code()).as(untrusted.toString()).isEqualTo(ExitCodes.INTEGRITY);
    assertThat(untrusted.out()).contains("FAIL attestation signature");

    Files.writeString(dir.resolve("docsgen.yaml"), "signing:\n  trustedPublicKeys: [old.pem]\n");
    var trusted = cli.run("verify", run);
    assertThat(trusted.code()).as(trusted.toString()).isZero();
    assertThat(trusted.out()).contains("(keyid " + oldId + ")");
    var all = cli.run("keys", "--all", "--json");
    assertThat(all.code()).as(all.toString()).isZero();
    JsonNode items = Json.mapper().readTree(all.stdout()).path("items");
    assertThat(items).hasSize(2);
    assertThat(items.get(0).path("keyid").asText()).isNotEqualTo(oldId);
    assertThat(items.get(1).path("keyid").asText()).isEqualTo(oldId);
    assertThat(items.get(1).path("algorithm").asText()).isEqualTo("ed25519");

    Files.writeString(
        dir.resolve("old.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    var broken = cli.run("verify", run);
    assertThat(broken.code()).as(broken.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(broken.err()).contains("signing.trustedPublicKeys[0]").contains("old.pem");
  }

  static String bundledRun(CliRunner cli) throws Exception {
    var created = cli.run("run", "create", "--core-files", "docsgen.md", "--actor", "alice");
    assertThat(created.code()).as(created.toString()).isZero();
    String run = created.out().strip();
    Files.writeString(cli.dir().resolve("docsgen.md"), "# DocsGen\n");
    for (String[] args :
        new String[][] {
          {"put", "--start", run + "/phase1/docsgen.md", "docsgen.md"},
          {"exec", "finish", run, "phase1", "--status", "SUCCEEDED"},
          {"exec", "start", run, "final"},
          {"exec", "finish", run, "final", "--status", "SUCCEEDED"},
          {"bundle", run}
        }) {
      var result = cli.run(args);
      assertThat(result.code()).as(result.toString()).isZero();
    }
    return run;
  }
}
