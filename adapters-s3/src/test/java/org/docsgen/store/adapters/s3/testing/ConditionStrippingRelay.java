package org.docsgen.store.adapters.s3.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A TCP relay on 127.0.0.1 in front of a real S3 server that removes {@code If-None-Match} from
 * every request head (and closes each connection after one exchange, so every request head passes
 * through here). The endpoint it offers therefore ignores conditional puts, like an S3-compatible
 * server without support for them.
 */
final class ConditionStrippingRelay implements AutoCloseable {
  private final ServerSocket server;
  private final int upstreamPort;
  private final Thread acceptor;

  ConditionStrippingRelay(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "condition-stripping-relay");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread handler = new Thread(() -> relay(client), "relay-connection");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void relay(Socket client) {
    try (client;
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      byte[] head = rewriteHead(readHead(in));
      upstream.getOutputStream().write(head);
      upstream.getOutputStream().flush();
      Thread body =
          new Thread(
              () -> {
                try {
                  pump(in, upstream.getOutputStream());
                } catch (IOException ignored) {
                  // the exchange ended
                }
              },
              "relay-body");
      body.setDaemon(true);
      body.start();
      pump(upstream.getInputStream(), client.getOutputStream());
    } catch (IOException ignored) {
      // a client or the upstream went away: nothing to relay any more
    }
  }

  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed inside a request head");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toByteArray();
  }

  private static byte[] rewriteHead(byte[] head) {
    String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (line.isEmpty() || lower.startsWith("if-none-match:") || lower.startsWith("connection:")) {
        continue;
      }
      out.append(line).append("\r\n");
    }
    out.append("Connection: close\r\n\r\n");
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void pump(InputStream from, OutputStream to) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = from.read(buffer)) >= 0) {
      to.write(buffer, 0, n);
      to.flush();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
