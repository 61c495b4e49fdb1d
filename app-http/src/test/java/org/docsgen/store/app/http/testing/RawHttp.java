package org.docsgen.store.app.http.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request written byte by byte on a plain socket, for what {@code java.net.http} does
 * not let a test control: when the body is sent (chunk by chunk, or not at all until the server
 * answers {@code 100 Continue}) and exactly which interim and final responses arrive.
 */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = socket.getInputStream();
  }

  /** Connects to the server at {@code base}; every read waits at most {@code timeoutMillis}. */
  public static RawHttp connect(URI base, int timeoutMillis) throws IOException {
    Socket socket = new Socket(base.getHost(), base.getPort());
    socket.setSoTimeout(timeoutMillis);
    return new RawHttp(socket);
  }

  /** Writes the request line and headers ({@code name, value} pairs) and the blank line. */
  public RawHttp head(String method, String target, String... headers) throws IOException {
    StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
    head.append("Host: 127.0.0.1:").append(socket.getPort()).append("\r\n");
    for (int i = 0; i < headers.length; i += 2) {
      head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(ISO_8859_1));
    out.flush();
    return this;
  }

  /** The socket's output, for a test that writes a body from its own thread while it reads. */
  public OutputStream output() {
    return out;
  }

  /** Writes raw body bytes (for a request with {@code Content-Length}). */
  public RawHttp body(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Writes one chunk of a {@code Transfer-Encoding: chunked} body. */
  public RawHttp chunk(String text) throws IOException {
    byte[] bytes = text.getBytes(UTF_8);
    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(ISO_8859_1));
    out.write(bytes);
    out.write("\r\n".getBytes(ISO_8859_1));
    out.flush();
    return this;
  }

  /** Writes the last chunk, ending the body. */
  public RawHttp lastChunk() throws IOException {
    out.write("0\r\n\r\n".getBytes(ISO_8859_1));
    out.flush();
    return this;
  }

  /** A response: its status, headers (lower-case names) and body. */
  public record Reply(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /**
   * Reads the next response head (an interim {@code 1xx} or a final one) and, for a final one, its
   * body (by {@code Content-Length}, or chunked).
   *
   * @throws SocketTimeoutException nothing arrived within the timeout
   */
  public Reply read() throws IOException {
    String statusLine = line();
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP response: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(); !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).strip());
    }
    if (status < 200) {
      return new Reply(status, headers, "");
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int size = Integer.parseInt(line().strip(), 16); size > 0; ) {
        body.write(in.readNBytes(size));
        line();
        size = Integer.parseInt(line().strip(), 16);
      }
      line();
    } else if (headers.containsKey("content-length")) {
      body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
    }
    return new Reply(status, headers, body.toString(UTF_8));
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the connection closed mid-response after: " + line);
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
