package org.docsgen.store.app.http.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.docsgen.store.app.http.json.FailingIssueJson;
import org.docsgen.store.domain.gate.FailingIssues;

/**
 * An RFC 9457 problem document ({@code application/problem+json}): {@code type, title, status,
 * detail}, the request path as {@code instance}, and the extension members that apply — {@code
 * path}, {@code layer}, {@code currentHash} for immutability refusals, {@code missing}, {@code
 * failing} (each open ERROR issue as {@code {rule, file}}) and {@code failingTotal} for the gate,
 * {@code code} for a rule's stable code, {@code field} for the input at fault. Never a stack trace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance"})
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    String code,
    String field,
    String path,
    String layer,
    String currentHash,
    List<String> missing,
    List<FailingIssueJson> failing,
    Long failingTotal) {

  public static final String MEDIA_TYPE = "application/problem+json";

  /** A problem of {@code kind} with no extension members. */
  public static Problem of(ProblemType kind, String detail) {
    return builder(kind, detail).build();
  }

  /** A problem of {@code kind} whose extension members the builder adds. */
  public static Builder builder(ProblemType kind, String detail) {
    return new Builder(kind.uri(), kind.title(), kind.status(), detail);
  }

  /** The same problem answered for the request path {@code newInstance}. */
  public Problem withInstance(String newInstance) {
    Builder builder = new Builder(type, title, status, detail);
    builder.instance = newInstance;
    builder.code = code;
    builder.field = field;
    builder.path = path;
    builder.layer = layer;
    builder.currentHash = currentHash;
    builder.missing = missing;
    builder.failing = failing;
    builder.failingTotal = failingTotal;
    return builder.build();
  }

  /** Collects the members that apply; unset ones are left out of the document. */
  public static final class Builder {
    private String type;
    private String title;
    private final int status;
    private final String detail;
    private String instance;
    private String code;
    private String field;
    private String path;
    private String layer;
    private String currentHash;
    private List<String> missing;
    private List<FailingIssueJson> failing;
    private Long failingTotal;

    private Builder(String type, String title, int status, String detail) {
      this.type = type;
      this.title = title;
      this.status = status;
      this.detail = detail;
    }

    /** A rule's own type URI, for refusals whose code names the rule. */
    public Builder type(String newType, String newTitle) {
      this.type = newType;
      this.title = newTitle;
      return this;
    }

    public Builder code(String newCode) {
      this.code = newCode;
      return this;
    }

    public Builder field(String newField) {
      this.field = newField;
      return this;
    }

    public Builder path(String newPath) {
      this.path = newPath;
      return this;
    }

    /** The immutability layer that refused, and the hash of what is stored. */
    public Builder layer(String newLayer, String newCurrentHash) {
      this.layer = newLayer;
      this.currentHash = newCurrentHash;
      return this;
    }

    public Builder currentHash(String newCurrentHash) {
      this.currentHash = newCurrentHash;
      return this;
    }

    /**
     * A gate refusal: every missing core file, and the open ERROR issues as {@code {rule, file}}
     * (at most {@link org.docsgen.store.domain.gate.FailingIssues#MAX_LISTED}; {@code failingTotal}
     * counts them all). Both lists are present, possibly empty.
     */
    public Builder gate(List<String> newMissing, FailingIssues newFailing) {
      this.missing = List.copyOf(newMissing);
      this.failing = FailingIssueJson.of(newFailing);
      this.failingTotal = newFailing.total();
      return this;
    }

    public Problem build() {
      return new Problem(
          type,
          title,
          status,
          detail,
          instance,
          code,
          field,
          path,
          layer,
          currentHash,
          missing,
          failing,
          failingTotal);
    }
  }
}
