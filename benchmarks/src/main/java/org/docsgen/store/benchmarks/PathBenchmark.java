package org.docsgen.store.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.TimeUnit;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Path handling on every artifact request: {@link LogicalPath#parse} (the one validation of a path)
 * of a typical path, the HTTP route's strict percent-decoding of the raw request path (app-http
 * {@code ArtifactPaths.decode}, package-private, called through a method handle the JIT inlines),
 * and both together as the route runs them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PathBenchmark {
  private static final MethodHandle DECODE = decodeHandle();

  /** A typical artifact path, as stored and as it arrives in a request line. */
  public String path = "run_2026_12_07_0042/phase3/sub/dir/file-123.md";

  /** A request path with an escape, so the decoder's slow branch runs too. */
  public String encodedPath = "run_2026_12_07_0042/phase3/sub/dir/file%2D123.md";

  @Benchmark
  public LogicalPath parse() {
    return LogicalPath.parse(path);
  }

  @Benchmark
  public String routeDecodePlain() throws Throwable {
    return (String) DECODE.invokeExact(path);
  }

  @Benchmark
  public String routeDecodeEscaped() throws Throwable {
    return (String) DECODE.invokeExact(encodedPath);
  }

  @Benchmark
  public LogicalPath routeDecodeAndParse() throws Throwable {
    return LogicalPath.parse((String) DECODE.invokeExact(path));
  }

  private static MethodHandle decodeHandle() {
    try {
      Class<?> paths = Class.forName("org.docsgen.store.app.http.routes.api.ArtifactPaths");
      return MethodHandles.privateLookupIn(paths, MethodHandles.lookup())
          .findStatic(paths, "decode", MethodType.methodType(String.class, String.class));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("app-http's ArtifactPaths.decode(String) is gone", e);
    }
  }
}
