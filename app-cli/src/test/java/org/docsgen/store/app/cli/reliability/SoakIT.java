package org.docsgen.store.app.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.docsgen.store.app.cli.reliability.SoakSampler.HeapAfterGc;
import org.docsgen.store.app.cli.reliability.SoakSampler.LiveHeap;
import org.docsgen.store.app.cli.reliability.SoakSampler.Sample;
import org.docsgen.store.app.cli.reliability.support.DocsgenServer;
import org.docsgen.store.app.cli.reliability.support.Http;
import org.docsgen.store.app.cli.reliability.support.Ledger;
import org.docsgen.store.app.cli.reliability.support.Reliability;
import org.docsgen.store.app.cli.reliability.support.StoreConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak (issue 12, kind 7): mixed traffic over 64 concurrent connections against the server jar as a
 * process on fs + SQLite, for 30 s (quick) or 10 min (full). Checks: every answer is the status its
 * request expects (unexpected ones counted by route and status; any fails the test), every
 * acknowledged write reads back intact afterwards (the client's {@link Ledger}), and the server's
 * resident memory, its heap after collections and its open file descriptors, sampled every second
 * from outside, stay flat by the rules in {@link #flatness} (also stated in docs/reliability.md §
 * Soak). p50/p99 per route are reported, never asserted. The full run draws {@code
 * docs/reliability-soak.png}; the quick run draws {@code target/reliability/soak.png}.
 */
@Tag("reliability")
@Tag("reliability-soak")
class SoakIT {
  static final int CONNECTIONS = 64;

  // the flatness rules (see flatness())
  static final double RSS_GROWTH = 0.10; // last third's median RSS within 10 % of the second's
  static final double RSS_SLACK_MIB = 16;
  static final double HEAP_GROWTH = 0.25; // live heap at the end within 25 % of the warm-up's
  static final double HEAP_SLACK_MIB = 16;
  static final int FD_SLACK = 16; // last third's median fds at most 16 over the second third's
  static final int SOCKET_SLACK = 8; // sockets once idle: the 64 kept-alive ones and a few more
  static final List<String> MANIFEST_FILES =
      List.of("manifest.db", "manifest.db-wal", "manifest.db-shm");
  // held open by design by the fs store's packs (docs/storage-layout.md § "Packed generations"):
  // the publication lock and the segments it appends to or reads, each file once
  static final java.util.regex.Pattern PACKS_FILES =
      java.util.regex.Pattern.compile("artifacts/~packs/(lock|[0-9a-f]{16}-[0-9]+\\.pack)");

  @TempDir Path dir;

  @Test
  void mixedTrafficOver64ConnectionsAnswersAsExpectedKeepsEveryWriteAndStaysFlat()
      throws Exception {
    Duration duration = Reliability.duration(Duration.ofSeconds(30), Duration.ofMinutes(10));
    Path data = dir.resolve("data");
    StoreConfig config = StoreConfig.fsSqlite(dir, data);
    Path gcLog = dir.resolve("server-gc.log");
    Ledger ledger = new Ledger();
    SoakStats stats = new SoakStats();
    SoakWorker.Totals totals = new SoakWorker.Totals();
    String load = Files.readString(Path.of("/proc/loadavg")).strip();

    try (DocsgenServer server =
        DocsgenServer.start(
            config,
            dir,
            "soak",
            List.of(
                "-Xms512m",
                "-Xmx512m",
                "-XX:+AlwaysPreTouch",
                "-XX:NativeMemoryTracking=summary",
                "-Xlog:gc:file=" + gcLog + ":uptime"))) {
      Http http = server.http();
      SoakSampler sampler = new SoakSampler(server.pid()).start();
      // the JVM's uptime 0, in sampler seconds (the GC log's times are uptimes)
      Instant processStart =
          ProcessHandle.of(server.pid()).flatMap(p -> p.info().startInstant()).orElseThrow();
      double uptimeOffset =
          sampler.now() - Duration.between(processStart, Instant.now()).toNanos() / 1e9;
      Thread.sleep(2_000); // an idle baseline

      double trafficStart = sampler.now();
      long deadline = System.nanoTime() + duration.toNanos();
      ExecutorService clients =
          Executors.newFixedThreadPool(
              CONNECTIONS,
              r -> {
                Thread t = new Thread(r, "soak-client");
                t.setDaemon(true);
                return t;
              });
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < CONNECTIONS; i++) {
        futures.add(
            clients.submit(
                new SoakWorker(i, http, ledger, stats, totals, deadline, 0x50A4L * 1_000 + i)));
      }
      // the live heap after a forced full GC at the end of the warm-up and at two thirds (under
      // load), and once idle after the traffic, after the idle fds were looked at (a collection
      // closes the fds of unreachable channels, which would hide a leak of them)
      List<LiveHeap> live = new ArrayList<>();
      List<Map<String, Long>> nativeMemory = new ArrayList<>();
      long third = duration.toNanos() / 3;
      for (long at : new long[] {deadline - 2 * third, deadline - third}) {
        long wait = at - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        live.add(sampler.liveHeap(gcLog));
        nativeMemory.add(sampler.nativeMemory());
      }
      for (Future<?> f : futures) {
        f.get(duration.toSeconds() + 600, TimeUnit.SECONDS);
      }
      clients.shutdown();
      // the thirds the rules compare are of the planned duration (the last requests' answers,
      // after the deadline, are not part of them)
      double trafficEnd = trafficStart + duration.toNanos() / 1e9;
      Thread.sleep(2_000); // idle again: what is still open now is kept, not in flight
      Sample idle = sampler.sampleNow();
      List<String> idleFiles = sampler.openFiles();
      String openFiles =
          SoakSampler.summary(idleFiles).toString().replaceAll("/[^,={}]*/junit-#/", "TMP/");
      live.add(sampler.liveHeap(gcLog));
      nativeMemory.add(sampler.nativeMemory());
      sampler.close();
      ServerLog serverLog = ServerLog.of(server.output());
      assertThat(sampler.failure()).as("sampling the server process").isNull();
      assertThat(server.alive()).as("the server process is alive after the soak").isTrue();

      Ledger.Check check = checkLedger(ledger, http);
      List<Sample> samples = sampler.samples();
      List<HeapAfterGc> heap = SoakSampler.heapAfterGc(gcLog, uptimeOffset);
      Flatness flat = flatness(samples, live, trafficStart, trafficEnd, idle, idleFiles, data);

      Path png =
          Reliability.full()
              ? Path.of("").toAbsolutePath().getParent().resolve("docs/reliability-soak.png")
              : Path.of("target", "reliability", "soak.png");
      SoakPlot.write(
          png,
          String.format(
              Locale.ROOT,
              "DocsGen Store soak (%s, %d s of traffic, %d connections, fs + SQLite), %s",
              Reliability.mode(),
              duration.toSeconds(),
              CONNECTIONS,
              Instant.now().toString().substring(0, 16) + "Z"),
          samples,
          heap,
          live,
          trafficStart,
          trafficEnd);
      writeCsv(samples, heap);

      Reliability.report(
          "soak",
          report(
              duration,
              load,
              totals,
              stats,
              check,
              flat,
              samples,
              idle,
              openFiles,
              png,
              heap.size(),
              nativeGrowth(nativeMemory.get(0), nativeMemory.get(nativeMemory.size() - 1)),
              serverLog));

      assertThat(stats.errorsByRouteAndOutcome())
          .as("unexpected answers by route → status (examples: %s)", stats.examples())
          .isEmpty();
      assertThat(check.clean()).as("%s", check).isTrue();
      assertThat(serverLog.errors() + serverLog.aborted())
          .as("ERROR lines and cut-off responses in the server's log: %s", serverLog.examples())
          .isZero();
      assertThat(flat.violations()).as("flatness of RSS, heap and fds").isEmpty();
      assertThat(stats.figures().stream().map(SoakStats.RouteFigures::route))
          .as("routes exercised")
          .containsAll(SoakWorker.ROUTES);
    }
  }

  /** Every acknowledged version read back by generation (8 readers) and compared with its hash. */
  private static Ledger.Check checkLedger(Ledger ledger, Http http) throws Exception {
    List<Ledger.Ack> all = ledger.all();
    List<String> lost = Collections.synchronizedList(new ArrayList<>());
    List<String> changed = Collections.synchronizedList(new ArrayList<>());
    List<String> errors = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger next = new AtomicInteger();
    ExecutorService readers = Executors.newFixedThreadPool(8);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      futures.add(
          readers.submit(
              () -> {
                for (int i; (i = next.getAndIncrement()) < all.size(); ) {
                  Ledger.Ack ack = all.get(i);
                  String name = ack.path() + "@" + ack.generation();
                  try {
                    Optional<byte[]> bytes = http.read(ack.path(), ack.generation());
                    if (bytes.isEmpty()) {
                      lost.add(name);
                    } else if (!Ledger.sha256(bytes.get()).equals(ack.sha256())) {
                      changed.add(name);
                    }
                  } catch (IOException | RuntimeException e) {
                    errors.add(name + ": " + e);
                  }
                }
              }));
    }
    for (Future<?> f : futures) {
      f.get(30, TimeUnit.MINUTES);
    }
    readers.shutdown();
    return new Ledger.Check(
        all.size(), List.copyOf(lost), List.copyOf(changed), List.copyOf(errors));
  }

  /** The figures the rules compare, and every rule broken (empty when flat). */
  record Flatness(
      double rssSecondMiB,
      double rssLastMiB,
      List<LiveHeap> live,
      double fdsSecondMedian,
      double fdsLastMedian,
      int filesKeptIdle,
      int filesIdle,
      List<String> violations) {}

  /**
   * The rules. The traffic's first third is warm-up (JIT, heap sizing, connection pools, caches);
   * then:
   *
   * <ul>
   *   <li>RSS (the heap is fixed and pre-touched, so this is everything else: metaspace, code,
   *       threads, direct buffers, native allocations): the last third's median is at most 10 %
   *       (+16 MiB) above the second third's;
   *   <li>live heap (used after a forced full GC): once idle after the traffic it is at most 25 %
   *       (+16 MiB) above the end of the warm-up;
   *   <li>fds other than the manifest database's (its pool grows to a bound when the load asks,
   *       which on a starved machine may be after the warm-up): the last third's median is at most
   *       16 above the second third's (a leak of one fd per N requests grows steadily and breaks
   *       this; spikes of in-flight files do not);
   *   <li>once the traffic has stopped, no file of the data directory is open but the manifest
   *       database's own ({@code manifest.db}, {@code -wal}, {@code -shm}), no deleted file is held
   *       open, and at most 64 + 8 sockets are (the clients' kept-alive connections, the listener).
   * </ul>
   */
  static Flatness flatness(
      List<Sample> samples,
      List<LiveHeap> live,
      double trafficStart,
      double trafficEnd,
      Sample idle,
      List<String> idleFiles,
      Path data) {
    double third = (trafficEnd - trafficStart) / 3;
    List<Sample> second =
        SoakSampler.between(samples, trafficStart + third, trafficStart + 2 * third);
    List<Sample> last = SoakSampler.between(samples, trafficStart + 2 * third, trafficEnd);
    double rssSecond = SoakSampler.median(second, s -> s.rssKiB() / 1024.0);
    double rssLast = SoakSampler.median(last, s -> s.rssKiB() / 1024.0);
    // the manifest pool's fds are left out: the pool grows to its bound when the load asks for
    // it, which on a heavily loaded machine can be after the warm-up; the idle look bounds it
    double fdsSecond = SoakSampler.median(second, Sample::notManifest);
    double fdsLast = SoakSampler.median(last, Sample::notManifest);
    List<String> violations = new ArrayList<>();
    if (second.isEmpty() || last.isEmpty()) {
      violations.add("too few samples to compare: " + second.size() + ", " + last.size());
    }
    if (rssLast > rssSecond * (1 + RSS_GROWTH) + RSS_SLACK_MIB) {
      violations.add(
          String.format(Locale.ROOT, "RSS grew: median %.1f MiB → %.1f MiB", rssSecond, rssLast));
    }
    double liveWarm = live.get(0).mib();
    double liveEnd = live.get(live.size() - 1).mib();
    if (liveEnd > liveWarm * (1 + HEAP_GROWTH) + HEAP_SLACK_MIB) {
      violations.add(
          String.format(Locale.ROOT, "live heap grew: %.1f MiB → %.1f MiB", liveWarm, liveEnd));
    }
    if (fdsLast > fdsSecond + FD_SLACK) {
      violations.add("open fds (but the manifest's) grew: median " + fdsSecond + " → " + fdsLast);
    }
    String root = data.toString() + "/";
    List<String> kept =
        idleFiles.stream()
            .filter(
                t ->
                    t.endsWith(" (deleted)")
                        || (t.startsWith(root)
                            && !MANIFEST_FILES.contains(t.substring(root.length()))
                            && !PACKS_FILES.matcher(t.substring(root.length())).matches()))
            .toList();
    if (!kept.isEmpty()) {
      violations.add("files still open once idle: " + kept.size() + ", e.g. " + kept.get(0));
    }
    List<String> packs =
        idleFiles.stream()
            .filter(
                t ->
                    t.startsWith(root) && PACKS_FILES.matcher(t.substring(root.length())).matches())
            .toList();
    if (packs.size() != packs.stream().distinct().count()) {
      violations.add("a packs file open more than once once idle: " + packs);
    }
    if (idle.sockets() > CONNECTIONS + SOCKET_SLACK) {
      violations.add("sockets open once idle: " + idle.sockets());
    }
    return new Flatness(
        rssSecond, rssLast, live, fdsSecond, fdsLast, kept.size(), idle.files(), violations);
  }

  private static String report(
      Duration duration,
      String loadBefore,
      SoakWorker.Totals totals,
      SoakStats stats,
      Ledger.Check check,
      Flatness flat,
      List<Sample> samples,
      Sample idle,
      String openFiles,
      Path png,
      int gcPoints,
      String nativeGrowth,
      ServerLog serverLog)
      throws IOException {
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "Server jar as a process on fs + SQLite (-Xms512m -Xmx512m -XX:+AlwaysPreTouch), %d client connections (JDK"
                + " HttpClient, HTTP/1.1), %d s of traffic; load average before: %s, after: %s.%n%n",
            CONNECTIONS,
            duration.toSeconds(),
            loadBefore,
            Files.readString(Path.of("/proc/loadavg")).strip()));
    md.append(
        String.format(
            Locale.ROOT,
            "- requests: %d answered, **%d unexpected** (errors)%n"
                + "- writes acknowledged: %d creates + %d token overwrites (%.1f MiB); bytes read"
                + " back and compared during the soak: %.1f MiB%n"
                + "- issues recorded %d; executions finished %d; approval events %d; runs %d;"
                + " bundles made and verified valid %d; client resets after an error %d%n"
                + "- ledger: %s%n",
            stats.requests(),
            stats.errors(),
            totals.created.get(),
            totals.overwritten.get(),
            totals.bytesWritten.get() / 1048576.0,
            totals.bytesReadChecked.get() / 1048576.0,
            totals.issues.get(),
            totals.executionsFinished.get(),
            totals.approvals.get(),
            totals.runs.get(),
            totals.bundles.get(),
            totals.resets.get(),
            check));
    Sample first = samples.get(0);
    Sample end = samples.get(samples.size() - 1);
    md.append(
        String.format(
            Locale.ROOT,
            "- RSS: start %.1f MiB, end %.1f MiB, max %.1f MiB; median second third %.1f MiB,"
                + " last third %.1f MiB%n"
                + "- live heap after a forced full GC (jcmd GC.run) at the end of warm-up, at two"
                + " thirds, once idle after the traffic: %s MiB; %d collections in the server's GC log%n"
                + "- open fds: start %d, end %d, max %d (sockets at the end %d); fds but the"
                + " manifest's: median second third %.0f, last third %.0f; once idle after the traffic: %d non-socket fds, %d"
                + " of them data files other than the manifest's or deleted files, by target: %s%n"
                + "- native memory (NMT, committed), end of warm-up → idle after the traffic: %s%n"
                + "- server log: %d request lines, %d cut-off responses (aborted=true), %d WARN"
                + " and %d ERROR lines%s%n"
                + "- flat: %s%n"
                + "- plot: `%s`%n%n",
            first.rssKiB() / 1024.0,
            end.rssKiB() / 1024.0,
            samples.stream().mapToLong(Sample::rssKiB).max().orElse(0) / 1024.0,
            flat.rssSecondMiB(),
            flat.rssLastMiB(),
            flat.live().stream()
                .map(l -> String.format(Locale.ROOT, "%.1f", l.mib()))
                .collect(Collectors.joining(", ")),
            gcPoints,
            first.fds(),
            idle.fds(),
            samples.stream().mapToInt(Sample::fds).max().orElse(0),
            idle.sockets(),
            flat.fdsSecondMedian(),
            flat.fdsLastMedian(),
            flat.filesIdle(),
            flat.filesKeptIdle(),
            openFiles,
            nativeGrowth,
            serverLog.requests(),
            serverLog.aborted(),
            serverLog.warnings(),
            serverLog.errors(),
            serverLog.examples().isEmpty() ? "" : "; first: " + serverLog.examples(),
            flat.violations().isEmpty() ? "yes" : "NO: " + flat.violations(),
            png));
    md.append("| route | requests | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n");
    for (SoakStats.RouteFigures f : stats.figures()) {
      md.append(
          String.format(
              Locale.ROOT,
              "| `%s` | %d | %.1f | %.1f | %.1f |%n",
              f.route(),
              f.requests(),
              f.p50Millis(),
              f.p99Millis(),
              f.max()));
    }
    if (stats.errors() > 0) {
      md.append("\nUnexpected answers by route → status:\n\n");
      stats
          .errorsByRouteAndOutcome()
          .forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
      md.append("\nFirst examples:\n\n");
      stats.examples().forEach(e -> md.append("- ").append(e.replace('\n', ' ')).append('\n'));
    }
    return md.toString();
  }

  /** Committed native memory that grew by at least 1 MiB, by category, as text. */
  static String nativeGrowth(Map<String, Long> from, Map<String, Long> to) {
    List<String> parts = new ArrayList<>();
    to.forEach(
        (category, kib) -> {
          long delta = kib - from.getOrDefault(category, 0L);
          if (category.equals("Total") || Math.abs(delta) >= 1024) {
            parts.add(
                String.format(
                    Locale.ROOT,
                    "%s %.1f → %.1f MiB (%+.1f)",
                    category,
                    from.getOrDefault(category, 0L) / 1024.0,
                    kib / 1024.0,
                    delta / 1024.0));
          }
        });
    return String.join("; ", parts);
  }

  /** What the server's own log says: request lines, cut-off responses, WARN and ERROR lines. */
  record ServerLog(long requests, long aborted, long warnings, long errors, List<String> examples) {
    static ServerLog of(String log) {
      long requests = 0;
      long aborted = 0;
      long warnings = 0;
      long errors = 0;
      List<String> examples = new ArrayList<>();
      for (String line : log.split("\n")) {
        String[] words = line.split(" ", 3);
        String level = words.length > 1 ? words[1] : "";
        boolean access = line.contains(" docsgen.http.access ");
        if (access) {
          requests++;
        }
        boolean cut = access && line.contains("aborted=true");
        if (cut) {
          aborted++;
        }
        if (level.equals("WARN")) {
          warnings++;
        } else if (level.equals("ERROR")) {
          errors++;
        }
        if ((cut || level.equals("WARN") || level.equals("ERROR")) && examples.size() < 5) {
          examples.add(line.length() > 300 ? line.substring(0, 300) + "…" : line);
        }
      }
      return new ServerLog(requests, aborted, warnings, errors, List.copyOf(examples));
    }
  }

  private static void writeCsv(List<Sample> samples, List<HeapAfterGc> heap) throws IOException {
    Path out = Files.createDirectories(Path.of("target", "reliability"));
    StringBuilder csv = new StringBuilder("seconds,rss_kib,fds,sockets,manifest_fds\n");
    for (Sample s : samples) {
      csv.append(
          String.format(
              Locale.ROOT,
              "%.2f,%d,%d,%d,%d%n",
              s.seconds(),
              s.rssKiB(),
              s.fds(),
              s.sockets(),
              s.manifest()));
    }
    Files.writeString(out.resolve("soak-samples.csv"), csv, StandardCharsets.UTF_8);
    StringBuilder gc = new StringBuilder("seconds,heap_after_gc_mib\n");
    for (HeapAfterGc h : heap) {
      gc.append(String.format(Locale.ROOT, "%.2f,%.1f%n", h.seconds(), h.mib()));
    }
    Files.writeString(out.resolve("soak-heap.csv"), gc, StandardCharsets.UTF_8);
  }
}
