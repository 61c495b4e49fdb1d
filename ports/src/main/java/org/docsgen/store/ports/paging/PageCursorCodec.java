package org.docsgen.store.ports.paging;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.docsgen.store.ports.error.InvalidInputException;

/**
 * How every adapter writes and reads its page cursors. A cursor is the UTF-8 text of where a
 * listing resumes — fields joined by a separator, usually a tag naming the listing followed by the
 * sort key of the page's last item — encoded base64url without padding, so it is opaque to clients
 * and safe in a query string. The fields, the separator and the refusal wording are the adapter's
 * (its format, which must not change once cursors were handed out); the encoding, the splitting and
 * the refusal of anything else (not base64url, wrong number of fields, wrong tag, a number that is
 * not one) are here, once.
 */
public final class PageCursorCodec {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final String separator;
  private final Pattern split;
  private final Function<String, String> refusal;

  private PageCursorCodec(String separator, Function<String, String> refusal) {
    requireNonNull(separator, "separator is null");
    if (separator.isEmpty()) {
      throw new IllegalArgumentException("the separator is empty");
    }
    this.separator = separator;
    this.split = Pattern.compile(Pattern.quote(separator));
    this.refusal = requireNonNull(refusal, "refusal is null");
  }

  /**
   * A codec joining fields with {@code separator}; a cursor it cannot read is refused with {@code
   * refusal}'s message for that cursor (field {@code cursor}).
   */
  public static PageCursorCodec of(String separator, Function<String, String> refusal) {
    return new PageCursorCodec(separator, refusal);
  }

  /** A codec whose refusal message is the same whatever the cursor. */
  public static PageCursorCodec of(String separator, String refusal) {
    requireNonNull(refusal, "refusal is null");
    return new PageCursorCodec(separator, cursor -> refusal);
  }

  /**
   * The cursor of {@code fields} (each written with {@code toString()}).
   *
   * @throws IllegalArgumentException a field contains the separator (it could not be read back)
   */
  public String encode(Object... fields) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < fields.length; i++) {
      String field = String.valueOf(fields[i]);
      if (field.contains(separator)) {
        throw new IllegalArgumentException("a cursor field contains the separator: " + field);
      }
      if (i > 0) {
        text.append(separator);
      }
      text.append(field);
    }
    return ENCODER.encodeToString(text.toString().getBytes(UTF_8));
  }

  /**
   * The fields of {@code cursor}, exactly {@code count} of them.
   *
   * @throws InvalidInputException (field {@code cursor}) the cursor is not base64url or does not
   *     hold {@code count} fields
   */
  public Fields decode(String cursor, int count) {
    requireNonNull(cursor, "cursor is null");
    String text;
    try {
      text = new String(DECODER.decode(cursor), UTF_8);
    } catch (IllegalArgumentException e) {
      throw refused(cursor);
    }
    String[] fields = split.split(text, -1);
    if (fields.length != count) {
      throw refused(cursor);
    }
    return new Fields(cursor, List.of(fields));
  }

  /**
   * The fields after the tag of a cursor whose first field is {@code tag}: {@code count} of them.
   *
   * @throws InvalidInputException (field {@code cursor}) as {@link #decode}, or the cursor carries
   *     another tag (it belongs to another listing)
   */
  public Fields decodeTagged(String cursor, String tag, int count) {
    Fields all = decode(cursor, count + 1);
    if (!all.get(0).equals(tag)) {
      throw refused(cursor);
    }
    return new Fields(cursor, all.values.subList(1, all.values.size()));
  }

  /** The refusal of {@code cursor}: an {@link InvalidInputException} for the field "cursor". */
  public InvalidInputException refused(String cursor) {
    return new InvalidInputException("cursor", refusal.apply(cursor));
  }

  /** The fields of one decoded cursor; reading one as a number refuses the cursor if it is not. */
  public final class Fields {
    private final String cursor;
    private final List<String> values;

    private Fields(String cursor, List<String> values) {
      this.cursor = cursor;
      this.values = values;
    }

    public int size() {
      return values.size();
    }

    public String get(int index) {
      return values.get(index);
    }

    /** The field as an {@code int} ({@link Integer#parseInt}); refuses the cursor otherwise. */
    public int intAt(int index) {
      try {
        return Integer.parseInt(values.get(index));
      } catch (NumberFormatException e) {
        throw refused(cursor);
      }
    }

    /** The field as a {@code long} ({@link Long#parseLong}); refuses the cursor otherwise. */
    public long longAt(int index) {
      try {
        return Long.parseLong(values.get(index));
      } catch (NumberFormatException e) {
        throw refused(cursor);
      }
    }

    public List<String> values() {
      return values;
    }
  }
}
