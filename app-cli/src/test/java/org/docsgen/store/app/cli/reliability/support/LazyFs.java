package org.docsgen.store.app.cli.reliability.support;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A LazyFS mount driven through the shared tool's {@code lazyfs.sh} ({@code shared/tools/lazyfs/}):
 * a FUSE file system that keeps written data in its own cache until fsync, so {@link #crash()} is a
 * power cut — every byte not yet fsynced is gone.
 *
 * <p>The tool is found through {@code DOCSGEN_LAZYFS} (the script or its folder), else in a {@code
 * shared/tools/lazyfs/} beside any ancestor of the working directory. When it is missing or cannot
 * mount, {@link #mount} fails under {@code CI=true} and skips (with the reason) otherwise.
 */
public final class LazyFs implements AutoCloseable {
  public static final String TOOL_ENV = "DOCSGEN_LAZYFS";

  private final Path script;
  private final Path mountPoint;
  private final Path stateBase;
  private boolean mounted;

  private LazyFs(Path script, Path mountPoint, Path stateBase) {
    this.script = script;
    this.mountPoint = mountPoint;
    this.stateBase = stateBase;
  }

  /** Mounts LazyFS at {@code mountPoint} (missing or empty), its data kept beside it. */
  public static LazyFs mount(Path mountPoint) throws IOException, InterruptedException {
    Optional<Path> script = locate();
    if (script.isEmpty()) {
      unavailable(
          "the LazyFS tool (shared/tools/lazyfs/lazyfs.sh) was not found beside the working"
              + " directory's ancestors; set "
              + TOOL_ENV
              + " to its path");
    }
    if (!Files.exists(Path.of("/dev/fuse"))) {
      unavailable("/dev/fuse is missing: LazyFS is a FUSE file system and cannot mount here");
    }
    // LazyFS misreads a state path holding "-o", so the state lives in a short temporary folder
    Path stateBase = Files.createTempDirectory(Path.of("/tmp"), "docsgen-lazyfs");
    LazyFs fs = new LazyFs(script.get(), mountPoint, stateBase);
    Result result = fs.tool("mount", mountPoint.toString());
    if (result.code() != 0) {
      deleteQuietly(stateBase);
      unavailable("lazyfs.sh mount failed (exit " + result.code() + "):\n" + result.output());
    }
    fs.mounted = true;
    return fs;
  }

  /** The power cut: LazyFS drops every byte that was not fsynced. The mount stays usable. */
  public void crash() throws IOException, InterruptedException {
    require(tool("crash", mountPoint.toString()), "crash");
  }

  /**
   * A fresh LazyFS process over what survived, so nothing the kernel cached from before the crash
   * is seen again.
   */
  public void remount() throws IOException, InterruptedException {
    mounted = false;
    require(tool("remount", mountPoint.toString()), "remount");
    mounted = true;
  }

  /** Unmounts and deletes the backing data; never throws. */
  @Override
  public void close() {
    try {
      if (mounted) {
        tool("umount", mountPoint.toString(), "--purge");
      }
    } catch (IOException | InterruptedException e) {
      System.err.println("lazyfs umount of " + mountPoint + " failed: " + e);
    } finally {
      mounted = false;
      deleteQuietly(stateBase);
    }
  }

  private static void unavailable(String why) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI=true and the power-cut test cannot run: " + why);
    }
    Assumptions.abort("power-cut test skipped (it fails instead under CI=true): " + why);
  }

  public static Optional<Path> locate() {
    String configured = System.getenv(TOOL_ENV);
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured).toAbsolutePath();
      Path script = Files.isDirectory(path) ? path.resolve("lazyfs.sh") : path;
      return Files.isExecutable(script) ? Optional.of(script) : Optional.empty();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path script = dir.resolve("shared/tools/lazyfs/lazyfs.sh");
      if (Files.isExecutable(script)) {
        return Optional.of(script);
      }
    }
    return Optional.empty();
  }

  private record Result(int code, String output) {}

  private Result tool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(script.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("LAZYFS_STATE_BASE", stateBase.toString());
    // the test's unsynced data must fit the cache, or it would pass through and survive
    builder.environment().put("LAZYFS_CACHE_SIZE", "64mb");
    Path log = Files.createTempFile(stateBase, "lazyfs-", ".log");
    builder.redirectOutput(log.toFile());
    Process process = builder.start();
    // the first mount may build LazyFS (about a minute on two cores)
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail("lazyfs.sh " + String.join(" ", args) + " did not finish within 10 minutes");
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    return new Result(process.exitValue(), output);
  }

  private static void require(Result result, String what) {
    if (result.code() != 0) {
      fail("lazyfs.sh " + what + " failed (exit " + result.code() + "):\n" + result.output());
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // a leftover in /tmp is harmless
                }
              });
    } catch (IOException ignored) {
      // nothing to clean
    }
  }
}
