package org.docsgen.store.app.cli.reliability;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request written byte for byte on a plain socket ({@code Connection: close}), so
 * nothing normalises the target, the headers or the body on the way: what the hostile-input and
 * tamper kinds need. The body can be sent as declared, with a {@code Content-Length} shorter or
 * longer than what is sent, cut off by the client, or as broken chunks.
 */
final class RawExchange {
  /** How the body goes out. */
  enum BodyMode {
    /** {@code Content-Length} equals the bytes sent. */
    EXACT,
    /** {@code Content-Length} is half of what is sent (the rest follows on the connection). */
    LENGTH_SHORTER,
    /** {@code Content-Length} is twice what is sent, then the client half-closes. */
    LENGTH_LONGER,
    /** {@code Content-Length} as declared, half of the body sent, then the socket is closed. */
    EARLY_CLOSE,
    /** {@code Transfer-Encoding: chunked} with a malformed chunk. */
    CHUNKED_JUNK,
    /** Both {@code Content-Length} and {@code Transfer-Encoding: chunked} (smuggling shape). */
    LENGTH_AND_CHUNKED
  }

  /**
   * What came back: {@code status} -1 when the connection ended without a response, -2 when the
   * client closed it itself ({@link BodyMode#EARLY_CLOSE}), -3 when the server closed it while the
   * request was still being sent and no response could be read (it refused early); {@code complete}
   * false when the body ended short of its {@code Content-Length} (or its chunks).
   */
  record Reply(int status, Map<String, String> headers, byte[] body, boolean complete) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String text() {
      return new String(body, UTF_8);
    }

