package org.docsgen.store.adapters.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.docsgen.store.ports.error.InvalidInputException;
import org.junit.jupiter.api.Test;

/**
 * Cursors already handed to clients must keep reading the same way: base64url (no padding) of the
 * listing's name and the key parts, separated by {@code \n}.
 */
class PageCursorsTest {
  private static final String REFUSAL =
      "the cursor is malformed or belongs to another listing; start from the first page";

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(UTF_8));
  }

  @Test
  void cursorsKeepTheirFormat() {
    assertThat(PageCursors.encode("runs", "2026-11-28", 1)).isEqualTo("cnVucwoyMDI2LTExLTI4CjE");
    assertThat(PageCursors.encode("outputs", "p/q")).isEqualTo(b64("outputs\np/q"));
    assertThat(PageCursors.decode("runs", "cnVucwoyMDI2LTExLTI4CjE", 2).get(0))
        .isEqualTo("2026-11-28");
    assertThat(PageCursors.decode("runs", "cnVucwoyMDI2LTExLTI4CjE", 2).get(1)).isEqualTo("1");
    assertThat(PageCursors.decode("issues", b64("issues\n17"), 1).get(0)).isEqualTo("17");
  }

  @Test
  void foreignOrMalformedCursorsAreRefusedWithTheSameMessage() {
    assertRefused(() -> PageCursors.decode("runs", "%%%", 2));
    assertRefused(() -> PageCursors.decode("latest", "cnVucwoyMDI2LTExLTI4CjE", 2));
    assertRefused(() -> PageCursors.decode("runs", "cnVucwoyMDI2LTExLTI4CjE", 1));
    assertRefused(() -> PageCursors.decode("runs", b64("runs\na\nb\nc"), 2));
    assertRefused(() -> PageCursors.decode("runs", b64(""), 1));
    assertRefused(() -> PageCursors.decode("runs", b64("runs\nday\nx"), 2).intAt(1));
    assertRefused(() -> PageCursors.decode("issues", b64("issues\nx"), 1).longAt(0));
  }

  private static void assertRefused(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.field()).isEqualTo("cursor");
              assertThat(e.getMessage()).isEqualTo(REFUSAL);
            });
  }
}
