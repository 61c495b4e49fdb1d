package org.docsgen.store.domain.artifact;

import java.util.Locale;

/** Which media types are text (line previews, unified diffs). */
public final class MediaTypes {
  public static final String OCTET_STREAM = "application/octet-stream";
  public static final String ZIP = "application/zip";

  private MediaTypes() {}

  /** True for {@code text/*} and the structured text types DocsGen writes (JSON, YAML, XML). */
  public static boolean isText(String mediaType) {
    String base = mediaType.toLowerCase(Locale.ROOT).split(";", 2)[0].strip();
    return base.startsWith("text/")
        || base.equals("application/json")
        || base.endsWith("+json")
        || base.equals("application/yaml")
        || base.equals("application/x-yaml")
        || base.equals("application/xml")
        || base.endsWith("+xml");
  }
}
