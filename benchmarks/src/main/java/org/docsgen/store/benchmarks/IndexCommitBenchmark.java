package org.docsgen.store.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.run.CoreFileSet;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.out.ArtifactRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The index commit of every artifact write: {@code ManifestStore.recordWrite} (the policy check and
 * the insert of one new version, in one transaction) on a SQLite file opened as the server opens it
 * (WAL, synchronous=FULL, one writer connection), so concurrent writes share the group commit of
 * {@code GroupCommitWriter}. One run and one RUNNING execution of {@code phase3} are set up once;
 * each invocation records a new path. Throughput in commits per second, with 1, 8 and 32 threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class IndexCommitBenchmark {
  private static final Stage STAGE = Stage.phase(3);
  private static final ContentHash HASH = ContentHash.sha256("benchmark".getBytes());

  private final AtomicLong next = new AtomicLong();
  private Path dir;
  private Stores stores;
  private Run run;
  private ExecutionRef execution;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("docsgen-bench-index-");
    stores = Stores.open(Stores.sqlite(dir.resolve("manifest.db")), dir.resolve("artifacts"));
    run =
        stores.manifest.createRun(
            LocalDate.of(2026, 12, 7), "bench", Instant.now(), CoreFileSet.standard(), false);
    execution = stores.manifest.startExecution(run.runId(), STAGE, "bench", Instant.now()).ref();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    stores.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private ArtifactRecord recordOne() {
    long n = next.incrementAndGet();
    LogicalPath path =
        LogicalPath.of(run.runId(), STAGE, "sub/dir-" + (n % 100) + "/file-" + n + ".md");
    ArtifactInfo info =
        new ArtifactInfo(
            path,
            ArtifactType.DOCUMENTATION,
            HASH,
            16_384,
            "text/markdown",
            "bench",
            Instant.now(),
            1);
    return stores.manifest.recordWrite(info, execution);
  }

  @Benchmark
  @Threads(1)
  public ArtifactRecord recordWrite1Thread() {
    return recordOne();
  }

  @Benchmark
  @Threads(8)
  public ArtifactRecord recordWrite8Threads() {
    return recordOne();
  }

  @Benchmark
  @Threads(32)
  public ArtifactRecord recordWrite32Threads() {
    return recordOne();
  }
}
