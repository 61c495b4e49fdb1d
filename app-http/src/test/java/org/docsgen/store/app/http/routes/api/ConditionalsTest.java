package org.docsgen.store.app.http.routes.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.docsgen.store.app.http.problem.ApiException;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.ports.out.ByteRange;
import org.junit.jupiter.api.Test;

class ConditionalsTest {
  private static final ContentHash HASH = ContentHash.sha256(new byte[] {1});
  private static final String ETAG = Conditionals.etag(HASH);

  @Test
  void ranges() {
    assertThat(Conditionals.range("bytes=0-9", null, HASH, 100)).contains(ByteRange.of(0, 9));
    assertThat(Conditionals.range("bytes=90-", null, HASH, 100)).contains(ByteRange.from(90));
    assertThat(Conditionals.range("bytes=-10", null, HASH, 100)).contains(ByteRange.from(90));
    assertThat(Conditionals.range("bytes=-500", null, HASH, 100)).contains(ByteRange.from(0));
    assertThat(Conditionals.range("BYTES=1-2", ETAG, HASH, 100)).contains(ByteRange.of(1, 2));
    assertThat(Conditionals.range("bytes=1-2", "\"other\"", HASH, 100)).isEmpty();
    assertThat(Conditionals.range("bytes=1-2,5-6", null, HASH, 100)).isEmpty();
    assertThat(Conditionals.range("items=1-2", null, HASH, 100)).isEmpty();
    assertThat(Conditionals.range("bytes=5-2", null, HASH, 100)).isEmpty();
    assertThat(Conditionals.range("bytes=x-2", null, HASH, 100)).isEmpty();
    assertThat(Conditionals.range(null, null, HASH, 100)).isEmpty();
  }

  @Test
  void ifNoneMatch() {
    assertThat(Conditionals.noneMatchHits(ETAG, HASH)).isTrue();
    assertThat(Conditionals.noneMatchHits("W/" + ETAG, HASH)).isTrue();
    assertThat(Conditionals.noneMatchHits("\"a\" , " + ETAG, HASH)).isTrue();
    assertThat(Conditionals.noneMatchHits("*", HASH)).isTrue();
    assertThat(Conditionals.noneMatchHits("\"" + HASH.hex() + "\"", HASH)).isFalse();
    assertThat(Conditionals.noneMatchHits(null, HASH)).isFalse();
  }

  @Test
  void lines() {
    assertThat(Conditionals.lines("3-7")).isEqualTo(new Conditionals.Lines(3, 7));
    for (String bad : new String[] {"7-3", "0-2", "-2", "2-", "a-b", "3", "1-2-3", "1 -2"}) {
      assertThatThrownBy(() -> Conditionals.lines(bad)).as(bad).isInstanceOf(ApiException.class);
    }
  }

  @Test
  void strictPercentDecoding() {
    assertThat(ArtifactPaths.decode("a%2Eb%20c")).isEqualTo("a.b c");
    for (String bad : new String[] {"%", "%2", "%zz", "%c0%ae", "%ff", "\u00e9"}) {
      assertThatThrownBy(() -> ArtifactPaths.decode(bad)).as(bad).isInstanceOf(ApiException.class);
    }
  }
}
