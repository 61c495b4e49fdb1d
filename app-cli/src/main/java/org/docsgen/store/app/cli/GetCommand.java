package org.docsgen.store.app.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.docsgen.store.app.http.json.ArtifactJson;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.artifact.MediaTypes;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.PayloadTooLargeException;
import org.docsgen.store.ports.error.RangeNotSatisfiableException;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.stream.DigestingInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code docsgen get PATH}: read an artifact, streamed to stdout or a file, hash-verified. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
      "Read an artifact to stdout or a file, verified against its hash.",
      "Nothing is written before the whole content verified: a mismatch exits 4 with nothing on stdout (with -o, FILE is left as it was and no temporary file remains). Content is held in memory up to 1 MiB, else in a temporary file (the system temp directory for stdout, beside FILE for -o), so a large artifact is read once and then copied. --lines also reads and verifies the whole artifact, and refuses (exit 2) a slice larger than server.maxPreviewBytes."
    })
final class GetCommand extends StoreCommand {
  private static final Pattern LINES = Pattern.compile("(\\d{1,9})(?:-(\\d{1,9}))?");

  @Parameters(index = "0", paramLabel = "PATH")
  LogicalPath path;

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
    LogicalPath target = path;
    if (generation < 0) {
      throw CliException.badInput("--generation must be 1 or more (0 = latest)");
    }
    int[] range = lines == null ? null : parseLines(lines);
    Path file = output == null ? null : terminal().resolve(Path.of(output));
    ArtifactInfo info;
    // whole read even for --lines: only a whole read is verified, and nothing unverified is written
    try (ArtifactContent content = services().read(target, generation, null)) {
      info = content.info();
      if (range != null && !MediaTypes.isText(info.mediaType())) {
        throw new InvalidInputException(
            "lines", target + " is " + info.mediaType() + ", not text; read it whole");
      }
      try (Spool spool = Spool.open(file, info.size())) {
        int lineCount =
            copyVerified(
                content, range, cli().session().config().server().maxPreviewBytes(), spool.sink());
        if (range != null && range[0] > lineCount) {
          throw new RangeNotSatisfiableException(
              "line "
                  + range[0]
                  + " is past the last line of "
                  + target
                  + " ("
                  + lineCount
                  + " lines)",
              lineCount);
        }
        if (file == null) {
          spool.publishTo(out());
        } else {
          spool.publishAs();
        }
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

  /**
   * Copies the content (or lines {@code range[0]..range[1]} of it) into {@code sink}, reads it to
   * the end and checks it against the recorded size and hash (the store's stream checks too, at end
   * of stream). Returns the number of lines counted (up to {@code range[1]}; 0 without a range).
   */
  private static int copyVerified(
      ArtifactContent content, int[] range, long maxPreviewBytes, OutputStream sink)
      throws IOException {
    ArtifactInfo info = content.info();
    DigestingInputStream source = new DigestingInputStream(content.stream(), info.size());
    int lineCount = 0;
    try {
      if (range == null) {
        source.transferTo(sink);
      } else {
        lineCount = copyLines(source, range[0], range[1], maxPreviewBytes, info.path(), sink);
      }
      source.transferTo(OutputStream.nullOutputStream());
    } catch (DigestingInputStream.SizeLimitExceededIOException e) {
      throw new IntegrityException(
          info.path(),
          "generation "
              + info.generation()
              + " is longer than its recorded "
              + info.size()
              + " bytes");
    }
    ContentHash actual = source.hash();
    if (source.count() != info.size() || !actual.equals(info.hash())) {
      throw IntegrityException.mismatch(info.path(), info.generation(), info.hash(), actual);
    }
    return lineCount;
  }

  /**
   * The port's line rules ({@code readLines}): lines end at \n, \r\n or \r; each is written ending
   * in \n. Streams bytes (a line is never held whole, however long) and refuses a slice larger than
   * {@code maxBytes} (the preview limit, {@code server.maxPreviewBytes}) like the API.
   */
  private static int copyLines(
      InputStream source, int first, int last, long maxBytes, LogicalPath path, OutputStream sink)
      throws IOException {
    OutputStream out = new BufferedOutputStream(sink);
    byte[] buffer = new byte[64 * 1024];
    int line = 1; // the line the next byte belongs to
    boolean lineOpen = false; // bytes of the current line were seen
    boolean afterCr = false;
    long written = 0;
    for (int n; line <= last && (n = source.read(buffer)) != -1; ) {
      for (int i = 0; i < n && line <= last; i++) {
        byte b = buffer[i];
        if (afterCr) {
          afterCr = false;
          if (b == '\n') {
            continue; // \r\n ends one line
          }
        }
        boolean inSlice = line >= first;
        if (b == '\n' || b == '\r') {
          afterCr = b == '\r';
          if (inSlice) {
            written = emit(out, '\n', written, maxBytes, first, last, path);
          }
          line++;
          lineOpen = false;
        } else {
          lineOpen = true;
          if (inSlice) {
            written = emit(out, b, written, maxBytes, first, last, path);
          }
        }
      }
    }
    if (lineOpen && line <= last) {
      // the last line has no terminator: it still counts, and is written ending in \n
      if (line >= first) {
        emit(out, '\n', written, maxBytes, first, last, path);
      }
      line++;
    }
    out.flush();
    return line - 1;
  }

  private static long emit(
      OutputStream out, int b, long written, long maxBytes, int first, int last, LogicalPath path)
      throws IOException {
    if (written >= maxBytes) {
      throw PayloadTooLargeException.preview(path, first, last, maxBytes);
    }
    out.write(b);
    return written + 1;
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
}
