package org.docsgen.store.app.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.docsgen.store.app.http.json.ArtifactJson;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.ports.in.ArtifactUseCases.TextSlice;
import org.docsgen.store.ports.out.ArtifactContent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code docsgen get PATH}: read an artifact, streamed to stdout or a file, hash-verified. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
      "Read an artifact to stdout or a file, verified against its hash.",
      "The content is verified while it streams: a mismatch exits 4 (with -o, FILE is left untouched)."
    })
final class GetCommand extends StoreCommand {
  private static final Pattern LINES = Pattern.compile("(\\d{1,9})(?:-(\\d{1,9}))?");

  @Parameters(index = "0", paramLabel = "PATH")
  String path;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "write here instead of stdout")
  String output;

  @Option(
      names = "--generation",
      paramLabel = "N",
      defaultValue = "0",
      description = "default: the latest")
  int generation;

  @Option(
      names = "--lines",
      paramLabel = "A-B",
      description = "only lines A..B (1-based, inclusive) of a text artifact")
  String lines;

  @Override
  int run() throws IOException {
    LogicalPath target = LogicalPath.parse(path);
    if (generation < 0) {
      throw CliException.badInput("--generation must be 1 or more (0 = latest)");
    }
    Path file = output == null ? null : terminal().resolve(Path.of(output));
    ArtifactInfo info;
    if (lines != null) {
      int[] range = parseLines(lines);
      TextSlice slice = services().readLines(target, generation, range[0], range[1]);
      info = slice.info();
      byte[] text = slice.text().getBytes(StandardCharsets.UTF_8);
      deliver(file, sink -> sink.write(text));
    } else {
      try (ArtifactContent content = services().read(target, generation, null)) {
        info = content.info();
        deliver(file, sink -> content.stream().transferTo(sink));
      }
    }
    if (file != null) {
      if (json()) {
        printJson(ArtifactJson.of(info));
      } else {
        progress("wrote " + file + " (" + info.path() + " generation " + info.generation() + ")");
      }
    }
    return ExitCodes.OK;
  }

  static int[] parseLines(String text) {
    Matcher m = LINES.matcher(text.strip());
    if (!m.matches()) {
      throw CliException.badInput("--lines must be A-B (e.g. 10-20) or a single line, was " + text);
    }
    int first = Integer.parseInt(m.group(1));
    int last = m.group(2) == null ? first : Integer.parseInt(m.group(2));
    if (first < 1 || last < first) {
      throw CliException.badInput("--lines needs 1 <= A <= B, was " + text);
    }
    return new int[] {first, last};
  }

  private interface Body {
    void writeTo(OutputStream sink) throws IOException;
  }

  /** To stdout as it streams; to a file through a temporary file moved in place on success. */
  private void deliver(Path file, Body body) throws IOException {
    if (file == null) {
      body.writeTo(out());
      out().flush();
      return;
    }
    Path dir = file.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".part");
    try {
      try (OutputStream sink = Files.newOutputStream(temp)) {
        body.writeTo(sink);
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
