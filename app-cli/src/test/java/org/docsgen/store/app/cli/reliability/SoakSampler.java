package org.docsgen.store.app.cli.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Samples one process from outside, once a second, as an operator's monitoring would: its resident
 * memory ({@code VmRSS} of {@code /proc/PID/status}) and its open file descriptors (the entries of
 * {@code /proc/PID/fd}, of which how many are sockets). Times are seconds since {@link #start}.
 */
final class SoakSampler implements AutoCloseable {
  /** One sample: seconds since the start, RSS in KiB, open fds, of which sockets. */
  record Sample(double seconds, long rssKiB, int fds, int sockets, int manifest) {
    int files() {
      return fds - sockets;
    }

    /** The fds but the manifest database's ({@code manifest.db}, {@code -wal}, {@code -shm}). */
    int notManifest() {
      return fds - manifest;
    }
  }

  private static final Pattern MANIFEST = Pattern.compile("/manifest\\.db(-wal|-shm)?$");
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+)\\s+kB");

  private final long pid;
  private final List<Sample> samples = new ArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "soak-sampler");
            t.setDaemon(true);
            return t;
          });
  private long startNanos;
  private volatile String failure;

  SoakSampler(long pid) {
    this.pid = pid;
  }

  /** Starts sampling now (time 0) and every second after. */
  SoakSampler start() {
    startNanos = System.nanoTime();
    timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    return this;
  }

  /** Seconds since {@link #start}. */
  double now() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private void sample() {
    try {
      Sample s = sampleNow();
      synchronized (samples) {
        samples.add(s);
      }
    } catch (IOException | RuntimeException e) {
      failure = "sampling process " + pid + " failed: " + e;
    }
  }

  Sample sampleNow() throws IOException {
    double seconds = now();
    String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
    Matcher m = RSS.matcher(status);
    if (!m.find()) {
      throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }
    long rss = Long.parseLong(m.group(1));
    int fds = 0;
    int sockets = 0;
    int manifest = 0;
    try (Stream<Path> list = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : (Iterable<Path>) list::iterator) {
        fds++;
        try {
          if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
            sockets++;
          } else if (MANIFEST.matcher(Files.readSymbolicLink(fd).toString()).find()) {
            manifest++;
          }
        } catch (IOException e) {
          // closed between the listing and the look: still counted as open at the listing
        }
      }
    }
    return new Sample(seconds, rss, fds, sockets, manifest);
  }

  /** The targets of the process's open non-socket fds right now. */
  List<String> openFiles() throws IOException {
    List<String> targets = new ArrayList<>();
    try (Stream<Path> list = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : (Iterable<Path>) list::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (!target.startsWith("socket:")) {
            targets.add(target);
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    return targets;
  }

  /**
   * {@code targets} counted with digits replaced by {@code #} (so {@code segment-000012.dat} and
   * {@code segment-000013.dat} count together), most first.
   */
  static Map<String, Integer> summary(List<String> targets) {
    Map<String, Integer> counts = new TreeMap<>();
    targets.forEach(t -> counts.merge(t.replaceAll("[0-9]+", "#"), 1, Integer::sum));
    Map<String, Integer> sorted = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /** Null, or why a sample could not be taken (the process died, /proc is missing). */
  String failure() {
    return failure;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  // ---- the flatness rules' arithmetic

  /** The samples with {@code from <= seconds < to}. */
  static List<Sample> between(List<Sample> all, double from, double to) {
    return all.stream().filter(s -> s.seconds() >= from && s.seconds() < to).toList();
  }

  static double median(List<Sample> samples, ToDoubleFunction<Sample> value) {
    return median(samples.stream().mapToDouble(value).toArray());
  }

  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  static double max(List<Sample> samples, ToDoubleFunction<Sample> value) {
    return samples.stream().mapToDouble(value).max().orElse(Double.NaN);
  }

  // ---- the live heap: a full collection asked of the server (jcmd GC.run), read from its GC log

  /** A forced full collection's outcome: when (sampler seconds) and the heap used after it. */
  record LiveHeap(double seconds, double mib) {}

  /**
   * The server's live heap now: {@code jcmd PID GC.run} (a full collection; jcmd returns once it is
   * done), and the heap after it as the server's {@code -Xlog:gc} file {@code gcLog} records that
   * collection ({@code Pause Full (System.gc()) 120M->25M(512M)}): the size right after the
   * collection, before anything new is allocated.
   */
  LiveHeap liveHeap(Path gcLog) throws IOException, InterruptedException {
    double seconds = now();
    long before = fullCollections(gcLog).size();
    jcmd("GC.run");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      List<Double> full = fullCollections(gcLog);
      if (full.size() > before) {
        return new LiveHeap(seconds, full.get(full.size() - 1));
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("jcmd " + pid + " GC.run left no Pause Full line in " + gcLog);
      }
      Thread.sleep(100);
    }
  }

  private static final Pattern NMT_TOTAL =
      Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");
  private static final Pattern NMT_CATEGORY =
      Pattern.compile("(?m)^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB");

  /**
   * The JVM's native memory by category, committed KiB ({@code jcmd PID VM.native_memory summary};
   * the server runs with {@code -XX:NativeMemoryTracking=summary}), with {@code Total} first.
   */
  Map<String, Long> nativeMemory() throws IOException, InterruptedException {
    String out = jcmd("VM.native_memory");
    Map<String, Long> committed = new LinkedHashMap<>();
    Matcher total = NMT_TOTAL.matcher(out);
    if (!total.find()) {
      throw new IOException("no native memory summary from jcmd " + pid + ": " + out);
    }
    committed.put("Total", Long.parseLong(total.group(1)));
    Matcher m = NMT_CATEGORY.matcher(out);
    while (m.find()) {
      committed.put(m.group(1).strip(), Long.parseLong(m.group(2)));
    }
    return committed;
  }

  /** The heap after each full collection the log records, in MiB, oldest first. */
  private static List<Double> fullCollections(Path gcLog) throws IOException {
    List<Double> after = new ArrayList<>();
    if (!Files.exists(gcLog)) {
      return after;
    }
    for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
      Matcher m = GC.matcher(line);
      if (line.contains("Pause Full") && m.find()) {
        after.add(mib(m.group(4), m.group(5)));
      }
    }
    return after;
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      throw new AssertionError(
          jcmd + " is missing: the soak needs a JDK (not a JRE) to ask the server for a full GC");
    }
    Process process =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("jcmd " + pid + " " + command + " failed: " + out);
    }
    return out;
  }

  // ---- the JVM's own word on its live heap: occupancy after each collection, from -Xlog:gc

  /** The heap occupancy after one collection, in MiB, at seconds since the sampler's start. */
  record HeapAfterGc(double seconds, double mib) {}

  private static final Pattern GC =
      Pattern.compile("^\\[(\\d+(?:\\.\\d+)?)s].*?(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

  /**
   * Reads a {@code -Xlog:gc:file=…:uptime} log: every collection's heap after it. {@code
   * uptimeOffset} is the sampler time at which the JVM's uptime was 0.
   */
  static List<HeapAfterGc> heapAfterGc(Path gcLog, double uptimeOffset) throws IOException {
    List<HeapAfterGc> points = new ArrayList<>();
    if (!Files.exists(gcLog)) {
      return points;
    }
    for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
      Matcher m = GC.matcher(line);
      if (m.find()) {
        double uptime = Double.parseDouble(m.group(1));
        points.add(new HeapAfterGc(uptime + uptimeOffset, mib(m.group(4), m.group(5))));
      }
    }
    return points;
  }

  private static double mib(String value, String unit) {
    double v = Double.parseDouble(value);
    return switch (unit) {
      case "K" -> v / 1024;
      case "G" -> v * 1024;
      default -> v;
    };
  }
}
