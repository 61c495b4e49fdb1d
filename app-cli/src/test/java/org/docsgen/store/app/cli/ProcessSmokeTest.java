package org.docsgen.store.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docsgen} as a separate process (the jar's main class on the test classpath, since the
 * shaded jar is built after the tests): real exit statuses, results alone on stdout, and stdin.
 */
class ProcessSmokeTest {
  @TempDir Path dir;

  private record Outcome(int code, String out, String err) {}

  private Outcome docsgen(Path stdin, String... args) throws IOException, InterruptedException {
    return docsgen(List.of(), stdin, args);
  }

  private Outcome docsgen(List<String> jvm, Path stdin, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(DocsGenCli.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("DOCSGEN_"));
    builder.redirectOutput(dir.resolve("stdout.txt").toFile());
    builder.redirectError(dir.resolve("stderr.txt").toFile());
    builder.redirectInput(
        stdin == null
            ? ProcessBuilder.Redirect.from(emptyFile())
            : ProcessBuilder.Redirect.from(stdin.toFile()));
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Outcome(
        process.exitValue(),
        Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8));
  }

  private java.io.File emptyFile() throws IOException {
    Path empty = dir.resolve("empty.txt");
    if (!Files.exists(empty)) {
      Files.createFile(empty);
    }
    return empty.toFile();
  }

  @Test
  void helpCreatePutFromStdinAndAUsageError() throws Exception {
    Outcome help = docsgen(null, "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("Usage: docsgen").contains("Exit codes");

    Outcome created = docsgen(null, "run", "create", "--actor", "smoke");
    assertThat(created.code()).as(created.err()).isZero();
    String run = created.out().strip();
    assertThat(run).matches("run_\\d{4}_\\d{2}_\\d{2}_\\d{4}"); // nothing else on stdout

    Path input = Files.writeString(dir.resolve("input.md"), "# streamed from stdin\n");
    Outcome put = docsgen(input, "put", "--start", run + "/phase1/docsgen.md");
    assertThat(put.code()).as(put.err()).isZero();
    assertThat(put.out()).startsWith("created");

    Outcome bad = docsgen(null, "put", run + "/phase1/x.md", "--type");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--type");
  }

  @Test
  void streamsAnArtifactLargerThanTheHeapInAndOut() throws Exception {
    long size = 160L * 1024 * 1024; // a 48 MiB heap cannot hold it
    Path big = dir.resolve("big.bin");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] block = new byte[1 << 16];
    new Random(7).nextBytes(block);
    try (OutputStream out = Files.newOutputStream(big)) {
      for (long written = 0; written < size; written += block.length) {
        out.write(block);
        sha.update(block);
      }
    }
    String expected = "sha256:" + HexFormat.of().formatHex(sha.digest());
    List<String> smallHeap = List.of("-Xmx48m");
    String run = docsgen(smallHeap, null, "run", "create").out().strip();

    Outcome put = docsgen(smallHeap, big, "put", "--start", run + "/phase1/big.bin", "--json");
    assertThat(put.code()).as(put.err()).isZero();
    assertThat(put.out()).contains(expected).contains("\"size\" : " + size);
    Files.delete(big);

    Outcome get = docsgen(smallHeap, null, "get", run + "/phase1/big.bin", "-o", "copy.bin");
    assertThat(get.code()).as(get.err()).isZero();
    assertThat(Files.size(dir.resolve("copy.bin"))).isEqualTo(size);
  }

  @Test
  void aTamperedArtifactPutsNoByteOnTheProcessStdout() throws Exception {
    Path spoolDir = Files.createDirectory(dir.resolve("tmp"));
    List<String> jvm = List.of("-Djava.io.tmpdir=" + spoolDir);
    String run = docsgen(jvm, null, "run", "create").out().strip();
    byte[] block = new byte[2 * 1024 * 1024]; // spooled to a file, not memory
    Arrays.fill(block, (byte) 'x');
    Path input = Files.write(dir.resolve("input.txt"), block);
    assertThat(docsgen(jvm, input, "put", "--start", run + "/phase1/a.txt").code()).isZero();
    Path content = dir.resolve("docsgen-data/artifacts/" + run + "/phase1/a.txt@1/content");
    content.toFile().setWritable(true);
    try (var file = new java.io.RandomAccessFile(content.toFile(), "rw")) {
      file.seek(block.length / 2);
      file.write('y');
    }

    Outcome get = docsgen(jvm, null, "get", run + "/phase1/a.txt");

    assertThat(get.code()).as(get.err()).isEqualTo(4);
    assertThat(Files.size(dir.resolve("stdout.txt"))).isZero();
    assertThat(get.err()).contains(run + "/phase1/a.txt");
    try (var left = Files.list(spoolDir)) {
      assertThat(left.filter(f -> f.getFileName().toString().startsWith("docsgen-get-"))).isEmpty();
    }
  }
}
