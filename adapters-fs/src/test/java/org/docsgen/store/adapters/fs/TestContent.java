package org.docsgen.store.adapters.fs;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.docsgen.store.ports.guard.OverwriteTokens;

/** Shared by the tests and the child JVMs they start: the token key, a fixed clock, content. */
final class TestContent {
  static final byte[] TOKEN_KEY = "adapters-fs-test-overwrite-token-key-0123456789".getBytes(UTF_8);
  static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

  private TestContent() {}

  static Clock clock() {
    return Clock.fixed(NOW, ZoneOffset.UTC);
  }

  static OverwriteTokens tokens() {
    return new OverwriteTokens(TOKEN_KEY, clock());
  }

  /** {@code size} deterministic bytes derived from {@code seed}: same seed, same bytes. */
  static byte[] bytes(String seed, int size) {
    byte[] line =
        ("content of " + seed + " 0123456789abcdefghijklmnopqrstuvwxyz\n").getBytes(UTF_8);
    byte[] out = new byte[size];
    for (int i = 0; i < size; i++) {
      out[i] = line[i % line.length];
    }
    return out;
  }

  /** A stream of {@code size} deterministic bytes that never holds them all in memory. */
  static InputStream stream(String seed, long size) {
    byte[] line =
        ("content of " + seed + " 0123456789abcdefghijklmnopqrstuvwxyz\n").getBytes(UTF_8);
    return new InputStream() {
      private long position;

      @Override
      public int read() {
        return position < size ? line[(int) (position++ % line.length)] & 0xff : -1;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) {
        if (position >= size) {
          return -1;
        }
        int n = (int) Math.min(length, size - position);
        for (int i = 0; i < n; i++) {
          buffer[offset + i] = line[(int) (position++ % line.length)];
        }
        return n;
      }
    };
  }
}
