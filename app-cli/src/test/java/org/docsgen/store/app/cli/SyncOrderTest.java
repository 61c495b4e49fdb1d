package org.docsgen.store.app.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.docsgen.store.app.cli.ServerProcess.expect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What LazyFS cannot show — it passes directory operations straight through — read from the
 * server's system calls ({@code strace -f -y}): before every {@code 201} the server sent, each
 * directory it created has been fsynced in its parent, each rename (or link) has been fsynced in
 * the target's directory and was preceded by an fsync of what it renames, a published generation's
 * {@code content} and {@code meta.properties} were fsynced before its rename, and a manifest commit
 * (the SQLite WAL's fsync) came after it. Small artifacts are packed (docs/storage-layout.md §
 * "Packed generations"), published by no rename: there, each segment file {@code ~packs/*.pack}
 * created has been fsynced in {@code ~packs} (itself a directory created, so fsynced in the root),
 * each write to a segment has been followed by an fsync or fdatasync of that segment, and a
 * manifest commit came after the write. The uploads mix small (packed) and large (over 64 KiB,
 * generation directories) bodies so both publications are checked.
 */
@Tag("powercut")
class SyncOrderTest {
  private static final Pattern CALL =
      Pattern.compile(
          "^(\\d+) +(mkdir|mkdirat|rename|renameat|renameat2|link|linkat|fsync|fdatasync|openat"
              + "|write|writev|pwrite64|pwritev|pwritev2)\\((.*)\\)"
              + " += (-?\\d+)");
  private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  // the first argument, a descriptor with its path (strace -y): "27</a/b>" or "27</a/b>, …"
  private static final Pattern FD_PATH = Pattern.compile("^\\d+<(.*?)>(?:,|$)");

  @TempDir Path dir;

  /** One completed call: what it did and to which path(s). */
  private record Event(String call, List<String> paths, boolean ok, int line, String args) {
    boolean isWrite() {
      return call.startsWith("write") || call.startsWith("pwrite");
    }

    boolean creates() {
      return call.equals("openat") && args.contains("O_CREAT");
    }
  }

  /** What the checks found to check, so a trace without packed or directory writes fails. */
  private static final class Seen {
    int segmentWrites;
    int segmentsCreated;
    int packsDirectories;
    int generationRenames;
  }

  @Test
  void everyDirectoryAndRenameIsSyncedBeforeTheServerAnswers201() throws Exception {
    Path data = dir.resolve("data");
    Path config =
        Files.writeString(
            dir.resolve("docsgen.yaml"),
            ServerProcess.config(
                data.resolve("artifacts"),
                data.resolve("manifest.db"),
                data.resolve("keys/signing.key")));
    Path trace = dir.resolve("strace.log");
    List<String> strace =
        List.of(
            strace(),
            "-f",
            "-y",
            "-qq",
            "-s",
            "40",
            "-e",
            "signal=none",
            "-e",
            "trace=mkdir,mkdirat,rename,renameat,renameat2,link,linkat,fsync,fdatasync,openat,"
                + "write,writev,pwrite64,pwritev,pwritev2",
            "-o",
            trace.toString(),
            "--");
    int created = 0;
    try (ServerProcess server =
        ServerProcess.launch(config, dir, "traced", strace).awaitStarted()) {
      String run = server.createRun();
      server.startExecution(run, "phase1");
      created += 2;
      for (String name :
          List.of(
              "top.md",
              "docs/deep/one.md",
              "large.md",
              "docs/deep/two.md",
              "docs/deep/large.md",
              "docs/x.md")) {
        expect(server.put(run + "/phase1/" + name, body(name)), 201);
        created++;
      }
    }
    List<String> lines = Files.readAllLines(trace, UTF_8);
    List<Integer> answers = new ArrayList<>();
    List<Event> events = parse(lines, answers);
    assertThat(answers).as("201s seen in the trace").hasSizeGreaterThanOrEqualTo(created);
    List<String> problems = new ArrayList<>();
    Seen seen = new Seen();
    int last = answers.get(answers.size() - 1);
    for (int answer : answers) {
      check(events, answer, data.toString(), problems, answer == last ? seen : new Seen());
    }
    assertThat(problems).as("sync order before each 201 (strace: " + trace + ")").isEmpty();
    // everything checked was there to check (counted before the last 201)
    assertThat(seen.segmentWrites).as("writes to ~packs segments").isGreaterThanOrEqualTo(4);
    assertThat(seen.segmentsCreated).as("segments created").isGreaterThanOrEqualTo(1);
    assertThat(seen.packsDirectories).as("~packs created").isEqualTo(1);
    assertThat(seen.generationRenames).as("generation directories published").isEqualTo(2);
  }

  /** A small body (packed) or, for {@code large*}, one over 64 KiB (a generation directory). */
  private static byte[] body(String name) {
    String line = name + "\n";
    if (!name.startsWith("large") && !name.contains("/large")) {
      return line.getBytes(UTF_8);
    }
    return line.repeat(70 * 1024 / line.length() + 1).getBytes(UTF_8);
  }

  private static void check(
      List<Event> events, int answer, String data, List<String> problems, Seen seen) {
    String packs = data + "/artifacts/~packs";
    for (int i = 0; i < events.size() && events.get(i).line() < answer; i++) {
      Event e = events.get(i);
      if (!e.ok() || e.call().startsWith("fsync") || e.call().startsWith("fdatasync")) {
        continue;
      }
      String target = e.paths().get(e.paths().size() - 1);
      if (!target.equals(data) && !target.startsWith(data + "/")) {
        continue; // the JVM's own (hsperfdata, …): not the server's data
      }
      boolean segment = parent(target).equals(packs) && target.endsWith(".pack");
      if (e.isWrite() || e.call().equals("openat")) {
        if (!segment) {
          continue; // staging files (their rename is checked), SQLite's own files, reads
        }
        if (e.creates()) {
          seen.segmentsCreated++;
          if (!syncedBetween(events, i, answer, packs)) {
            problems.add(
                e
                    + ": the new segment's directory "
                    + packs
                    + " not fsynced before line "
                    + answer);
          }
        } else if (e.isWrite()) {
          seen.segmentWrites++;
          if (!syncedBetween(events, i, answer, target)) {
            problems.add(e + ": the segment " + target + " not synced before line " + answer);
          }
          if (!syncedBetween(events, i, answer, "manifest.db-wal")) {
            problems.add(e + ": no manifest commit (WAL fsync) before line " + answer);
          }
        }
        continue;
      }
      if (e.call().startsWith("mkdir") && target.equals(packs)) {
        seen.packsDirectories++;
      }
      if (e.call().startsWith("mkdir") && name(target).startsWith("~tmp-")) {
        continue; // a staging directory: its rename is what must be durable
      }
      if (!syncedBetween(events, i, answer, parent(target))) {
        problems.add(
            e + ": its directory " + parent(target) + " not fsynced before line " + answer);
      }
      if (e.call().startsWith("rename") || e.call().startsWith("link")) {
        String source = e.paths().get(0);
        if (!syncedBefore(events, i, source)) {
          problems.add(e + ": " + source + " not fsynced before it was published");
        }
        if (name(target).matches(".*@\\d+")) { // a generation published
          seen.generationRenames++;
          for (String file : List.of(source + "/content", source + "/meta.properties")) {
            if (!syncedBefore(events, i, file)) {
              problems.add(e + ": " + file + " not fsynced before the rename");
            }
          }
          if (!syncedBetween(events, i, answer, "manifest.db-wal")) {
            problems.add(e + ": no manifest commit (WAL fsync) before line " + answer);
          }
        }
      }
    }
  }

  /** Whether a completed fsync of {@code path} (or of a file named so) lies between the two. */
  private static boolean syncedBetween(List<Event> events, int from, int line, String path) {
    for (int j = from + 1; j < events.size() && events.get(j).line() < line; j++) {
      if (isSyncOf(events.get(j), path)) {
        return true;
      }
    }
    return false;
  }

  private static boolean syncedBefore(List<Event> events, int index, String path) {
    for (int j = 0; j < index; j++) {
      if (isSyncOf(events.get(j), path)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isSyncOf(Event e, String path) {
    if (!e.ok() || !(e.call().equals("fsync") || e.call().equals("fdatasync"))) {
      return false;
    }
    String synced = e.paths().get(0);
    return path.startsWith("/") ? synced.equals(path) : synced.endsWith("/" + path);
  }

  /**
   * The trace's completed calls, and (in {@code answers}) the line of each {@code 201} response. A
   * call split by another thread ({@code <unfinished ...>} … {@code <... resumed>}) counts at the
   * line it completes.
   */
  private static List<Event> parse(List<String> lines, List<Integer> answers) {
    List<Event> events = new ArrayList<>();
    Map<String, String> unfinished = new HashMap<>();
    Pattern resumed = Pattern.compile("^(\\d+) +<\\.\\.\\. (\\w+) resumed>(.*)$");
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.contains("HTTP/1.1 201 ")) {
        answers.add(n);
      }
      int cut = line.indexOf(" <unfinished ...>");
      if (cut >= 0) {
        unfinished.put(line.substring(0, line.indexOf(' ')), line.substring(0, cut));
        continue;
      }
      Matcher r = resumed.matcher(line);
      if (r.matches() && unfinished.containsKey(r.group(1))) {
        line = unfinished.remove(r.group(1)) + r.group(3);
      }
      Matcher m = CALL.matcher(line);
      if (m.find()) {
        String call = m.group(2);
        boolean ok =
            call.equals("openat") || call.contains("write")
                ? !m.group(4).startsWith("-")
                : m.group(4).equals("0");
        events.add(new Event(call, paths(call, m.group(3)), ok, n, m.group(3)));
      }
    }
    return events;
  }

  private static List<String> paths(String call, String args) {
    List<String> paths = new ArrayList<>();
    if (call.startsWith("fsync") || call.startsWith("fdatasync") || call.contains("write")) {
      Matcher fd = FD_PATH.matcher(args);
      paths.add(fd.find() ? fd.group(1) : "");
      return paths;
    }
    Matcher q = QUOTED.matcher(args);
    while (q.find()) {
      paths.add(q.group(1));
      if (call.equals("openat")) {
        break; // its one path (what follows are flags)
      }
    }
    if (paths.isEmpty()) {
      fail("no path in " + call + "(" + args + ")");
    }
    return paths;
  }

  private static String parent(String path) {
    return path.substring(0, Math.max(1, path.lastIndexOf('/')));
  }

  private static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static String strace() {
    for (String candidate : List.of("/usr/bin/strace", "/bin/strace")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    String why = "strace is not installed (Debian package strace)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI=true and the sync-order test cannot run: " + why);
    }
    Assumptions.abort("sync-order test skipped (it fails instead under CI=true): " + why);
    return null;
  }
}
