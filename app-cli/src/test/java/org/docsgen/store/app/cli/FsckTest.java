package org.docsgen.store.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Guice;
import com.google.inject.Injector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.docsgen.store.app.http.config.ConfigLoader;
import org.docsgen.store.app.http.config.ServerConfig;
import org.docsgen.store.app.http.json.Json;
import org.docsgen.store.app.http.wiring.AppModule;
import org.docsgen.store.app.http.wiring.SigningKeys;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ManifestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fsck through the CLI on the embedded default (filesystem + SQLite): orphans (stored bytes no
 * index entry names) are reported and counted with exit 0 and removed by --repair once older than
 * the grace window, never indexed or attached to an execution; drift (missing bytes, a size or hash
 * mismatch) exits 4. Plain fsck checks presence and size only; --deep re-hashes.
 */
class FsckTest {
  @TempDir Path dir;

  /**
   * Writes bytes into the configured artifact store without indexing them: what a writer killed
   * between the store write and the index write leaves, stamped by {@code clock}.
   */
  private void writeOrphan(String path, String text, Clock clock) throws Exception {
    ServerConfig config = ConfigLoader.load(List.of(), Map.of(), dir);
    SigningKeys keys = SigningKeys.loadOrCreate(config.signing().keyFile());
    Injector injector = Guice.createInjector(new AppModule(config, keys, clock));
    injector
        .getInstance(ArtifactStore.class)
        .writeText(LogicalPath.parse(path), ArtifactType.DOCUMENTATION, text, "killed-writer");
    if (injector.getInstance(ManifestStore.class) instanceof AutoCloseable manifest) {
      manifest.close();
    }
  }

  private static Clock hoursAgo(int hours) {
    return Clock.offset(Clock.systemUTC(), Duration.ofHours(-hours));
  }

  private Path root() {
    return dir.resolve("docsgen-data/artifacts");
  }

  /** A large version's {@code content} file in its generation directory. */
  private Path content(String path, int generation) {
    return PackedLayout.contentFile(root(), path, generation);
  }

  /** Whether the version's bytes are stored: packed and not removed, or as a directory. */
  private boolean stored(String path, int generation) {
    return PackedLayout.stored(root(), path, generation);
  }

  /** Text of {@code size} bytes (over 64 KiB: a generation directory, not packed). */
  private static byte[] large(String first, int size) {
    byte[] bytes = new byte[size];
    java.util.Arrays.fill(bytes, (byte) 'x');
    byte[] head = first.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    System.arraycopy(head, 0, bytes, 0, head.length);
    bytes[size - 1] = '\n';
    return bytes;
  }

  private static final int LARGE = PackedLayout.MAX_PACKED_BYTES + 1;

  private static JsonNode json(CliRunner.Result result) throws Exception {
    return Json.mapper().readTree(result.out());
  }

  /** A run whose final stage SUCCEEDED with a.md; its core set also names b.md. */
  private String succeededRun(CliRunner cli) {
    String run = cli.run("run", "create", "--core-files", "a.md,b.md").out().strip();
    assertThat(cli.run("exec", "start", run, "final").code()).isZero();
    var put = cli.runWithStdin("# a\n".getBytes(), "put", run + "/final/a.md");
    assertThat(put.code()).as(put.toString()).isZero();
    assertThat(cli.run("exec", "finish", run, "final", "--status", "SUCCEEDED").code()).isZero();
    return run;
  }

  @Test
  void orphansAreCountedWithExitZeroAndRepairRemovesOnlyThoseOlderThanTheGraceWindow()
      throws Exception {
    CliRunner cli = new CliRunner(dir);
    String run = succeededRun(cli);
    String old = run + "/final/b.md";
    String young = run + "/final/c.md";
    writeOrphan(old, "# b, never acknowledged\n", hoursAgo(2));
    writeOrphan(young, "# c, still in flight\n", Clock.systemUTC());

    var plain = cli.run("fsck", "--json");
    var deep = cli.run("fsck", "--deep", "--json");

    for (CliRunner.Result found : List.of(plain, deep)) {
      assertThat(found.code()).as(found.toString()).isZero();
      JsonNode report = json(found);
      assertThat(report.get("clean").asBoolean()).isTrue();
      assertThat(report.get("orphans").asLong()).isEqualTo(2);
      assertThat(report.get("orphansRemoved").asLong()).isZero();
      assertThat(report.get("drift").asLong()).isZero();
      assertThat(report.get("orphanGraceSeconds").asLong()).isEqualTo(3600);
      List<String> kinds = new ArrayList<>();
      report.get("findings").forEach(f -> kinds.add(f.get("kind").asText()));
      assertThat(kinds).containsExactly("orphan", "orphan");
      assertThat(report.get("findings").get(0).get("drift").asBoolean()).isFalse();
      assertThat(found.err()).contains("checked 3 versions").doesNotContain("drift");
    }
    var text = cli.run("fsck");
    assertThat(text.out()).contains("orphan " + old + " g1").contains("2 orphan(s)");

    // default grace (one hour): the two-hour-old orphan goes, the fresh one stays
    var repaired = cli.run("fsck", "--repair");
    assertThat(repaired.code()).as(repaired.toString()).isZero();
    assertThat(repaired.out())
        .contains("removed orphan " + old + " g1")
        .contains("orphan " + young + " g1")
        .contains("kept: younger than the grace window of 3600 s")
        .contains("2 orphan(s), 1 removed");
    assertThat(PackedLayout.version(root(), old, 1)).isEmpty(); // a removal record appended
    assertThat(PackedLayout.version(root(), young, 1)).isPresent();
    assertThat(stored(old, 1)).isFalse();

    var all = cli.run("fsck", "--repair", "--grace", "0", "--json");
    assertThat(all.code()).as(all.toString()).isZero();
    assertThat(json(all).get("orphansRemoved").asLong()).isEqualTo(1);
    assertThat(stored(young, 1)).isFalse();

    var after = cli.run("fsck", "--deep", "--json");
    assertThat(after.code()).isZero();
    assertThat(json(after).get("orphans").asLong()).isZero();
    assertThat(json(after).get("findings")).isEmpty();
    assertThat(cli.run("get", run + "/final/a.md").out()).isEqualTo("# a\n");
  }

