package org.docsgen.store.app.http.wiring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.docsgen.store.app.http.config.ConfigException;
import org.docsgen.store.app.http.config.ServerConfig;
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
  void trustedPublicKeysVerifyAfterTheSigningKeyAndABadOneStopsTheStart() throws Exception {
    Path retiredFile = dir.resolve("retired.key");
    SigningKeys retired = SigningKeys.loadOrCreate(retiredFile);
    Path retiredPem = dir.resolve("retired.pem");
    Files.writeString(retiredPem, BundleSigner.publicKeyPem(retired.signer().publicKey()));
    Path keyFile = dir.resolve("current.key");

    SigningKeys keys =
        SigningKeys.load(new ServerConfig.Signing(keyFile, List.of(retiredPem, retiredPem)));

    assertThat(keys.signer().verificationKeys())
        .containsExactly(
            SigningKeys.loadOrCreate(keyFile).signer().publicKey(), retired.signer().publicKey());

    Path garbage =
        Files.writeString(
            dir.resolve("garbage.pem"),
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    assertThatThrownBy(
            () -> SigningKeys.load(new ServerConfig.Signing(keyFile, List.of(retiredPem, garbage))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("signing.trustedPublicKeys[1]:")
        .hasMessageContaining("garbage.pem")
        .hasMessageContaining("not an Ed25519 key");
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> SigningKeys.load(new ServerConfig.Signing(keyFile, List.of(missing))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("signing.trustedPublicKeys[0]: cannot read");
    // the private key file is not a public key file: refused, never read as one
    assertThatThrownBy(
            () -> SigningKeys.load(new ServerConfig.Signing(keyFile, List.of(dir.resolve("x")))))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void aFileWithoutBothKeysIsRefusedNamingTheKey() throws Exception {
    Path file = dir.resolve("broken.key");
    Files.write(file, "not a key".getBytes(UTF_8));
    assertThatThrownBy(() -> SigningKeys.loadOrCreate(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("signing.keyFile:");
  }

  @Test
  void anEmptyKeyFileGetsAKeyAndEveryInstanceStartingAtOnceEndsWithThatOne() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty")).resolve("bundle-signing.key");
    Files.createFile(empty);
    assertOneKeyFromConcurrentStarts(empty);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(empty)))
        .isEqualTo("rw-------");
    assertThat(Files.list(empty.getParent()).map(p -> p.getFileName().toString()))
        .as("no temporary file is left behind")
        .containsExactly("bundle-signing.key");
  }

  @Test
  void instancesStartingAtOnceOnAMissingKeyFileEndWithOneKey() throws Exception {
    assertOneKeyFromConcurrentStarts(dir.resolve("fresh/nested/bundle-signing.key"));
  }

  /** Eight starts at once on {@code file}: one key, the one the file holds, used by all. */
  private static void assertOneKeyFromConcurrentStarts(Path file) throws Exception {
    int starts = 8;
    CyclicBarrier together = new CyclicBarrier(starts);
    ExecutorService pool = Executors.newFixedThreadPool(starts);
    try {
      List<Future<SigningKeys>> results = new ArrayList<>();
      for (int i = 0; i < starts; i++) {
        results.add(
            pool.submit(
                () -> {
                  together.await();
                  return SigningKeys.loadOrCreate(file);
                }));
      }
      SigningKeys fromFile = SigningKeys.loadOrCreate(file);
      for (Future<SigningKeys> result : results) {
        SigningKeys keys = result.get(60, TimeUnit.SECONDS);
        assertThat(keys.overwriteTokenKey()).isEqualTo(fromFile.overwriteTokenKey());
        assertThat(keys.signer().publicKey().getEncoded())
            .isEqualTo(fromFile.signer().publicKey().getEncoded());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
