package org.docsgen.store.app.cli.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.docsgen.store.app.cli.reliability.support.Cli;
import org.docsgen.store.app.cli.reliability.support.DocsgenServer;
import org.docsgen.store.app.cli.reliability.support.Http;
import org.docsgen.store.app.cli.reliability.support.Ledger;
import org.docsgen.store.app.cli.reliability.support.StoreConfig;
import org.docsgen.store.app.http.json.Json;

/**
 * The crash and power-cut kinds' rounds over one deployment: a concurrent write load (creates of
 * new paths and token overwrites, 1 KiB to 8 MiB skewed to small), {@code kill -9} of the server at
 * a random moment (some rounds while a multi-MiB upload is in flight), an optional step between the
 * kill and the restart (the power cut), a restart on the same data, and the checks:
 *
 * <ul>
 *   <li>every acknowledged write of the round (the client's {@link Ledger}: 201/200 answers, the
 *       SHA-256 of what was sent) reads back with its hash — lost/changed otherwise;
 *   <li>every generation the run's listing names, 1 to the latest, reads back 200 (else an index
 *       entry without bytes) with a hash some request sent in full for that path (else a partial or
 *       foreign artifact is readable); a readable version never acknowledged is counted as
 *       "unacknowledged but complete" — allowed;
 *   <li>no version past the listed latest is readable, and a touched path that is not listed does
 *       not read;
 *   <li>{@code docsgen fsck --deep --run RUN} exits 0 with orphans only (the server running and
 *       idle: an operator checks a live deployment); the whole store every few rounds and at the
 *       end.
 * </ul>
 *
 * At the end every acknowledged write of every round is read back once more.
 */
final class CrashRounds {
  static final int MIB = 1024 * 1024;
  private static final int THREADS = 4;

  /**
   * The server's JVM options: a serial collector and the client compiler only, so that the many
   * restarts cost less CPU on a shared 2-core machine (nothing about durability depends on them).
   */
  static final List<String> SERVER_JVM =
      List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private static final String STAGE = "phase1";

  /** What happens between the kill and the restart (the power cut), given the round. */
  @FunctionalInterface
  interface AfterKill {
    void run(int round) throws Exception;
  }

  /** Counts over every round of one deployment. */
  static final class Totals {
    final String deployment;
    int rounds;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong ioFailures = new AtomicLong();
    final Map<Integer, AtomicInteger> refusals = new ConcurrentHashMap<>();
    long versionsRead;
    long ackLost;
    long ackChanged;
    long partialReadable;
    long indexWithoutBytes;
    long unacknowledgedComplete;
    long killsDuringLargeUpload;
    long fsckRuns;
    long orphans;
    long drift;
    final Map<Integer, Integer> fsckExits = new TreeMap<>();
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    long finalChecked;

    Totals(String deployment) {
      this.deployment = deployment;
    }

    boolean clean() {
      return ackLost == 0
          && ackChanged == 0
          && partialReadable == 0
          && indexWithoutBytes == 0
          && drift == 0
          && fsckExits.keySet().stream().allMatch(code -> code == 0)
          && problems.isEmpty();
    }

    String row() {
      return "| "
          + deployment
          + " | "
          + rounds
          + " | "
          + sent
          + " | "
          + acknowledged
          + " | "
          + (ackLost + ackChanged)
          + " | "
          + partialReadable
          + " | "
          + indexWithoutBytes
          + " | "
          + unacknowledgedComplete
          + " | "
          + versionsRead
          + " | "
          + killsDuringLargeUpload
          + " | "
          + fsckRuns
          + " | "
          + orphans
          + " | "
          + fsckExits
          + " |";
    }

    static String header() {
      return "| deployment | rounds | writes sent | acknowledged | ack lost/changed | partial"
          + " readable | index without bytes | unacknowledged but complete | versions read"
          + " back | kills during a ≥1 MiB upload | fsck --deep runs | orphans (fsck, summed)"
          + " | fsck exit codes |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|";
    }

    String refusalsText() {
      Map<Integer, Integer> sorted = new TreeMap<>();
      refusals.forEach((k, v) -> sorted.put(k, v.get()));
      return "requests cut by the kill (I/O errors): "
          + ioFailures
          + "; answers other than 200/201 during the load: "
          + (sorted.isEmpty() ? "none" : sorted);
    }
  }

