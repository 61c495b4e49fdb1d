package org.docsgen.store.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.bundle.BundleRecord;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.run.CoreFileSet;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.bundle.BundleZipWriter;
import org.docsgen.store.ports.in.ArtifactUseCases.WriteCommand;

/**
 * Making a run's bundle, against {@code zip} on the same files.
 *
 * <pre>
 * java -cp benchmarks.jar org.docsgen.store.benchmarks.BundleHarness [ITERATIONS] [WARMUP] [FILES] [SIZE]
 * </pre>
 *
 * Defaults: 10 timed iterations after 20 warm-up ones, 43 files (DocsGen's standard core file set)
 * of 64 KiB of deterministic markdown-like text. Three timings, each a median. The warm-up stands
 * for a server that has served other requests: one bundle per run means that after 3 warm-up
 * iterations the manifest reads of the gate and the plan, and the writer, still ran interpreted
 * (the use case took ~80 ms then, against ~53 ms after 20 and ~24 ms for the writer alone).
 *
 * <ul>
 *   <li>{@code createBundle}: the use case as {@code POST /api/runs/{id}/bundle} runs it, over the
 *       filesystem artifact store and a SQLite manifest (as the server wires them): gate, plan, the
 *       zip staged in a temporary file while each entry is read back from the store and hashed, the
 *       zip and its signed attestation stored and indexed, the bundle recorded. Every iteration
 *       needs a new run (a run is bundled once): the run, its final execution and the writes of the
 *       files happen before the clock starts.
 *   <li>zip core: {@code BundleZipWriter.write} of the same files, read from plain files into a zip
 *       file, the part of the use case that {@code zip} does.
 *   <li>{@code zip -X -q out.zip FILES} (its default level 6, the yardstick) and {@code zip
 *       -4 -X -q} (the level the bundle uses, {@link BundleZipWriter#LEVEL}: like for like),
 *       through ProcessBuilder.
 * </ul>
 */
public final class BundleHarness {
  private static final String ACTOR = "bench";
  private static final long SEED = 20261207L;

  private BundleHarness() {}

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int fileCount = args.length > 2 ? Integer.parseInt(args[2]) : 43;
    int size = args.length > 3 ? (int) Stats.parseSize(args[3]) : 64 * 1024;

