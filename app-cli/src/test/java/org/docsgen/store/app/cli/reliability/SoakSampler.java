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
  record Sample(double seconds, long rssKiB, int fds, int sockets) {
    int files() {
      return fds - sockets;
    }
  }

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
    try (Stream<Path> list = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : (Iterable<Path>) list::iterator) {
        fds++;
        try {
          if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
            sockets++;
          }
        } catch (IOException e) {
          // closed between the listing and the look: still counted as open at the listing
        }
      }
    }
    return new Sample(seconds, rss, fds, sockets);
  }

  /**
   * The process's open non-socket fds right now, by target with digits replaced by {@code #} (so
   * {@code segment-000012.dat} and {@code segment-000013.dat} count together), most first.
   */
  Map<String, Integer> openFiles() throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    try (Stream<Path> list = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : (Iterable<Path>) list::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (!target.startsWith("socket:")) {
            counts.merge(target.replaceAll("[0-9]+", "#"), 1, Integer::sum);
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
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

  // ---- the live heap: a full collection asked of the server (jcmd GC.run), then its heap's use

  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  /** A forced full collection's outcome: when (sampler seconds) and the heap used after it. */
  record LiveHeap(double seconds, double mib) {}

  /**
   * The server's live heap now: {@code jcmd PID GC.run} (a full collection; the call returns once
   * it is done), then {@code jcmd PID GC.heap_info}'s used size.
   */
  LiveHeap liveHeap() throws IOException, InterruptedException {
    double seconds = now();
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher m = HEAP_USED.matcher(info);
    if (!m.find()) {
      throw new IOException("no heap use in jcmd " + pid + " GC.heap_info: " + info);
    }
    return new LiveHeap(seconds, Long.parseLong(m.group(1)) / 1024.0);
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
