package org.docsgen.store.app.cli.reliability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the soak's clients saw, per route: every answered request's latency (nanoseconds, kept
 * whole: a sorted array per route gives p50/p99 without HdrHistogram), and every unexpected outcome
 * (a status other than the one the request expects, an I/O failure, or a body that is not what was
 * written) counted by route and outcome, with the first examples kept for the report.
 */
final class SoakStats {
  private static final int EXAMPLES = 20;

  /** A growable array of nanos for one route; appends are synchronised per route. */
  private static final class Latencies {
    private long[] nanos = new long[1024];
    private int size;

    synchronized void add(long value) {
      if (size == nanos.length) {
        nanos = Arrays.copyOf(nanos, size * 2);
      }
      nanos[size++] = value;
    }

    synchronized long[] sorted() {
      long[] copy = Arrays.copyOf(nanos, size);
      Arrays.sort(copy);
      return copy;
    }
  }

  private final Map<String, Latencies> latencies = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> unexpected = new ConcurrentHashMap<>();
  private final List<String> examples = new ArrayList<>();

  void answered(String route, long nanos) {
    latencies.computeIfAbsent(route, r -> new Latencies()).add(nanos);
  }

  /** An unexpected outcome of {@code route}: {@code outcome} is a status, "io …" or "mismatch". */
  void unexpected(String route, String outcome, String example) {
    unexpected.computeIfAbsent(route + " → " + outcome, k -> new AtomicLong()).incrementAndGet();
    synchronized (examples) {
      if (examples.size() < EXAMPLES) {
        String text = example.length() > 400 ? example.substring(0, 400) + "…" : example;
        examples.add(route + " → " + outcome + ": " + text);
      }
    }
  }

  long errors() {
    return unexpected.values().stream().mapToLong(AtomicLong::get).sum();
  }

  long requests() {
    return latencies.values().stream().mapToLong(l -> l.sorted().length).sum();
  }

  /** Unexpected outcomes by "route → outcome", sorted. */
  Map<String, Long> errorsByRouteAndOutcome() {
    Map<String, Long> sorted = new TreeMap<>();
    unexpected.forEach((k, v) -> sorted.put(k, v.get()));
    return sorted;
  }

  List<String> examples() {
    synchronized (examples) {
      return List.copyOf(examples);
    }
  }

  /** One route's figures. */
  record RouteFigures(String route, int requests, double p50Millis, double p99Millis, double max) {}

  List<RouteFigures> figures() {
    List<RouteFigures> all = new ArrayList<>();
    new TreeMap<>(latencies)
        .forEach(
            (route, l) -> {
              long[] sorted = l.sorted();
              all.add(
                  new RouteFigures(
                      route,
                      sorted.length,
                      percentile(sorted, 50) / 1e6,
                      percentile(sorted, 99) / 1e6,
                      sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6));
            });
    return all;
  }

  /** The nearest-rank percentile of a sorted array (0 when empty). */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
