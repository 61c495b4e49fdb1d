package org.docsgen.store.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Deterministic markdown-like text: headings, paragraphs of words from a small technical
 * vocabulary, bullet lists, tables and fenced code, so it compresses roughly as generated
 * documentation does (not as random bytes, not as one repeated line).
 */
final class MarkdownText {
  private static final String[] WORDS = {
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "is",
    "for",
    "on",
    "with",
    "as",
    "by",
    "that",
    "this",
    "artifact",
    "run",
    "stage",
    "phase",
    "bundle",
    "manifest",
    "store",
    "version",
    "generation",
    "hash",
    "path",
    "request",
    "response",
    "server",
    "client",
    "configuration",
    "module",
    "service",
    "interface",
    "method",
    "returns",
    "throws",
    "parameter",
    "value",
    "field",
    "record",
    "index",
    "commit",
    "transaction",
    "database",
    "schema",
    "migration",
    "listing",
    "page",
    "cursor",
    "validation",
    "issue",
    "severity",
    "approval",
    "gate",
    "execution",
    "attempt",
    "status",
    "documentation",
    "overview",
    "architecture",
    "deployment",
    "operations",
    "security",
    "token",
    "signature",
    "attestation",
    "checksum",
    "stream",
    "buffer",
    "file",
    "directory",
    "backend",
    "PostgreSQL",
    "SQLite",
    "S3",
    "HTTP",
    "JSON",
    "YAML",
    "Java",
    "Maven",
    "retry",
    "timeout",
    "limit",
    "error",
    "warning",
    "example",
    "see",
    "also",
    "when",
    "if",
    "each",
    "every",
    "one",
    "two",
    "three",
    "must",
    "may",
    "should",
    "never",
    "always",
    "only",
    "not",
    "new",
    "old",
  };

  private MarkdownText() {}

  /** Exactly {@code size} bytes of ASCII markdown for file number {@code index}. */
  static byte[] generate(long seed, int index, int size) {
    Random random = new Random(seed * 1_000_003L + index);
    StringBuilder text = new StringBuilder(size + 1024);
    text.append("# ").append(sentence(random, 3, 6)).append("\n\n");
    int section = 1;
    while (text.length() < size) {
      switch (random.nextInt(8)) {
        case 0 -> text.append("## ").append(section++).append(". ").append(sentence(random, 2, 5));
        case 1 -> {
          for (int i = random.nextInt(3, 7); i > 0; i--) {
            text.append("- ").append(sentence(random, 4, 12)).append('\n');
          }
        }
        case 2 -> {
          text.append("```java\n");
          for (int i = random.nextInt(3, 9); i > 0; i--) {
            text.append("    ")
                .append(word(random))
                .append('.')
                .append(word(random))
                .append('(')
                .append(word(random))
                .append(", ")
                .append(random.nextInt(1000))
                .append(");\n");
          }
          text.append("```");
        }
        case 3 -> {
          text.append("| name | type | description |\n|---|---|---|\n");
          for (int i = random.nextInt(2, 6); i > 0; i--) {
            text.append("| `")
                .append(word(random))
                .append("` | ")
                .append(word(random))
                .append(" | ")
                .append(sentence(random, 3, 8))
                .append(" |\n");
          }
        }
        default -> {
          for (int i = random.nextInt(2, 6); i > 0; i--) {
            text.append(capitalised(sentence(random, 6, 20))).append(". ");
          }
        }
      }
      text.append("\n\n");
    }
    text.setLength(size);
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static String sentence(Random random, int min, int max) {
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(min, max + 1); i > 0; i--) {
      if (s.length() > 0) {
        s.append(' ');
      }
      s.append(word(random));
    }
    return s.toString();
  }

  private static String word(Random random) {
    return WORDS[random.nextInt(WORDS.length)];
  }

  private static String capitalised(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
