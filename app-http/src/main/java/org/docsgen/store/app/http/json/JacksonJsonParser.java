package org.docsgen.store.app.http.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import org.docsgen.store.ports.bundle.JsonParser;

/**
 * The services' {@link JsonParser} port, with the server's {@link Json#mapper()}: trailing content
 * and repeated keys refused; objects as {@code LinkedHashMap}, arrays as {@code ArrayList}.
 */
public final class JacksonJsonParser implements JsonParser {
  public static final JacksonJsonParser INSTANCE = new JacksonJsonParser();

  private JacksonJsonParser() {}

  @Override
  public Object parse(String text) {
    try {
      JsonNode tree = Json.mapper().readTree(text);
      if (tree == null || tree.isMissingNode()) {
        throw new IllegalArgumentException("no JSON value");
      }
      return Json.mapper().treeToValue(tree, Object.class);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
