package org.docsgen.store.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI reads the server's configuration: --config, DOCSGEN_CONFIG, env overrides. */
class ConfigurationTest {
  @TempDir Path dir;

  @Test
  void aConfigFileChoosesWhereTheDataLives() throws Exception {
    Files.writeString(
        dir.resolve("cli.yaml"),
        "artifacts: { backend: fs, fs: { root: ./elsewhere/artifacts } }\n"
            + "manifest: { url: \"jdbc:sqlite:./elsewhere/manifest.db\" }\n"
            + "signing: { keyFile: ./elsewhere/signing.key }\n");
    CliRunner cli = new CliRunner(dir);

    var created = cli.run("run", "create", "--config", "cli.yaml");

    assertThat(created.code()).as(created.toString()).isZero(); // no auth.tokens needed locally
    assertThat(dir.resolve("elsewhere/manifest.db")).exists();
    assertThat(dir.resolve("docsgen-data")).doesNotExist();
    var viaEnv = new CliRunner(dir).env("DOCSGEN_CONFIG", "cli.yaml").run("run", "list");
    assertThat(viaEnv.out()).contains(created.out().strip());
  }

  @Test
  void environmentOverridesOneKey() throws Exception {
    CliRunner cli = new CliRunner(dir).env("DOCSGEN_ARTIFACTS_FS_ROOT", "store");

    String run = cli.run("run", "create").out().strip();
    var put = cli.runWithStdin("x".getBytes(), "put", "--start", run + "/phase1/a.txt");

    assertThat(put.code()).as(put.toString()).isZero();
    // one byte: packed, in store/~packs/
    assertThat(PackedLayout.packed(dir.resolve("store"), run + "/phase1/a.txt", 1).content())
        .isEqualTo("x".getBytes());
  }

  @Test
  void badConfigurationIsBadInputNamingTheKey() throws Exception {
    Files.writeString(dir.resolve("docsgen.yaml"), "artifacts: { backend: ftp }\n");

    var list = new CliRunner(dir).run("run", "list");

    assertThat(list.code()).isEqualTo(2);
    assertThat(list.err()).contains("artifacts.backend");
  }

  @Test
  void serveRefusesAFileWithoutTokensLikeTheServer() throws Exception {
    Files.writeString(dir.resolve("docsgen.yaml"), "server: { port: 0 }\n");

    var serve = new CliRunner(dir).run("serve");

    assertThat(serve.code()).isEqualTo(2);
    assertThat(serve.err()).contains("auth.tokens");
  }

  /**
   * Local commands need no API token whatever the environment says about tokens: an empty {@code
   * DOCSGEN_AUTH_TOKENS} (as a deployment template leaves it) beside a file without tokens used to
   * make every local verb fail with the server's "no token configured".
   */
  @Test
  void localCommandsNeedNoTokenEvenWhenTheTokenVariableIsSetEmpty() throws Exception {
    Files.writeString(dir.resolve("docsgen.yaml"), "server: { port: 0 }\n");

    var list = new CliRunner(dir).env("DOCSGEN_AUTH_TOKENS", "[]").run("run", "list");
    var serve = new CliRunner(dir).env("DOCSGEN_AUTH_TOKENS", "[]").run("serve");

    assertThat(list.code()).as(list.toString()).isZero();
    assertThat(serve.code()).isEqualTo(2);
    assertThat(serve.err()).contains("auth.tokens");
  }
}
