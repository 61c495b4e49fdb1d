package org.docsgen.store.ports.paging;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.docsgen.store.ports.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class PageCursorCodecTest {
  private static final PageCursorCodec PIPES = PageCursorCodec.of("|", "refused");
  private static final PageCursorCodec LINES =
      PageCursorCodec.of("\n", cursor -> "the cursor '" + cursor + "' is refused");

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(UTF_8));
  }

  @Test
  void aCursorIsTheBase64urlOfTheJoinedFieldsWithoutPadding() {
    assertThat(PIPES.encode("V", "run/phase1/a.md", 3)).isEqualTo(b64("V|run/phase1/a.md|3"));
    assertThat(LINES.encode("runs", "2026-11-28", 1)).isEqualTo("cnVucwoyMDI2LTExLTI4CjE");
    assertThat(LINES.encode("only")).isEqualTo(b64("only"));
    // '?' and '>' in the text give '_' and '-' in base64url, never '/' or '+'
    assertThat(LINES.encode("??>>")).doesNotContain("/", "+", "=");
  }

  @Test
  void decodingGivesTheFieldsBack() {
    PageCursorCodec.Fields fields = PIPES.decode(PIPES.encode("V", "a.md", 3), 3);
    assertThat(fields.values()).containsExactly("V", "a.md", "3");
    assertThat(fields.intAt(2)).isEqualTo(3);
    assertThat(LINES.decode(LINES.encode("issues", 1L << 40), 2).longAt(1)).isEqualTo(1L << 40);
    assertThat(PIPES.decodeTagged(PIPES.encode("L", "a.md"), "L", 1).values())
        .containsExactly("a.md");
    assertThat(PIPES.decode(b64("a||"), 3).values()).containsExactly("a", "", "");
  }

  @Test
  void anythingElseIsRefusedAsBadInputNamingTheCursorField() {
    assertRefused(() -> PIPES.decode("%%%", 1), "refused");
    assertRefused(() -> PIPES.decode(b64("a|b"), 1), "refused");
    assertRefused(() -> PIPES.decode(b64("a|b"), 3), "refused");
    assertRefused(() -> PIPES.decodeTagged(b64("L|a"), "V", 1), "refused");
    assertRefused(() -> PIPES.decode(b64("a|x"), 2).intAt(1), "refused");
    assertRefused(() -> PIPES.decode(b64("a|x"), 2).longAt(1), "refused");
    String cursor = b64("x\ny");
    assertRefused(() -> LINES.decode(cursor, 1), "the cursor '" + cursor + "' is refused");
  }

  @Test
  void aFieldHoldingTheSeparatorCannotBeEncoded() {
    assertThatThrownBy(() -> PIPES.encode("L", "a|b"))
        .isInstanceOf(IllegalArgumentException.class)
        .isNotInstanceOf(InvalidInputException.class);
  }

  private static void assertRefused(ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.field()).isEqualTo("cursor");
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }
}
