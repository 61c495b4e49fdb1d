package org.docsgen.store.app.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command sees of its process: the environment, the working directory (relative file names
 * resolve against it), stdin, stdout for results and stderr for progress and errors.
 */
record Terminal(
    Map<String, String> env, Path workingDir, InputStream in, PrintStream out, PrintStream err) {

  Path resolve(Path file) {
    return workingDir.resolve(file).normalize();
  }
}
