package org.docsgen.store.app.cli;

import org.docsgen.store.ports.out.PageRequest;
import picocli.CommandLine.Option;

/** {@code --limit} and {@code --cursor}, shared by every listing verb (a picocli mixin). */
final class PagingOptions {
  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "page size (1..1000)")
  int limit;

  @Option(names = "--cursor", paramLabel = "CURSOR", description = "continue after a previous page")
  String cursor;

  /** The page asked for; a limit out of range is bad input (exit 2). */
  PageRequest request() {
    if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
      throw CliException.badInput("--limit must be 1.." + PageRequest.MAX_LIMIT + ", was " + limit);
    }
    return new PageRequest(cursor, limit);
  }
}
