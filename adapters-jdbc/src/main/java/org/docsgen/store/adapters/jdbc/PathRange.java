package org.docsgen.store.adapters.jdbc;

import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;

/**
 * The keys every path of a run, or of one stage of a run, lies strictly between: {@code
 * <run>/[<stage>/]} and the same prefix with its final {@code /} raised to {@code 0} (the next
 * byte). Paths sort by bytes on both databases (binary collation, {@code COLLATE "C"}), so stating
 * both bounds turns any path-ordered index into an exact range of that run or stage.
 */
record PathRange(String start, String end) {
  static PathRange of(RunId runId, Stage stage) {
    String prefix = runId + "/" + (stage == null ? "" : stage + "/");
    return new PathRange(prefix, prefix.substring(0, prefix.length() - 1) + "0");
  }

  /** The lower bound of a page: the cursor's path, or the range's start if that is later. */
  String after(String cursorPath) {
    return cursorPath == null || cursorPath.compareTo(start) < 0 ? start : cursorPath;
  }
}
