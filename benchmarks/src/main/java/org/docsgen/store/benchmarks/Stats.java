package org.docsgen.store.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/** Percentiles and medians of timings, and the little formatting the harnesses share. */
final class Stats {
  private Stats() {}

  /** The {@code p}-th percentile (0..100) of {@code nanos}, nearest rank. */
  static long percentile(long[] nanos, double p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static long median(long[] nanos) {
    return percentile(nanos, 50);
  }

  static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
  }

  static String mibPerSecond(long bytes, long nanos) {
    return String.format(Locale.ROOT, "%.1f MiB/s", bytes / 1048576.0 / (nanos / 1e9));
  }

  static String ratio(long a, long b) {
    return String.format(Locale.ROOT, "%.2f", (double) a / b);
  }

  /** A count in decimal units: {@code 1000}, {@code 100k}, {@code 1m} (= 1,000,000). */
  static long parseCount(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT).replace("_", "");
    long unit = t.endsWith("k") ? 1000 : t.endsWith("m") ? 1_000_000 : 1;
    return Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
  }

  /** A size in binary units: {@code 1024}, {@code 64k}, {@code 64m}, {@code 1g}. */
  static long parseSize(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT).replace("_", "");
    long unit = 1;
    if (t.endsWith("k")) {
      unit = 1024;
    } else if (t.endsWith("m")) {
      unit = 1024 * 1024;
    } else if (t.endsWith("g")) {
      unit = 1024L * 1024 * 1024;
    }
    if (unit != 1) {
      t = t.substring(0, t.length() - 1);
    }
    return Long.parseLong(t) * unit;
  }
}
