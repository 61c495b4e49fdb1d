package org.docsgen.store.adapters.fs;

import java.io.InputStream;
import java.nio.file.Path;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ReadRequest;
import org.docsgen.store.ports.out.WriteRequest;

/**
 * Not a test: a main to count the system calls of one GET and one PUT under {@code strace -f}
 * (docs/decisions.md § adapters-fs, "System calls per request"). After a warm-up it brackets each
 * measured call with a {@code stat} of a marker name that does not exist ({@code /~mark-…}), so the
 * calls between the markers on the same thread are exactly the store's:
 *
 * <pre>
 * strace -f -o trace.txt java -cp TEST_CLASSPATH org.docsgen.store.adapters.fs.SyscallHarness ROOT
 * </pre>
 *
 * then keep the lines of the marking thread between {@code /~mark-get-begin} and {@code
 * /~mark-get-end} (and {@code put}), leaving out the JIT's {@code futex} calls. ROOT: a fresh
 * directory.
 *
 * <p>GET: {@code open(path, generation 1, expected hash)} of a 4 KiB artifact read whole and closed
 * (the server's read). PUT: {@code write} of a new 4 KiB artifact in an existing folder. FIRST-GET:
 * the GET of that artifact right after its PUT (the first read of a version this process wrote).
 */
public final class SyscallHarness {
  private SyscallHarness() {}

  public static void main(String[] args) throws Exception {
    FsArtifactStore store =
        new FsArtifactStore(Path.of(args[0]), TestContent.tokens(), TestContent.clock());
    String folder = "run_2026_11_28_0001/phase1/sub/";
    ArtifactInfo read = write(store, LogicalPath.parse(folder + "x.bin"));
    for (int i = 0; i < 3000; i++) {
      get(store, read);
      if (i % 10 == 0) {
        write(store, LogicalPath.parse(folder + "warm-" + i + ".bin"));
      }
    }
    mark("get-begin");
    get(store, read);
    mark("get-end");
    mark("put-begin");
    ArtifactInfo written = write(store, LogicalPath.parse(folder + "new.bin"));
    mark("put-end");
    mark("first-get-begin");
    get(store, written);
    mark("first-get-end");
  }

  private static ArtifactInfo write(FsArtifactStore store, LogicalPath path) {
    WriteRequest request =
        WriteRequest.create(path, ArtifactType.OTHER, "application/octet-stream", "harness");
    return store.write(request, TestContent.stream(path.toString(), 4096)).info();
  }

  private static void get(FsArtifactStore store, ArtifactInfo info) throws Exception {
    ReadRequest request = ReadRequest.of(info.path(), info.generation()).withHash(info.hash());
    try (ArtifactContent content = store.open(request);
        InputStream in = content.stream()) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }

  private static void mark(String name) {
    new java.io.File("/~mark-" + name).exists();
  }
}
