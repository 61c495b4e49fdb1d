package org.docsgen.store.app.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.docsgen.store.app.http.testing.TestServer.WRITER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.docsgen.store.app.http.testing.Api;
import org.docsgen.store.app.http.testing.RawHttp;
import org.docsgen.store.app.http.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload answered before its body was read (docs/reliability.md § Race, found 2; § Outage, found
 * 1): a client that did not ask for {@code 100 Continue} and is still sending must read the whole
 * answer — status line and problem — rather than a connection reset. The body (1 MiB, well inside
 * the server's drain bounds) arrives in small blocks with pauses, and the answer is read once it is
 * sent, as many clients do: a server that closes while bytes are still arriving makes the kernel
 * send a reset, which discards the answer still unread on the client's side. So the raw-socket
 * rounds also require that the whole body could be sent (the server kept reading it, within its
 * drain bounds, instead of closing under the client): before the fix every such round failed with a
 * broken pipe; the lost answer itself showed only rarely (1 of 20 JDK-client rounds, once).
 */
class EarlyAnswerTest {
  private static final long MAX = 64 * 1024;
  private static final int BODY = 1024 * 1024;
  private static final int BLOCK = 16 * 1024;
  private static final int ROUNDS = 20;
  private static final int JDK_ROUNDS = 20;

  @TempDir Path dir;
  private TestServer server;
  private Api api;

  @BeforeEach
  void start() {
    server = TestServer.embedded(dir, "  maxArtifactBytes: " + MAX + "\n");
    api = server.api();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aWriteRefusedOnArrivalIsAnsweredWhileTheBodyIsStillBeingSent() throws Exception {
    String runId = api.createRun(WRITER, List.of("docsgen.md"), false); // no running execution
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      String answer =
          answerTo(runId + "/phase1/a" + i + ".md", true, "Transfer-Encoding", "chunked");
      check(failures, i, answer, 409, "no-running-execution");
    }
    assertThat(failures).as("rounds without the whole 409").isEmpty();
  }

  @Test
  void aChunkedBodyPastTheLimitIsAnsweredWhileItIsStillBeingSent() throws Exception {
    String runId = api.createRun(WRITER, List.of("docsgen.md"), false);
    api.start(WRITER, runId, "phase1");
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      String answer =
          answerTo(runId + "/phase1/big" + i + ".md", true, "Transfer-Encoding", "chunked");
      check(failures, i, answer, 413, "payload-too-large");
    }
    assertThat(failures).as("rounds without the whole 413").isEmpty();
  }

  @Test
  void aWriteRefusedOnArrivalReachesTheJdkClientWhileItStillSends() throws Exception {
    String runId = api.createRun(WRITER, List.of("docsgen.md"), false); // no running execution
    List<String> failures = new ArrayList<>();
    // one client, as an uploader has
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (int i = 0; i < JDK_ROUNDS; i++) {
      HttpRequest request =
          HttpRequest.newBuilder(
                  server
                      .server()
                      .uri()
                      .resolve("/api/artifacts/" + runId + "/phase1/j" + i + ".md"))
              .timeout(Duration.ofSeconds(60))
              .header("Authorization", "Bearer " + WRITER)
              .header("X-Artifact-Type", "DOCUMENTATION")
              .PUT(HttpRequest.BodyPublishers.ofInputStream(SlowBody::new))
              .build();
      String answer;
      try {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        answer = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        answer = "no answer: " + e;
      }
      check(failures, i, answer, 409, "no-running-execution");
    }
    assertThat(failures).as("rounds without the whole 409").isEmpty();
  }

  /** {@link #BODY} bytes, one block per read, pausing between reads. */
  private static final class SlowBody extends java.io.InputStream {
    private int at;

    @Override
    public int read() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (at >= BODY) {
        return -1;
      }
      try {
        Thread.sleep(at == 0 ? 0 : 10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      int n = Math.min(Math.min(len, BLOCK), BODY - at);
      java.util.Arrays.fill(b, off, off + n, (byte) 'x');
      at += n;
      return n;
    }
  }

  private static void check(
      List<String> failures, int round, String answer, int status, String code) {
    if (!answer.startsWith(status + " ")) {
      failures.add(round + ": " + answer);
      return;
    }
    try {
      JsonNode problem = new ObjectMapper().readTree(answer.substring(answer.indexOf(' ') + 1));
      if (!problem.path("type").asText().endsWith("/" + code)) {
        failures.add(round + ": " + answer);
      }
    } catch (IOException e) {
      failures.add(round + ": unparsable problem " + answer);
    }
  }

  /** "status problem-json", or what went wrong while reading the answer. */
  private String answerTo(String path, boolean chunked, String... framing) throws Exception {
    try (RawHttp raw = RawHttp.connect(server.server().uri(), 30_000)) {
      List<String> headers = new ArrayList<>();
      headers.addAll(
          List.of(
              "Authorization", "Bearer " + WRITER,
              "X-Artifact-Type", "DOCUMENTATION",
              "Content-Type", "text/markdown"));
      headers.addAll(List.of(framing));
      raw.head("PUT", "/api/artifacts/" + path, headers.toArray(String[]::new));
      java.util.concurrent.atomic.AtomicReference<String> sent =
          new java.util.concurrent.atomic.AtomicReference<>("not sent");
      Thread sender =
          new Thread(() -> sent.set(send(raw.output(), chunked)), "early-answer-sender");
      sender.setDaemon(true);
      sender.start();
      // like many clients, read the answer once the body is sent (or its sending failed)
      sender.join(60_000);
      if (!sent.get().isEmpty()) {
        // the server closed while the body (inside its drain bounds) was still being sent
        return "body cut off: " + sent.get();
      }
      try {
        RawHttp.Reply reply = raw.read();
        return reply.status() + " " + reply.body();
      } catch (IOException e) {
        return "no answer: " + e;
      }
    }
  }

  /**
   * Writes the body block by block with a short pause between blocks, as a client on a real network
   * does (a server that merely takes what has already arrived cannot see its end); "" when the
   * whole body went out, else why it could not.
   */
  private static String send(OutputStream out, boolean chunked) {
    byte[] block = new byte[BLOCK];
    java.util.Arrays.fill(block, (byte) 'x');
    try {
      for (int sent = 0; sent < BODY; sent += block.length) {
        out.flush();
        Thread.sleep(10);
        if (chunked) {
          out.write((Integer.toHexString(block.length) + "\r\n").getBytes(ISO_8859_1));
        }
        out.write(block);
        if (chunked) {
          out.write("\r\n".getBytes(ISO_8859_1));
        }
      }
      if (chunked) {
        out.write("0\r\n\r\n".getBytes(ISO_8859_1));
      }
      out.flush();
      return "";
    } catch (IOException closedByTheServer) {
      return closedByTheServer.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