    List<String> names = new ArrayList<>(CoreFileSet.standard().names());
    if (fileCount != names.size()) {
      names.clear();
      for (int i = 0; i < fileCount; i++) {
        names.add(String.format(Locale.ROOT, "doc-%03d.md", i));
      }
    }
    Path dir = Files.createTempDirectory("docsgen-bench-bundle-").toAbsolutePath();
    try {
      Path files = Files.createDirectories(dir.resolve("files"));
      List<byte[]> contents = new ArrayList<>();
      long total = 0;
      for (int i = 0; i < names.size(); i++) {
        byte[] bytes = MarkdownText.generate(SEED, i, size);
        contents.add(bytes);
        Files.write(files.resolve(names.get(i)), bytes);
        total += bytes.length;
      }
      System.out.printf(
          Locale.ROOT,
          "bundle harness: %d files x %,d bytes (%.2f MiB of markdown-like text), %d iterations"
              + " after %d warm-up, medians%n",
          names.size(),
          size,
          total / 1048576.0,
          iterations,
          warmup);
      System.out.println(
          "bundle format: commons-compress ZipArchiveOutputStream, method DEFLATED, level "
              + BundleZipWriter.LEVEL
              + ", entries sorted, fixed times; entries up to 1 MiB deflated ahead"
              + " on one thread per CPU, SHA-256 of each entry in the same pass (BundleZipWriter)");

      long[] useCase;
      long[] useCaseCpu;
      long bundleSize;
      try (Stores stores =
          Stores.open(Stores.sqlite(dir.resolve("manifest.db")), dir.resolve("artifacts"))) {
        useCase = new long[iterations];
        useCaseCpu = new long[iterations];
        long last = 0;
        for (int i = -warmup; i < iterations; i++) {
          Run run = prepareRun(stores, names, contents);
          long cpu0 = processCpuNanos();
          long t0 = System.nanoTime();
          BundleRecord record = stores.services.createBundle(run.runId(), ACTOR);
          long elapsed = System.nanoTime() - t0;
          long cpu = processCpuNanos() - cpu0;
          if (i >= 0) {
            useCase[i] = elapsed;
            useCaseCpu[i] = cpu;
          }
          last = record.zipSize();
        }
        bundleSize = last;
      }

      Path coreZip = dir.resolve("core.zip");
      long[] core = new long[iterations];
      long[] coreCpu = new long[iterations];
      for (int i = -warmup; i < iterations; i++) {
        List<BundleZipWriter.Entry> entries = new ArrayList<>();
        for (String name : names) {
          Path file = files.resolve(name);
          entries.add(new BundleZipWriter.Entry(name, () -> Files.newInputStream(file)));
        }
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        try (OutputStream out = Files.newOutputStream(coreZip)) {
          BundleZipWriter.write(entries, out);
        }
        long elapsed = System.nanoTime() - t0;
        long cpu = processCpuNanos() - cpu0;
        if (i >= 0) {
          core[i] = elapsed;
          coreCpu[i] = cpu;
        }
      }

      long[] zip6 = zip(files, names, dir.resolve("zip6.zip"), iterations, warmup, null);
      long[] zipSame =
          zip(
              files,
              names,
              dir.resolve("zip-same.zip"),
              iterations,
              warmup,
              "-" + BundleZipWriter.LEVEL);
      long[] spawn = new long[iterations];
      for (int i = -warmup; i < iterations; i++) {
        long t0 = System.nanoTime();
        new ProcessBuilder("true").start().waitFor();
        if (i >= 0) {
          spawn[i] = System.nanoTime() - t0;
        }
      }

      long useCaseMedian = Stats.median(useCase);
      long coreMedian = Stats.median(core);
      long zip6Median = Stats.median(zip6);
      long zipSameMedian = Stats.median(zipSame);
      System.out.printf(
          Locale.ROOT,
          "createBundle (use case)      : %s  (zip %,d bytes; process CPU %s)%n",
          Stats.millis(useCaseMedian),
          bundleSize,
          Stats.millis(Stats.median(useCaseCpu)));
      System.out.printf(
          Locale.ROOT,
          "zip core (BundleZipWriter)   : %s  (zip %,d bytes; process CPU %s)%n",
          Stats.millis(coreMedian),
          Files.size(coreZip),
          Stats.millis(Stats.median(coreCpu)));
      System.out.printf(
          Locale.ROOT,
          "zip -X -q (level 6)          : %s  (zip %,d bytes)%n",
          Stats.millis(zip6Median),
          Files.size(dir.resolve("zip6.zip")));
      System.out.printf(
          Locale.ROOT,
          "zip -%d -X -q (level %d)       : %s  (zip %,d bytes)%n",
          BundleZipWriter.LEVEL,
          BundleZipWriter.LEVEL,
          Stats.millis(zipSameMedian),
          Files.size(dir.resolve("zip-same.zip")));
      System.out.printf(
          Locale.ROOT,
          "(a process start alone, 'true': %s, included in the zip timings)%n",
          Stats.millis(Stats.median(spawn)));
      System.out.printf(
          Locale.ROOT,
          "ratio createBundle / zip -X: %s, / zip -%d -X: %s; zip core / zip -X: %s,"
              + " / zip -%d -X: %s%n",
          Stats.ratio(useCaseMedian, zip6Median),
          BundleZipWriter.LEVEL,
          Stats.ratio(useCaseMedian, zipSameMedian),
          Stats.ratio(coreMedian, zip6Median),
          BundleZipWriter.LEVEL,
          Stats.ratio(coreMedian, zipSameMedian));
    } finally {
      ListHarness.deleteTree(dir);
    }
  }

  /** CPU time of the whole JVM so far, every thread (the store's and the manifest's included). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** A new run whose final stage SUCCEEDED with every core file written: ready to bundle. */
  private static Run prepareRun(Stores stores, List<String> names, List<byte[]> contents) {
    Run run = stores.services.createRun(ACTOR, names, false);
    PhaseExecution execution = stores.services.start(run.runId(), Stage.FINAL, ACTOR);
    for (int i = 0; i < names.size(); i++) {
      stores.services.write(
          new WriteCommand(
              LogicalPath.of(run.runId(), Stage.FINAL, names.get(i)),
              ArtifactType.DOCUMENTATION,
              "text/markdown",
              ACTOR,
              true,
              null,
              64L * 1024 * 1024),
          new ByteArrayInputStream(contents.get(i)));
    }
    stores.services.finish(execution.ref(), ExecutionStatus.SUCCEEDED, null, ACTOR);
    return run;
  }

  private static long[] zip(
      Path files, List<String> names, Path out, int iterations, int warmup, String level)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("zip"));
    if (level != null) {
      command.add(level);
    }
    command.addAll(List.of("-X", "-q", out.toString()));
    command.addAll(names);
    long[] nanos = new long[iterations];
    for (int i = -warmup; i < iterations; i++) {
      Files.deleteIfExists(out); // zip adds to an existing archive
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(command).directory(files.toFile()).inheritIO().start();
      int exit = p.waitFor();
      long elapsed = System.nanoTime() - t0;
      if (exit != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited with " + exit);
      }
      if (i >= 0) {
        nanos[i] = elapsed;
      }
    }
    return nanos;
  }
}