    @Override
    public String toString() {
      String t = text();
      return status
          + " "
          + headers.get("content-type")
          + " "
          + (t.length() > 600 ? t.substring(0, 600) + "…" : t);
    }
  }

  private RawExchange() {}

  /** Sends {@code method target} with {@code headers} (name, value pairs) and {@code body}. */
  static Reply send(
      URI base, String method, byte[] target, List<String> headers, byte[] body, BodyMode mode)
      throws IOException {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      head.write((method + " ").getBytes(ISO_8859_1));
      head.write(target);
      head.write(
          (" HTTP/1.1\r\nHost: 127.0.0.1:" + base.getPort() + "\r\nConnection: close\r\n")
              .getBytes(ISO_8859_1));
      for (int i = 0; i < headers.size(); i += 2) {
        head.write((headers.get(i) + ": ").getBytes(ISO_8859_1));
        head.write(headers.get(i + 1).getBytes(UTF_8));
        head.write("\r\n".getBytes(ISO_8859_1));
      }
      byte[] b = body == null ? new byte[0] : body;
      switch (mode) {
        case EXACT, EARLY_CLOSE -> {
          if (body != null) {
            head.write(("Content-Length: " + b.length + "\r\n").getBytes(ISO_8859_1));
          }
        }
        case LENGTH_SHORTER ->
            head.write(("Content-Length: " + b.length / 2 + "\r\n").getBytes(ISO_8859_1));
        case LENGTH_LONGER ->
            head.write(("Content-Length: " + (b.length * 2 + 1) + "\r\n").getBytes(ISO_8859_1));
        case CHUNKED_JUNK -> head.write("Transfer-Encoding: chunked\r\n".getBytes(ISO_8859_1));
        case LENGTH_AND_CHUNKED ->
            head.write(
                ("Content-Length: " + b.length + "\r\nTransfer-Encoding: chunked\r\n")
                    .getBytes(ISO_8859_1));
      }
      head.write("\r\n".getBytes(ISO_8859_1));
      boolean serverClosed = false;
      try {
        out.write(head.toByteArray());
        switch (mode) {
          case EXACT, LENGTH_SHORTER -> out.write(b);
          case LENGTH_LONGER -> {
            out.write(b);
            out.flush();
            socket.shutdownOutput();
          }
          case EARLY_CLOSE -> {
            out.write(b, 0, b.length / 2);
            out.flush();
            socket.setSoLinger(true, 0); // an abrupt end (RST), as a client that dies
            return new Reply(-2, Map.of(), new byte[0], true);
          }
          case CHUNKED_JUNK -> {
            out.write((Integer.toHexString(b.length) + "\r\n").getBytes(ISO_8859_1));
            out.write(b);
            out.write("\r\nzz\r\nnot a chunk\r\n".getBytes(ISO_8859_1));
            out.flush();
            socket.shutdownOutput();
          }
          case LENGTH_AND_CHUNKED -> {
            out.write((Integer.toHexString(b.length) + "\r\n").getBytes(ISO_8859_1));
            out.write(b);
            out.write("\r\n0\r\n\r\n".getBytes(ISO_8859_1));
          }
        }
        out.flush();
      } catch (IOException e) {
        // the server answered early (a refusal) and closed while the body was still going out:
        // its answer may still be readable
        serverClosed = true;
      }
      try {
        Reply reply = read(socket.getInputStream());
        return serverClosed && reply.status() == -1
            ? new Reply(-3, Map.of(), new byte[0], false)
            : reply;
      } catch (SocketTimeoutException e) {
        throw new IOException("no answer within 60 s", e);
      }
    }
  }

  /** A plain request with an exact body. */
  static Reply send(URI base, String method, String target, byte[] body, String... headers)
      throws IOException {
    return send(base, method, target.getBytes(UTF_8), List.of(headers), body, BodyMode.EXACT);
  }

  private static Reply read(InputStream in) throws IOException {
    byte[] all;
    try {
      all = in.readAllBytes();
    } catch (IOException e) { // reset by the server after it answered: keep what arrived
      all = new byte[0];
    }
    int end = indexOf(all, "\r\n\r\n".getBytes(ISO_8859_1));
    if (all.length == 0 || end < 0) {
      return new Reply(-1, Map.of(), all, false);
    }
    String[] lines = new String(all, 0, end, ISO_8859_1).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
      return new Reply(-1, Map.of(), all, false);
    }
    int status = Integer.parseInt(statusLine[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).strip());
      }
    }
    int start = end + 4;
    byte[] rest = java.util.Arrays.copyOfRange(all, start, all.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      return dechunk(status, headers, rest);
    }
    String length = headers.get("content-length");
    if (length != null) {
      long declared = Long.parseLong(length);
      boolean complete = rest.length >= declared;
      byte[] body = complete ? java.util.Arrays.copyOf(rest, (int) declared) : rest;
      return new Reply(status, headers, body, complete);
    }
    return new Reply(status, headers, rest, true);
  }

  private static Reply dechunk(int status, Map<String, String> headers, byte[] rest) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int at = 0;
    while (true) {
      int eol = indexOf(rest, at, "\r\n".getBytes(ISO_8859_1));
      if (eol < 0) {
        return new Reply(status, headers, body.toByteArray(), false);
      }
      String sizeText = new String(rest, at, eol - at, ISO_8859_1).strip();
      int semicolon = sizeText.indexOf(';');
      int size;
      try {
        size = Integer.parseInt(semicolon < 0 ? sizeText : sizeText.substring(0, semicolon), 16);
      } catch (NumberFormatException e) {
        return new Reply(status, headers, body.toByteArray(), false);
      }
      at = eol + 2;
      if (size == 0) {
        return new Reply(status, headers, body.toByteArray(), true);
      }
      if (at + size > rest.length) {
        body.write(rest, at, rest.length - at);
        return new Reply(status, headers, body.toByteArray(), false);
      }
      body.write(rest, at, size);
      at += size + 2;
    }
  }

  private static int indexOf(byte[] data, byte[] what) {
    return indexOf(data, 0, what);
  }

  private static int indexOf(byte[] data, int from, byte[] what) {
    outer:
    for (int i = from; i <= data.length - what.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (data[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Name, value pairs as a list (for building requests). */
  static List<String> headers(String... pairs) {
    return new ArrayList<>(List.of(pairs));
  }
}
