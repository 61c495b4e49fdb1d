package org.docsgen.store.domain.issue;

import org.docsgen.store.domain.InvalidValueException;

/**
 * Where in a file an issue is: 1-based line and column, with an optional end. Any part may be null
 * when the validator does not know it, but an end never precedes its start.
 */
public record IssueLocation(Integer line, Integer column, Integer endLine, Integer endColumn) {
  public IssueLocation {
    positive("line", line);
    positive("column", column);
    positive("endLine", endLine);
    positive("endColumn", endColumn);
    if (line != null && endLine != null && endLine < line) {
      throw new InvalidValueException("location", "endLine " + endLine + " is before line " + line);
    }
    if (line != null
        && line.equals(endLine)
        && column != null
        && endColumn != null
        && endColumn < column) {
      throw new InvalidValueException(
          "location",
          "endColumn " + endColumn + " is before column " + column + " on line " + line);
    }
    if (endLine == null && endColumn != null) {
      throw new InvalidValueException("location", "endColumn needs endLine");
    }
    if (line == null && (column != null || endLine != null)) {
      throw new InvalidValueException("location", "column and endLine need line");
    }
  }

  public static IssueLocation none() {
    return new IssueLocation(null, null, null, null);
  }

  public static IssueLocation line(int line) {
    return new IssueLocation(line, null, null, null);
  }

  private static void positive(String field, Integer value) {
    if (value != null && value < 1) {
      throw new InvalidValueException("location", field + " is 1-based, was " + value);
    }
  }
}
