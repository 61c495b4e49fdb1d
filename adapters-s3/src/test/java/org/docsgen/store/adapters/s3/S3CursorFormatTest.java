package org.docsgen.store.adapters.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Base64;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.InvalidInputException;
import org.junit.jupiter.api.Test;

/**
 * Cursors already handed to clients must keep reading the same way: base64url (no padding) of the
 * last path listed, or of {@code <path>\n<generation>} for the versions listing.
 */
class S3CursorFormatTest {
  private final RunId run = RunId.of(LocalDate.of(2026, 11, 28), 42);
  private final LogicalPath path = LogicalPath.of(run, Stage.phase(1), "dir/a.md");
  private final S3Keys keys = new S3Keys("p/");
  private final S3Listing listing = new S3Listing(keys, null);

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(UTF_8));
  }

  @Test
  void cursorsKeepTheirFormat() {
    assertThat(S3Listing.latestCursor(path)).isEqualTo(b64(path.toString()));
    assertThat(S3Listing.versionsCursor(path, 3)).isEqualTo(b64(path + "\n3"));
    assertThat(S3Listing.pathCursor(b64(path.toString()), run)).isEqualTo(path);
    assertThat(listing.versionCursor(b64(path + "\n3"), run)).isEqualTo(keys.claimKey(path, 3));
  }

  @Test
  void foreignOrMalformedCursorsAreRefusedNamingTheCursor() {
    RunId other = RunId.of(LocalDate.of(2026, 11, 28), 43);
    assertRefused("%%%", () -> S3Listing.pathCursor("%%%", run));
    String versions = b64(path + "\n3");
    assertRefused(versions, () -> S3Listing.pathCursor(versions, run));
    String latest = b64(path.toString());
    assertRefused(latest, () -> S3Listing.pathCursor(latest, other));
    assertRefused(latest, () -> listing.versionCursor(latest, run));
    assertRefused(versions, () -> listing.versionCursor(versions, other));
    for (String text : new String[] {path + "\n0", path + "\nx", path + "\n3\n4", "a\n3"}) {
      String cursor = b64(text);
      assertRefused(cursor, () -> listing.versionCursor(cursor, run));
    }
  }

  private static void assertRefused(String cursor, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.field()).isEqualTo("cursor");
              assertThat(e.getMessage())
                  .isEqualTo("the cursor '" + cursor + "' was not issued by this listing");
            });
  }
}
