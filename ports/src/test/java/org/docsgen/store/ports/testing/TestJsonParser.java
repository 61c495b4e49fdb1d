package org.docsgen.store.ports.testing;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.docsgen.store.ports.bundle.JsonParser;

/**
 * The {@link JsonParser} port for tests, with Jackson (test scope): as strict as the server's
 * (trailing content and repeated keys refused).
 */
public final class TestJsonParser implements JsonParser {
  public static final TestJsonParser INSTANCE = new TestJsonParser();

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .build();

  private TestJsonParser() {}

  @Override
  public Object parse(String text) {
    try {
      JsonNode tree = MAPPER.readTree(text);
      if (tree == null || tree.isMissingNode()) {
        throw new IllegalArgumentException("no JSON value");
      }
      return MAPPER.treeToValue(tree, Object.class);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
