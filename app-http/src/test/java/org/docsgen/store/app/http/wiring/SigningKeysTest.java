package org.docsgen.store.app.http.wiring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.docsgen.store.app.http.config.ConfigException;
import org.docsgen.store.domain.artifact.ArtifactVersion;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.ports.bundle.BundleSigner;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {
  @TempDir Path dir;

  @Test
  void theKeyIsGeneratedOnceAndSharedByEveryInstanceThatReadsIt() throws Exception {
    Path file = dir.resolve("data/bundle-signing.key");
    SigningKeys first = SigningKeys.loadOrCreate(file);
    String pem = Files.readString(file);
    assertThat(pem).contains("-----BEGIN PRIVATE KEY-----").contains("-----BEGIN PUBLIC KEY-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    SigningKeys second = SigningKeys.loadOrCreate(file);
    assertThat(Files.readString(file)).isEqualTo(pem);
    assertThat(second.overwriteTokenKey()).isEqualTo(first.overwriteTokenKey()).hasSize(32);

    String signature = first.signer().sign("{\"a\":1}");
    assertThat(BundleSigner.verify(second.signer().publicKey(), "{\"a\":1}", signature)).isTrue();

    ArtifactVersion version =
        new ArtifactVersion(
            LogicalPath.parse("run_2026_11_28_0001/phase1/a.md"),
            1,
            ContentHash.sha256(new byte[0]));
    String token = new OverwriteTokens(first.overwriteTokenKey(), Clock.systemUTC()).mint(version);
    assertThat(
            new OverwriteTokens(second.overwriteTokenKey(), Clock.systemUTC())
                .verify(token, version.path()))
        .isPresent();
    SigningKeys other = SigningKeys.loadOrCreate(dir.resolve("other.key"));
    assertThat(
            new OverwriteTokens(other.overwriteTokenKey(), Clock.systemUTC())
                .verify(token, version.path()))
        .isEmpty();
  }

  @Test
  void aFileWithoutBothKeysIsRefusedNamingTheKey() throws Exception {
    Path file = dir.resolve("broken.key");
    Files.write(file, "not a key".getBytes(UTF_8));
    assertThatThrownBy(() -> SigningKeys.loadOrCreate(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("signing.keyFile:");
  }
}
