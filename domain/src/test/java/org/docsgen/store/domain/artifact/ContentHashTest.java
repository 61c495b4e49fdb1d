package org.docsgen.store.domain.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.docsgen.store.domain.InvalidValueException;
import org.junit.jupiter.api.Test;

class ContentHashTest {
  private static final String EMPTY =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void hashesAndPrintsCanonically() {
    ContentHash empty = ContentHash.sha256(new byte[0]);
    assertThat(empty.hex()).isEqualTo(EMPTY);
    assertThat(empty).hasToString("sha256:" + EMPTY);
    assertThat(ContentHash.parse("sha256:" + EMPTY)).isEqualTo(empty);
    assertThat(ContentHash.ofDigest(empty.bytes())).isEqualTo(empty);
    assertThat(ContentHash.sha256("abc".getBytes(StandardCharsets.UTF_8)).hex())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void refusesMalformedHashes() {
    assertThatThrownBy(() -> ContentHash.parse(EMPTY)).hasMessageContaining("sha256:");
    assertThatThrownBy(() -> ContentHash.parse("sha256:" + EMPTY.toUpperCase()))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("lowercase");
    assertThatThrownBy(() -> ContentHash.parse("sha256:" + EMPTY.substring(1)))
        .isInstanceOf(InvalidValueException.class);
    assertThatThrownBy(() -> ContentHash.ofDigest(new byte[31]))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("32 bytes");
  }
}
