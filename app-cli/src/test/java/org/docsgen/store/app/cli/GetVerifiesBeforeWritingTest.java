package org.docsgen.store.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code docsgen get} writes nothing it has not verified (ARCHITECTURE.md § Entry points): after
 * one byte of the stored content is flipped on the filesystem backend (docs/storage-layout.md §
 * adapters-fs: in its segment record for a small, packed artifact; in its generation directory's
 * {@code content} for a large one), stdout stays empty and an output file is neither created nor
 * changed, for small (spooled in memory) and large (spooled to a temporary file) artifacts, whole,
 * by generation and by lines.
 */
class GetVerifiesBeforeWritingTest {
  private static final int LARGE = 3 * 1024 * 1024 + 17; // above Spool.MEMORY_LIMIT

  @TempDir Path dir;
  private CliRunner cli;
  private String run;

  @BeforeEach
  void createRun() {
    cli = new CliRunner(dir);
    run = cli.run("run", "create", "--core-files", "docsgen.md").out().strip();
  }

  /** Stores {@code size} bytes of text lines at {@code <run>/phase1/<name>}, returns the bytes. */
  private byte[] store(String name, int size) throws IOException {
    byte[] text = new byte[size];
    Random random = new Random(size);
    for (int i = 0; i < size; i++) {
      text[i] = i % 64 == 63 ? (byte) '\n' : (byte) ('a' + random.nextInt(26));
    }
    Path source = Files.write(dir.resolve("source-" + name), text);
    var put = cli.run("put", "--start", run + "/phase1/" + name, source.toString());
    assertThat(put.code()).as(put.toString()).isZero();
    cli.run("exec", "finish", run, "phase1", "--status", "SUCCEEDED");
    return text;
  }

  /**
   * Flips one byte of generation 1's stored content, in the middle of it: in place in its segment
   * record when packed (a body of at most 64 KiB), else in the generation directory's {@code
   * content}.
   */
  private void flipOneByte(String name, int size) throws IOException {
    Path root = dir.resolve("docsgen-data/artifacts");
    String path = run + "/phase1/" + name;
    if (size <= PackedLayout.MAX_PACKED_BYTES) {
      PackedLayout.Record record = PackedLayout.packed(root, path, 1);
      assertThat(record.contentLength()).isEqualTo(size);
      PackedLayout.flip(root, path, 1, size / 2, 0x01);
      return;
    }
    Path content = PackedLayout.contentFile(root, path, 1);
    assertThat(content).exists();
    content.toFile().setWritable(true);
    try (RandomAccessFile file = new RandomAccessFile(content.toFile(), "rw")) {
      long at = file.length() / 2;
      file.seek(at);
      int b = file.read();
      file.seek(at);
      file.write(b ^ 0x01);
    }
  }

  /** Temporary files of {@code get}: beside the output file, or in the system temp directory. */
  private List<Path> leftovers() throws IOException {
    Path systemTemp = Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> here = Files.list(dir);
        Stream<Path> there = Files.list(systemTemp)) {
      return Stream.concat(
              here.filter(f -> f.getFileName().toString().endsWith(".part")),
              there.filter(f -> f.getFileName().toString().startsWith("docsgen-get-")))
          .toList();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {100, LARGE})
  void tamperedContentPrintsNothingOnStdout(int size) throws IOException {
    String path = run + "/phase1/docsgen.md";
    byte[] text = store("docsgen.md", size);
    assertThat(cli.run("get", path).stdout()).isEqualTo(text); // intact: all of it
    flipOneByte("docsgen.md", size);

    for (String[] args :
        List.of(
            new String[] {"get", path},
            new String[] {"get", path, "--generation", "1"},
            new String[] {"get", path, "--lines", "1-2"},
            new String[] {"get", path, "--json"})) {
      var get = cli.run(args);

      assertThat(get.code()).as(Arrays.toString(args) + " " + get).isEqualTo(4);
      assertThat(get.stdout().length).as(Arrays.toString(args) + ": bytes on stdout").isZero();
      assertThat(get.err()).contains(path);
    }
    assertThat(leftovers()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {100, LARGE})
  void tamperedContentLeavesNoOutputFileAndKeepsAnExistingOne(int size) throws IOException {
    String path = run + "/phase1/docsgen.md";
    store("docsgen.md", size);
    flipOneByte("docsgen.md", size);

    var fresh = cli.run("get", path, "-o", "copy.md");
    assertThat(fresh.code()).as(fresh.toString()).isEqualTo(4);
    assertThat(dir.resolve("copy.md")).doesNotExist();
    assertThat(fresh.stdout().length).isZero();

    Path existing = Files.writeString(dir.resolve("kept.md"), "keep me\n");
    for (String[] extra : List.of(new String[0], new String[] {"--lines", "2-3"})) {
      String[] args =
          Stream.concat(Stream.of("get", path, "-o", "kept.md"), Stream.of(extra))
              .toArray(String[]::new);
      var over = cli.run(args);
      assertThat(over.code()).as(over.toString()).isEqualTo(4);
      assertThat(Files.readString(existing)).isEqualTo("keep me\n");
    }
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void intactContentStillArrivesWholeByGenerationAndByLines() throws IOException {
    String path = run + "/phase1/big.md";
    byte[] text = store("big.md", LARGE);

    var whole = cli.run("get", path, "--generation", "1");
    assertThat(whole.code()).as(whole.toString()).isZero();
    assertThat(whole.stdout()).isEqualTo(text);
    var file = cli.run("get", path, "-o", "copy.md");
    assertThat(file.code()).as(file.toString()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("copy.md"))).isEqualTo(text);
    var lines = cli.run("get", path, "--lines", "2-3");
    assertThat(lines.code()).as(lines.toString()).isZero();
    assertThat(lines.stdout())
        .isEqualTo(Arrays.copyOfRange(text, 64, 3 * 64)); // lines of 63 letters and a newline
    var past = cli.run("get", path, "--lines", "999999");
    assertThat(past.code()).as(past.toString()).isEqualTo(2);
    assertThat(past.err()).contains("past the last line");
    assertThat(new String(lines.stdout(), StandardCharsets.UTF_8)).hasLineCount(2);
    assertThat(leftovers()).isEmpty();
  }
}
