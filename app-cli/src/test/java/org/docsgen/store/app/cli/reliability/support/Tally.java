package org.docsgen.store.app.cli.reliability.support;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a kind's load and checks saw, safe to share between client threads: counts by name, the
 * first failure at each place (at most 200, each cut at 800 characters) and an example answer per
 * name. Every kind fails when {@link #failures} is not empty.
 */
public final class Tally {
  public final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  public final Map<String, String> failures = new ConcurrentSkipListMap<>();
  public final Map<String, String> examples = new ConcurrentHashMap<>();

  public void count(String what) {
    counts.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
  }

  public long get(String what) {
    AtomicLong n = counts.get(what);
    return n == null ? 0 : n.get();
  }

  /** Records a failure at {@code where} (the first one there is kept) and counts it. */
  public void fail(String where, Object what) {
    if (failures.size() < 200) {
      String text = String.valueOf(what);
      failures.putIfAbsent(where, text.length() > 800 ? text.substring(0, 800) + "…" : text);
    }
    count("failures");
  }

  /** The counts as the rows of a markdown table ({@code | name | n |}), sorted by name. */
  public String countsTable() {
    StringBuilder rows = new StringBuilder();
    new TreeMap<>(counts)
        .forEach((k, v) -> rows.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    return rows.toString();
  }
}