  private final StoreConfig config;
  private final DocsgenServer server;
  private final AfterKill afterKill;
  private final Random random;
  private final Ledger ledger = new Ledger();
  private final Map<String, Set<String>> sentHashes = new ConcurrentHashMap<>();
  private final Map<String, String> acknowledgedVersions = new ConcurrentHashMap<>();
  final Totals totals;

  CrashRounds(
      String deployment, StoreConfig config, DocsgenServer server, AfterKill afterKill, long seed) {
    this.config = config;
    this.server = server;
    this.afterKill = afterKill;
    this.random = new Random(seed);
    this.totals = new Totals(deployment);
  }

  /**
   * An optional end for a long (full) run: {@code -Ddocsgen.reliability.until=INSTANT} (ISO-8601)
   * stops the rounds at that moment; the report then says how many of the rounds asked for ran.
   */
  static boolean pastUntil() {
    String until = System.getProperty("docsgen.reliability.until", "");
    return !until.isBlank() && Instant.now().isAfter(Instant.parse(until.strip()));
  }

  /**
   * One round: load, kill, (power cut), restart, checks; {@code fsck} null for none this round,
   * "run" for the round's run, "store" for the whole store. Answers the round's one-line summary.
   */
  String round(int n, String fsck) throws Exception {
    long started = System.nanoTime();
    final Http loadHttp = server.http();
    String runId = loadHttp.createRun();
    loadHttp.startExecution(runId, STAGE);
    Ledger roundLedger = new Ledger();
    Set<String> touched = ConcurrentHashMap.newKeySet();
    long sentBefore = totals.sent.get();
    long ackedBefore = totals.acknowledged.get();

    boolean duringLarge = random.nextInt(10) < 3;
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger largeInFlight = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    for (int t = 0; t < THREADS; t++) {
      long threadSeed = random.nextLong();
      int thread = t;
      pool.submit(
          () -> {
            load(
                loadHttp,
                runId,
                thread,
                new Random(threadSeed),
                duringLarge,
                stop,
                largeInFlight,
                roundLedger,
                touched);
            return null;
          });
    }
    boolean killedDuringLarge;
    if (duringLarge) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (largeInFlight.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(random.nextInt(250));
    } else {
      // a random moment once the load is under way (its first answer came back), so that a slow
      // start on a loaded machine does not make every kill land before the first write
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (totals.acknowledged.get() == ackedBefore && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(random.nextInt(2000));
    }
    killedDuringLarge = largeInFlight.get() > 0;
    server.kill();
    stop.set(true);
    pool.shutdown();
    if (!pool.awaitTermination(3, TimeUnit.MINUTES)) {
      throw new AssertionError("the load's threads did not end after the kill");
    }
    if (killedDuringLarge) {
      totals.killsDuringLargeUpload++;
    }

    long killed = System.nanoTime();
    afterKill.run(n);
    try {
      server.restart();
    } catch (AssertionError e) {
      throw new AssertionError(
          "round " + n + ": the server did not start again after kill -9 — " + e.getMessage(), e);
    }
    long restarted = System.nanoTime();
    Http http = server.http();

    long lostBefore = totals.ackLost + totals.ackChanged;
    long partialBefore = totals.partialReadable;
    long holesBefore = totals.indexWithoutBytes;
    long unackedBefore = totals.unacknowledgedComplete;
    checkRun(http, runId, touched);
    Ledger.Check check = roundLedger.check(http::read);
    totals.ackLost += check.lost().size() + check.errors().size(); // unreadable = lost to a user
    totals.ackChanged += check.changed().size();
    if (!check.clean()) {
      totals.problems.add("round " + n + " (" + runId + "): " + check);
    }
    long checked = System.nanoTime();
    String fsckText = "no fsck this round";
    if (fsck != null) {
      int exit = fsck("store".equals(fsck) ? null : runId, "round " + n);
      fsckText =
          "fsck --deep " + ("store".equals(fsck) ? "(whole store)" : "--run") + " exit " + exit;
    }
    totals.rounds++;
    return String.format(
        "round %d %s: sent %d, acknowledged %d, ack lost/changed %d, partial readable %d,"
            + " index without bytes %d, unacknowledged but complete %d, kill %s, %s"
            + " (ms: load %d, restart %d, checks %d, fsck %d)",
        n,
        runId,
        totals.sent.get() - sentBefore,
        totals.acknowledged.get() - ackedBefore,
        totals.ackLost + totals.ackChanged - lostBefore,
        totals.partialReadable - partialBefore,
        totals.indexWithoutBytes - holesBefore,
        totals.unacknowledgedComplete - unackedBefore,
        killedDuringLarge ? "during a ≥1 MiB upload" : "at a random moment",
        fsckText,
        (killed - started) / 1_000_000,
        (restarted - killed) / 1_000_000,
        (checked - restarted) / 1_000_000,
        (System.nanoTime() - checked) / 1_000_000);
  }

  /** Reads every acknowledged write of every round once more. */
  Ledger.Check finalCheck() throws Exception {
    Http http = server.http();
    Ledger.Check check = ledger.check(http::read);
    totals.finalChecked = check.checked();
    totals.ackLost += check.lost().size() + check.errors().size();
    totals.ackChanged += check.changed().size();
    if (!check.clean()) {
      totals.problems.add("final re-read: " + check);
    }
    fsck(null, "final");
    return check;
  }

  // ---- the load

  private void load(
      Http http,
      String runId,
      int thread,
      Random r,
      boolean largeRound,
      AtomicBoolean stop,
      AtomicInteger largeInFlight,
      Ledger roundLedger,
      Set<String> touched) {
    List<String> mine = new ArrayList<>();
    int next = 0;
    while (!stop.get()) {
      try {
        boolean overwrite = !mine.isEmpty() && r.nextInt(100) < 35;
        String path =
            overwrite
                ? mine.get(r.nextInt(mine.size()))
                : runId + "/" + STAGE + "/t" + thread + "/f" + next++ + ".bin";
        String token = null;
        if (overwrite) {
          Http.Response answer =
              http.postJson(
                  "/api/runs/" + runId + "/overwrite-tokens",
                  StoreConfig.WRITER,
                  Map.of("path", path));
          if (answer.status() != 200) {
            refused(answer);
            continue;
          }
          token = answer.json().path("token").asText();
        }
        int size = size(r, largeRound);
        byte[] body = new byte[size];
        r.nextBytes(body);
        String sha = Ledger.sha256(body);
        sentHashes.computeIfAbsent(path, p -> ConcurrentHashMap.newKeySet()).add(sha);
        touched.add(path);
        totals.sent.incrementAndGet();
        boolean large = size >= MIB;
        if (large) {
          largeInFlight.incrementAndGet();
        }
        Http.Response answer;
        try {
          answer =
              overwrite
                  ? http.put(path, "OTHER", body, "X-Overwrite-Token", token)
                  : http.put(path, "OTHER", body, "If-None-Match", "*");
        } finally {
          if (large) {
            largeInFlight.decrementAndGet();
          }
        }
        if (answer.status() == 201 || answer.status() == 200) {
          JsonNode info = answer.json();
          int generation = info.path("generation").asInt();
          if (!("sha256:" + sha).equals(info.path("hash").asText())) {
            totals.problems.add(
                "PUT " + path + " answered hash " + info.path("hash") + " for sha256:" + sha);
          }
          roundLedger.acknowledged(path, generation, body);
          ledger.acknowledged(path, generation, body);
          acknowledgedVersions.put(path + "@" + generation, sha);
          totals.acknowledged.incrementAndGet();
          if (!overwrite) {
            mine.add(path);
          }
        } else {
          refused(answer);
        }
      } catch (IOException e) {
        totals.ioFailures.incrementAndGet();
        if (!server.alive()) {
          return; // killed: this client's connection is gone
        }
      } catch (RuntimeException | AssertionError e) {
        totals.problems.add("load thread " + thread + ": " + e);
        return;
      }
    }
  }

  private void refused(Http.Response answer) {
    totals.refusals.computeIfAbsent(answer.status(), k -> new AtomicInteger()).incrementAndGet();
    if (answer.status() >= 500) {
      totals.problems.add("a 5xx during the load: " + answer);
    }
  }

  /** 1 KiB to 8 MiB, skewed to small; a "large" round sends a ≥ 1 MiB body half of the time. */
  static int size(Random r, boolean largeRound) {
    int pick = r.nextInt(100);
    if (largeRound && pick < 50) {
      return MIB + r.nextInt(7 * MIB + 1);
    }
    if (pick < 60) {
      return 1024 + r.nextInt(15 * 1024);
    }
    if (pick < 85) {
      return 16 * 1024 + r.nextInt(240 * 1024);
    }
    if (pick < 95) {
      return 256 * 1024 + r.nextInt(768 * 1024);
    }
    return MIB + r.nextInt(7 * MIB + 1);
  }

  // ---- the checks after the restart

  private void checkRun(Http http, String runId, Set<String> touched) throws IOException {
    Map<String, Integer> listed = new TreeMap<>();
    String cursor = null;
    do {
      String url =
          "/api/runs/"
              + runId
              + "/artifacts?limit=1000"
              + (cursor == null
                  ? ""
                  : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      JsonNode page = Http.expect(http.get(url, StoreConfig.READER), 200).json();
      for (JsonNode item : page.path("items")) {
        listed.put(item.path("path").asText(), item.path("generation").asInt());
      }
      cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
    } while (cursor != null && !cursor.isEmpty());

    for (Map.Entry<String, Integer> entry : listed.entrySet()) {
      String path = entry.getKey();
      Set<String> sent = sentHashes.getOrDefault(path, Set.of());
      if (!touched.contains(path)) {
        totals.partialReadable++;
        totals.problems.add("listed but never written by this round's load: " + path);
      }
      int latest = entry.getValue();
      for (int generation = 1; generation <= latest + 1; generation++) {
        Http.Response read =
            http.get("/api/artifacts/" + path + "?generation=" + generation, StoreConfig.READER);
        if (generation > latest) {
          if (read.status() != 404) {
            totals.partialReadable++;
            totals.problems.add(
                path + "@" + generation + " (past the listed latest) answered " + read.status());
          }
          continue;
        }
        totals.versionsRead++;
        if (read.status() != 200) {
          totals.indexWithoutBytes++;
          totals.problems.add("listed " + path + "@" + generation + " answered " + read);
          continue;
        }
        String sha = Ledger.sha256(read.body());
        if (!sent.contains(sha)) {
          totals.partialReadable++;
          totals.problems.add(
              path
                  + "@"
                  + generation
                  + " reads "
                  + read.body().length
                  + " bytes that no request sent in full (sha256 "
                  + sha
                  + ")");
        } else if (!acknowledgedVersions.containsKey(path + "@" + generation)) {
          totals.unacknowledgedComplete++; // sent in full, committed, the answer cut by the kill
        }
      }
    }
    for (String path : touched) {
      if (!listed.containsKey(path)) {
        Http.Response read = http.get("/api/artifacts/" + path, StoreConfig.READER);
        if (read.status() != 404) {
          totals.partialReadable++;
          totals.problems.add(
              path + " is not in the run's listing but reads " + read.status() + " (unlisted)");
        }
      }
    }
  }

  /** {@code fsck --deep --json} (of one run, or of the store): counts orphans, drift, exit. */
  private int fsck(String runId, String when) throws Exception {
    Cli.Result result =
        runId == null
            ? Cli.fsckDeep(config)
            : Cli.run(config, "fsck", "--deep", "--json", "--run", runId);
    totals.fsckRuns++;
    totals.fsckExits.merge(result.exit(), 1, Integer::sum);
    if (result.exit() != 0) {
      totals.problems.add(when + ": fsck --deep exited " + result.exit() + ": " + result);
    }
    Optional<JsonNode> report = Optional.empty();
    try {
      report = Optional.of(Json.mapper().readTree(result.stdout()));
    } catch (IOException e) {
      totals.problems.add(when + ": fsck --json printed no JSON: " + result);
    }
    report.ifPresent(
        json -> {
          totals.orphans += json.path("orphans").asLong();
          totals.drift += json.path("drift").asLong();
          for (JsonNode finding : json.path("findings")) {
            if (!"orphan".equals(finding.path("kind").asText())) {
              totals.problems.add(when + ": fsck found " + finding);
            }
          }
        });
    return result.exit();
  }
}
