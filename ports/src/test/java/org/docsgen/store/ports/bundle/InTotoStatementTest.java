package org.docsgen.store.ports.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.docsgen.store.ports.testing.TestJsonParser;
import org.junit.jupiter.api.Test;

class InTotoStatementTest {
  private static InTotoStatement parse(String text) {
    return InTotoStatement.parse(TestJsonParser.INSTANCE, text);
  }

  @Test
  void readsTheFieldsNotTheText() {
    InTotoStatement statement =
        parse(
            "{\"predicate\":{\"note\":\"\\\"runId\\\":\\\"run_b\\\"\",\"runId\":\"run_a\"},"
                + "\"_type\":\"https://in-toto.io/Statement/v1\","
                + "\"predicateType\":\"urn:docsgen:bundle-attestation:v1\","
                + "\"subject\":[{\"name\":\"x\",\"digest\":{\"sha256\":\"ab\"}}]}");

    assertThat(statement.type()).isEqualTo(InTotoStatement.STATEMENT_TYPE);
    assertThat(statement.predicateType()).isEqualTo(InTotoStatement.PREDICATE_TYPE);
    assertThat(statement.runId()).isEqualTo("run_a");
    assertThat(statement.subjects())
        .isEqualTo(List.of(Map.of("name", "x", "digest", Map.of("sha256", "ab"))));
  }

  @Test
  void fieldsOfAnotherTypeOrAbsentReadAsNull() {
    InTotoStatement statement =
        parse("{\"_type\":1,\"predicate\":[],\"predicateType\":null,\"subject\":{}}");

    assertThat(statement.type()).isNull();
    assertThat(statement.predicateType()).isNull();
    assertThat(statement.runId()).isNull();
    assertThat(statement.subjects()).isNull();
    assertThat(parse("{}").runId()).isNull();
  }

  @Test
  void textThatIsNotOneJsonObjectIsNoStatement() {
    assertThat(parse("not json")).isNull();
    assertThat(parse("[1]")).isNull();
    assertThat(parse("{} {}")).isNull();
    assertThat(parse("")).isNull();
    assertThat(parse("{\"_type\":\"a\",\"_type\":\"b\"}")).as("repeated key").isNull();
  }
}
