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
 * (the SQLite WAL's fsync) came after it.
 */
@Tag("powercut")
class SyncOrderTest {
  private static final Pattern CALL =
      Pattern.compile(
          "^(\\d+) +(mkdir|mkdirat|rename|renameat|renameat2|link|linkat|fsync|fdatasync)\\((.*)\\)"
              + " += (-?\\d+)");
  private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern FD_PATH = Pattern.compile("^\\d+<(.*)>");

  @TempDir Path dir;

  /** One completed call: what it did and to which path(s). */
  private record Event(String call, List<String> paths, boolean ok, int line) {}

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
            "trace=mkdir,mkdirat,rename,renameat,renameat2,link,linkat,fsync,fdatasync,write,writev",
            "-o",
            trace.toString(),
            "--");
    int created = 0;
    try (ServerProcess server =
        ServerProcess.launch(config, dir, "traced", strace).awaitStarted()) {
      String run = server.createRun();
      server.startExecution(run, "phase1");
      created += 2;
      for (String name : List.of("top.md", "docs/deep/one.md", "docs/deep/two.md", "docs/x.md")) {
        expect(server.put(run + "/phase1/" + name, (name + "\n").getBytes(UTF_8)), 201);
        created++;
      }
    }
    List<String> lines = Files.readAllLines(trace, UTF_8);
    List<Integer> answers = new ArrayList<>();
    List<Event> events = parse(lines, answers);
    assertThat(answers).as("201s seen in the trace").hasSizeGreaterThanOrEqualTo(created);
    List<String> problems = new ArrayList<>();
    for (int answer : answers) {
      check(events, answer, data.toString(), problems);
    }
    assertThat(problems).as("sync order before each 201 (strace: " + trace + ")").isEmpty();
  }

  private static void check(List<Event> events, int answer, String data, List<String> problems) {
    for (int i = 0; i < events.size() && events.get(i).line() < answer; i++) {
      Event e = events.get(i);
      if (!e.ok() || e.call().startsWith("fsync") || e.call().startsWith("fdatasync")) {
        continue;
      }
      String target = e.paths().get(e.paths().size() - 1);
      if (!target.equals(data) && !target.startsWith(data + "/")) {
        continue; // the JVM's own (hsperfdata, …): not the server's data
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
        events.add(new Event(m.group(2), paths(m.group(2), m.group(3)), m.group(4).equals("0"), n));
      }
    }
    return events;
  }

  private static List<String> paths(String call, String args) {
    List<String> paths = new ArrayList<>();
    if (call.startsWith("fsync") || call.startsWith("fdatasync")) {
      Matcher fd = FD_PATH.matcher(args);
      paths.add(fd.find() ? fd.group(1) : "");
      return paths;
    }
    Matcher q = QUOTED.matcher(args);
    while (q.find()) {
      paths.add(q.group(1));
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