  @Test
  void repairNeverAttachesAnOrphanToAnExecutionSoTheBundleCannotTakeIt() throws Exception {
    CliRunner cli = new CliRunner(dir);
    String run = succeededRun(cli);
    String orphan = run + "/final/b.md";
    writeOrphan(orphan, "# b, bytes of a crashed upload\n", hoursAgo(2));

    var repaired = cli.run("fsck", "--repair");

    assertThat(repaired.code()).as(repaired.toString()).isZero();
    assertThat(cli.run("ls", run).out()).contains("a.md").doesNotContain("b.md");
    var bundle = cli.run("bundle", run);
    assertThat(bundle.code()).as(bundle.toString()).isNotZero();
    assertThat(bundle.err()).contains("b.md");
    assertThat(cli.run("get", orphan).code()).isEqualTo(2);
    assertThat(repaired.out()).contains("removed orphan " + orphan).doesNotContain("indexed as");
  }

  @Test
  void anOrphanUnderAnIndexedGenerationIsCountedAndKept() throws Exception {
    CliRunner cli = new CliRunner(dir);
    String run = cli.run("run", "create").out().strip();
    String path = run + "/phase1/a.md";
    writeOrphan(path, "crashed first attempt\n", hoursAgo(3));
    // the store already holds generation 1, so this write lands as generation 2 and is indexed
    var put = cli.runWithStdin("second\n".getBytes(), "put", "--start", "--overwrite", path);
    assertThat(put.code()).as(put.toString()).isZero();

    var repaired = cli.run("fsck", "--repair", "--grace", "0", "--json");

    assertThat(repaired.code()).as(repaired.toString()).isZero();
    JsonNode report = json(repaired);
    assertThat(report.get("orphans").asLong()).isEqualTo(1);
    assertThat(report.get("orphansRemoved").asLong()).isZero();
    JsonNode kept = report.get("findings").get(0);
    assertThat(kept.get("kind").asText()).isEqualTo("orphan");
    assertThat(kept.get("generation").asInt()).isEqualTo(1);
    assertThat(kept.get("repaired").asBoolean()).isFalse();
    assertThat(kept.get("detail").asText()).contains("later generation");
    assertThat(PackedLayout.version(root(), path, 1)).isPresent();
    assertThat(cli.run("get", path).out()).isEqualTo("second\n");
  }

  @Test
  void driftStillExitsFourAndRepairLeavesIt() throws Exception {
    // missing and shortened bytes are files gone or cut: large versions, in generation directories
    CliRunner cli = new CliRunner(dir);
    String run = cli.run("run", "create").out().strip();
    String a = run + "/phase1/a.md";
    String b = run + "/phase1/b.md";
    byte[] alpha = large("alpha\n", LARGE);
    byte[] bravo = large("bravo\n", LARGE);
    cli.runWithStdin(alpha, "put", "--start", a);
    cli.runWithStdin(bravo, "put", b);
    assertThat(content(a, 1)).exists();
    assertThat(content(b, 1)).exists();
    assertThat(cli.run("fsck").code()).isZero();

    // an index entry without bytes
    Files.delete(content(a, 1));
    var missing = cli.run("fsck", "--repair", "--json");
    assertThat(missing.code()).as(missing.toString()).isEqualTo(4);
    assertThat(json(missing).get("clean").asBoolean()).isFalse();
    assertThat(json(missing).get("findings").get(0).get("path").asText()).isEqualTo(a);
    assertThat(json(missing).get("findings").get(0).get("drift").asBoolean()).isTrue();
    assertThat(missing.err()).contains("drift");
    Files.write(content(a, 1), alpha);
    assertThat(cli.run("fsck").code()).isZero();

    // bytes shorter than indexed: the plain check's size test finds it
    Files.write(
        content(b, 1),
        java.util.Arrays.copyOf(bravo, bravo.length - 2),
        StandardOpenOption.TRUNCATE_EXISTING);
    var shorter = cli.run("fsck", "--json");
    assertThat(shorter.code()).as(shorter.toString()).isEqualTo(4);
    assertThat(json(shorter).get("findings").get(0).get("kind").asText()).isEqualTo("mismatch");
    Files.write(content(b, 1), bravo, StandardOpenOption.TRUNCATE_EXISTING);
    assertThat(cli.run("fsck").code()).isZero();
  }

