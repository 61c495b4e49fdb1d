package org.docsgen.store.ports.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

  @Test
  void keysAreSortedAtEveryLevelWithoutWhitespace() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("z", 1);
    inner.put("a", true);
    Map<String, Object> outer = new HashMap<>();
    outer.put("list", Arrays.asList(inner, null, "x", 12345678901L));
    outer.put("B", false);
    outer.put("a", "s");

    assertThat(CanonicalJson.write(outer))
        .isEqualTo(
            "{\"B\":false,\"a\":\"s\",\"list\":[{\"a\":true,\"z\":1},null,\"x\",12345678901]}");
  }

  @Test
  void stringsAreEscaped() {
    assertThat(
            CanonicalJson.write(
                "quote \" backslash \\ tab \t nl \n cr \r bs \b ff \f nul \u0000 unit \u001f"))
        .isEqualTo(
            "\"quote \\\" backslash \\\\ tab \\t nl \\n cr \\r bs \\b ff \\f nul \\u0000 unit \\u001f\"");
    assertThat(CanonicalJson.write("ünïcødé ✓ / <>")).isEqualTo("\"ünïcødé ✓ / <>\"");
  }

  @Test
  void theSameValueGivesTheSameText() {
    Map<String, Object> one = new LinkedHashMap<>();
    one.put("b", List.of(1, 2));
    one.put("a", Map.of("y", "1", "x", "2"));
    Map<String, Object> two = new LinkedHashMap<>();
    two.put("a", Map.of("x", "2", "y", "1"));
    two.put("b", List.of(1, 2));

    assertThat(CanonicalJson.write(one)).isEqualTo(CanonicalJson.write(two));
  }

  @Test
  void floatingPointAndOtherTypesAreRefused() {
    assertThatThrownBy(() -> CanonicalJson.write(1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CanonicalJson.write(Map.of(1, "x")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
