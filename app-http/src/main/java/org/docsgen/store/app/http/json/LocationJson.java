package org.docsgen.store.app.http.json;

import org.docsgen.store.domain.issue.IssueLocation;

/** Where in a file an issue is; 1-based, every part may be null. */
public record LocationJson(Integer line, Integer column, Integer endLine, Integer endColumn) {

  public static LocationJson of(IssueLocation location) {
    return new LocationJson(
        location.line(), location.column(), location.endLine(), location.endColumn());
  }

  public IssueLocation toDomain() {
    return new IssueLocation(line, column, endLine, endColumn);
  }
}