  @Test
  void aSizeEditedInTheStoresMetadataIsOneFindingNotAnAbortedCheck() throws Exception {
    // reliability suite, tamper kind: the store refused to open the version (size differs from
    // meta.properties) inside fsck's own candidate check, and fsck ended with exit 4, no report.
    // a is large (a generation directory with meta.properties); b is small, packed, its content
    // rewritten in place in its segment record
    CliRunner cli = new CliRunner(dir);
    String run = cli.run("run", "create").out().strip();
    String a = run + "/phase1/a.md";
    String b = run + "/phase1/b.md";
    cli.runWithStdin(large("alpha\n", LARGE), "put", "--start", a);
    cli.runWithStdin("bravo\n".getBytes(), "put", b);
    Path meta = content(a, 1).resolveSibling("meta.properties");
    Files.writeString(meta, Files.readString(meta).replaceFirst("(?m)^size=.*$", "size=99"));
    PackedLayout.packed(root(), b, 1).writeContent("BRAVO\n".getBytes());

    var deep = cli.run("fsck", "--deep", "--json");
    assertThat(deep.code()).as(deep.toString()).isEqualTo(4);
    List<String> named = new ArrayList<>();
    json(deep).get("findings").forEach(f -> named.add(f.get("path").asText()));
    assertThat(named).as(deep.toString()).containsExactlyInAnyOrder(a, b);
  }

  @Test
  void plainFsckChecksPresenceAndSizeOnlyAndDeepReHashes() throws Exception {
    // the fast check's "no hashing" is observable on a generation directory (a large version)
    CliRunner cli = new CliRunner(dir);
    String run = cli.run("run", "create").out().strip();
    String a = run + "/phase1/a.md";
    byte[] alpha = large("alpha\n", LARGE);
    cli.runWithStdin(alpha, "put", "--start", a);

    // same size, other bytes: only a re-hash can tell
    byte[] other = alpha.clone();
    other[0] = 'A';
    Files.write(content(a, 1), other, StandardOpenOption.TRUNCATE_EXISTING);

    var plain = cli.run("fsck");
    var deep = cli.run("fsck", "--deep", "--json");

    assertThat(plain.code()).as(plain.toString()).isZero();
    assertThat(deep.code()).as(deep.toString()).isEqualTo(4);
    assertThat(json(deep).get("findings").get(0).get("kind").asText()).isEqualTo("corrupt");
    var help = cli.run("fsck", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out().replaceAll("\\s+", " "))
        .contains("present and of the indexed size, without re-hashing")
        .contains("--deep re-reads and re-hashes every byte")
        .contains("--grace");
  }

  @Test
  void deepFsckFindsOtherBytesOfTheSameSizeInAPackedVersion() throws Exception {
    CliRunner cli = new CliRunner(dir);
    String run = cli.run("run", "create").out().strip();
    String a = run + "/phase1/a.md"; // small: packed
    String b = run + "/phase1/b.md"; // untouched
    cli.runWithStdin("alpha\n".getBytes(), "put", "--start", a);
    cli.runWithStdin("bravo\n".getBytes(), "put", b);
    assertThat(cli.run("fsck", "--deep").code()).isZero();

    // same size, other bytes, rewritten in place in the segment record
    PackedLayout.packed(root(), a, 1).writeContent("ALPHA\n".getBytes());

    var deep = cli.run("fsck", "--deep", "--json");
    assertThat(deep.code()).as(deep.toString()).isEqualTo(4);
    JsonNode findings = json(deep).get("findings");
    assertThat(findings).as(deep.toString()).hasSize(1);
    assertThat(findings.get(0).get("kind").asText()).isEqualTo("corrupt");
    assertThat(findings.get(0).get("path").asText()).isEqualTo(a);
    assertThat(cli.run("get", b).out()).isEqualTo("bravo\n");
  }

  @Test
  void aNegativeGraceIsBadInput() {
    CliRunner cli = new CliRunner(dir);
    cli.run("run", "create");

    var refused = cli.run("fsck", "--repair", "--grace", "-5");
    assertThat(refused.code()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.err()).contains("--grace");
    assertThat(new CliRunner(dir).env("DOCSGEN_FSCK_ORPHAN_GRACE_SECONDS", "-1").run("fsck").err())
        .contains("fsck.orphanGraceSeconds");
  }
}
