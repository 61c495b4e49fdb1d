package org.docsgen.store.app.cli.reliability.support;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client's own record of what the server acknowledged: every (path, generation) answered 201 or
 * 200, with the SHA-256 the client computed over the bytes it sent. The server's own word is never
 * the proof: {@link #check} reads every entry back through a {@link Reader} the test gives (HTTP,
 * the CLI, ...) and compares the bytes with the ledger's hash.
 */
public final class Ledger {
  /** One acknowledged version: what the server promised to keep. */
  public record Ack(String path, int generation, String sha256, long size) {}

  /** How a check reads one version back: the bytes, or empty when the store has none. */
  @FunctionalInterface
  public interface Reader {
    Optional<byte[]> read(String path, int generation) throws Exception;
  }

  /** What a check found: counts and up to 20 examples of each failure. */
  public record Check(int checked, List<String> lost, List<String> changed, List<String> errors) {
    public boolean clean() {
      return lost.isEmpty() && changed.isEmpty() && errors.isEmpty();
    }

    @Override
    public String toString() {
      return checked
          + " acknowledged versions read back: "
          + lost.size()
          + " lost, "
          + changed.size()
          + " changed, "
          + errors.size()
          + " unreadable"
          + (clean()
              ? ""
              : "; lost " + head(lost) + " changed " + head(changed) + " errors " + head(errors));
    }

    private static List<String> head(List<String> list) {
      return list.subList(0, Math.min(20, list.size()));
    }
  }

  private final Map<String, Ack> acks = new ConcurrentHashMap<>();

  /** Records an acknowledged write of {@code body} as {@code path}@{@code generation}. */
  public Ack acknowledged(String path, int generation, byte[] body) {
    Ack ack = new Ack(path, generation, sha256(body), body.length);
    Ack earlier = acks.putIfAbsent(path + "@" + generation, ack);
    if (earlier != null && !earlier.sha256().equals(ack.sha256())) {
      throw new AssertionError(
          "the server acknowledged two different contents as "
              + path
              + "@"
              + generation
              + ": "
              + earlier.sha256()
              + " and "
              + ack.sha256());
    }
    return ack;
  }

  public int size() {
    return acks.size();
  }

  /** Every acknowledged version, ordered by path and generation. */
  public List<Ack> all() {
    List<Ack> list = new ArrayList<>(acks.values());
    list.sort(Comparator.comparing(Ack::path).thenComparingInt(Ack::generation));
    return list;
  }

  /** The newest acknowledged generation of {@code path}, if any. */
  public Optional<Ack> latest(String path) {
    return acks.values().stream()
        .filter(a -> a.path().equals(path))
        .max(Comparator.comparingInt(Ack::generation));
  }

  /** Reads every acknowledged version back and compares it with the recorded hash. */
  public Check check(Reader reader) {
    List<String> lost = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<Ack> all = all();
    for (Ack ack : all) {
      String name = ack.path() + "@" + ack.generation();
      try {
        Optional<byte[]> bytes = reader.read(ack.path(), ack.generation());
        if (bytes.isEmpty()) {
          lost.add(name);
        } else if (!sha256(bytes.get()).equals(ack.sha256())) {
          changed.add(name);
        }
      } catch (Exception e) {
        errors.add(name + ": " + e);
      }
    }
    return new Check(all.size(), lost, changed, errors);
  }

  public static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
