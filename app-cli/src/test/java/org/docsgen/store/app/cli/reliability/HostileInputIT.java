package org.docsgen.store.app.cli.reliability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.sessions.JqwikSession;
import org.docsgen.store.app.cli.reliability.RawExchange.BodyMode;
import org.docsgen.store.app.cli.reliability.RawExchange.Reply;
import org.docsgen.store.app.cli.reliability.StoreSnapshot.Manifest;
import org.docsgen.store.app.cli.reliability.support.DocsgenServer;
import org.docsgen.store.app.cli.reliability.support.Http;
import org.docsgen.store.app.cli.reliability.support.Ledger;
import org.docsgen.store.app.cli.reliability.support.Reliability;
import org.docsgen.store.app.cli.reliability.support.StoreConfig;
import org.docsgen.store.app.http.json.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kind 5, hostile input: generated requests (jqwik {@link Arbitraries}, one seeded stream) sent
 * byte for byte on raw sockets to the server jar running as a process over fs + SQLite — hostile
 * paths, headers, JSON bodies (malformed, huge, wrong lengths, cut off) and query parameters.
 *
 * <p>The oracle, per case: never a 5xx; a case built to be invalid is a 4xx (a valid request that
 * happens to be generated may be 2xx: it is counted as accepted); every 4xx is {@code
 * application/problem+json} whose {@code status} is the response's and whose text shows no server
 * path, SQL or stack trace. Per case that could write (and every 25 reads): the artifact root
 * (every entry, every file's size and SHA-256) and the manifest (every row of every table) are the
 * same as before unless the request was accepted. Every 100 cases and at the end: nothing was
 * created in the directory tree around the data root (a sentinel tree) or in the server's temp
 * directory. At the end the acknowledged artifacts read back byte for byte and the server is alive.
 */
@Tag("reliability")
@Tag("reliability-hostile")
class HostileInputIT {
  private static final Pattern LEAK =
      Pattern.compile(
          "(?i)(/tmp/|/home/|/work/|/root/|\\.java:|\\bat (org|java|com|io)\\.|exception|"
              + "\\bselect\\b.*\\bfrom\\b|\\binsert into\\b|\\bupdate\\b.*\\bset\\b|sqlite|"
              + "postgres|jdbc:|org\\.docsgen|stack ?trace)");

  @TempDir Path dir;

  private URI base;
  private String run;
  private String token;
  private String otherToken;
  private Random random;
  private Path data;
  private Path serverTmp;
  private Manifest manifest;
  private Map<String, String> storeBefore;
  private Map<String, String> rowsBefore;
  private Map<String, String> outsideBefore;

  // ---- counts
  private final Map<String, Map<String, Integer>> byCategory = new TreeMap<>();
  private final Map<String, Integer> accepted = new TreeMap<>();
  private final List<String> failures = new ArrayList<>();
  private int tried;
  private int storeChecks;

  /** One generated request and what the oracle expects of it. */
  record Case(
      String category,
      String kind,
      String method,
      byte[] target,
      List<String> headers,
      byte[] body,
      BodyMode mode,
      boolean mustRefuse) {
    boolean writes() {
      return !method.equals("GET");
    }

    String describe() {
      String t = new String(target, UTF_8);
      return category
          + "/"
          + kind
          + " "
          + method
          + " "
          + (t.length() > 200 ? t.substring(0, 200) + "…(" + t.length() + ")" : t)
          + " "
          + shorten(headers.toString())
          + " body="
          + (body == null ? "none" : body.length + "B")
          + " "
          + mode;
    }
  }

  @Test
  void generatedHostileRequestsAreRefusedCleanlyAndChangeNothing() throws Exception {
    int cases = Reliability.rounds(600, 5000);
    long seed = Long.getLong("docsgen.hostile.seed", System.nanoTime());
    random = new Random(seed);
    JqwikSession.start(); // jqwik's arbitraries outside a property: drawn from our seeded Random
    try {
      run(cases, seed);
    } finally {
      JqwikSession.finish();
    }
  }

  private void run(int cases, long seed) throws Exception {

    Path deployment = Files.createDirectories(dir.resolve("around/deployment"));
    data = Files.createDirectories(deployment.resolve("data"));
    Files.writeString(dir.resolve("around/sentinel.txt"), "nothing may appear beside me\n");
    serverTmp = Files.createDirectories(dir.resolve("around/server-tmp"));
    Path logs = Files.createDirectories(dir.resolve("logs"));
    StoreConfig config = StoreConfig.fsSqlite(deployment, data);
    Ledger ledger = new Ledger();
    try (DocsgenServer server =
        DocsgenServer.start(
            config,
            logs,
            "hostile",
            List.of("-Xmx512m", "-Djava.io.tmpdir=" + serverTmp.toAbsolutePath()))) {
      base = server.base();
      setUp(server.http(), ledger);
      manifest = Manifest.sqlite(data.resolve("manifest.db"), false);
      try {
        takeBaseline();
        int sinceStoreCheck = 0;
        for (int i = 0; i < cases; i++) {
          Case c = next(i);
          tried++;
          Reply reply;
          try {
            reply = RawExchange.send(base, c.method(), c.target(), c.headers(), c.body(), c.mode());
          } catch (IOException e) {
            count(c, "io-error");
            failures.add(c.describe() + " -> " + e);
            continue;
          }
          String status =
              switch (reply.status()) {
                case -1 -> "no-answer";
                case -2 -> "client-gone";
                case -3 -> "closed-by-server-mid-request";
                default -> Integer.toString(reply.status());
              };
          count(c, status);
          judge(c, reply);
          if (reply.status() == -2) {
            Thread.sleep(300); // the server finds the body cut off a moment after the client left
          }
          if (c.writes() || ++sinceStoreCheck >= 25) {
            sinceStoreCheck = 0;
            checkStore(c, reply.status() >= 200 && reply.status() < 300);
          }
          if (i % 100 == 99) {
            JqwikSession.finishTry();
            checkOutside("after case " + (i + 1));
          }
          if (failures.size() > 200) {
            break;
          }
        }
        checkStore(null, false);
        checkOutside("at the end");
      } finally {
        manifest.close();
      }
      assertThat(server.alive()).as("the server survived").isTrue();
      Http http = server.http();
      assertThat(http.get("/health", null).status()).isEqualTo(200);
      Ledger.Check check = ledger.check(http::read);
      assertThat(check.clean()).as(check.toString()).isTrue();
      assertThat(server.output()).doesNotContain("OutOfMemoryError");

      Reliability.report("hostile", report(seed, cases, check));
    }
    assertThat(failures).as("hostile cases that broke the oracle").isEmpty();
  }

  // ---- set-up: one run with a RUNNING stage (a path that slipped through would be written)

  private void setUp(Http http, Ledger ledger) throws IOException {
    run = http.createRun();
    http.startExecution(run, "phase1");
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 40; i++) {
      text.append("line ").append(i).append(" of the document\n");
    }
    put(http, ledger, run + "/phase1/docsgen.md", "DOCUMENTATION", text.toString().getBytes(UTF_8));
    put(http, ledger, run + "/phase1/sub/nested.md", "DOCUMENTATION", "# nested\n".getBytes(UTF_8));
    byte[] bin = new byte[70_000];
    new Random(7).nextBytes(bin);
    put(http, ledger, run + "/phase1/data.bin", "OTHER", bin);
    token = http.overwriteToken(run, run + "/phase1/docsgen.md");
    otherToken = http.overwriteToken(run, run + "/phase1/sub/nested.md");
    // an issue and an approval-free history, so the list and diff routes have something to page
    Http.expect(
        http.postJson(
            "/api/runs/" + run + "/issues",
            StoreConfig.WRITER,
            Map.of(
                "issues",
                List.of(
                    Map.of(
                        "stage",
                        "phase1",
                        "attempt",
                        1,
                        "file",
                        run + "/phase1/docsgen.md",
                        "rule",
                        "r1",
                        "severity",
                        "WARNING",
                        "message",
                        "m",
                        "validator",
                        "v")))),
        201);
  }

  private static void put(Http http, Ledger ledger, String path, String type, byte[] body)
      throws IOException {
    Http.Response r = http.put(path, type, body);
    Http.expect(r, 201);
    ledger.acknowledged(path, r.json().path("generation").asInt(), body);
  }

  // ---- the oracle

  private void judge(Case c, Reply reply) {
    int s = reply.status();
    if (s >= 500) {
      failures.add("5xx: " + c.describe() + " -> " + reply);
      return;
    }
    if (s == -3 && c.category().equals("body")) {
      return; // refused before the body was read, connection closed under the sending client
    }
    if (s == -1 || s == -2 || s == -3) {
      // no answer: only for a body the client itself cut short or broke
      if (!(c.mode() == BodyMode.LENGTH_LONGER
          || c.mode() == BodyMode.EARLY_CLOSE
          || c.mode() == BodyMode.CHUNKED_JUNK)) {
        failures.add("no answer: " + c.describe() + " -> " + reply);
      }
      return;
    }
    if (s < 400) {
      if (c.mustRefuse()) {
        failures.add("accepted an invalid request: " + c.describe() + " -> " + reply);
      } else {
        accepted.merge(c.category() + "/" + c.kind(), 1, Integer::sum);
      }
      return;
    }
    String type = reply.header("content-type");
    if (type == null || !type.startsWith("application/problem+json")) {
      failures.add("4xx not a problem document: " + c.describe() + " -> " + reply);
      return;
    }
    String text = reply.text();
    if (leaks(text, c) || text.contains(dir.toString())) {
      failures.add("problem shows server internals: " + c.describe() + " -> " + reply);
      return;
    }
    try {
      JsonNode problem = Json.mapper().readTree(reply.body());
      if (problem.path("status").asInt() != s
          || !problem.path("type").isTextual()
          || !problem.path("title").isTextual()
          || !problem.path("detail").isTextual()) {
        failures.add("incomplete problem: " + c.describe() + " -> " + reply);
      }
    } catch (IOException e) {
      failures.add("problem is not JSON: " + c.describe() + " -> " + reply);
    }
  }

  /**
   * True when the problem text shows something the server holds (a path, SQL, a class, a trace): a
   * match of {@link #LEAK} counts unless the client itself sent those characters (in the target,
   * raw or percent-decoded, a header or the body), which a problem may echo in {@code instance} or
   * when it quotes the refused path.
   */
  private static boolean leaks(String text, Case c) {
    StringBuilder sent = new StringBuilder(new String(c.target(), UTF_8));
    sent.append('\n').append(percentDecoded(sent.toString()));
    c.headers().forEach(h -> sent.append('\n').append(h));
    if (c.body() != null) {
      sent.append('\n').append(new String(c.body(), UTF_8));
    }
    String clientSent = sent.toString().toLowerCase(Locale.ROOT);
    Matcher m = LEAK.matcher(text);
    while (m.find()) {
      if (!clientSent.contains(m.group().toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  /** {@code s} with every valid {@code %XX} escape decoded as UTF-8, the rest left as it is. */
  private static String percentDecoded(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = s.getBytes(UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%' && i + 2 < bytes.length) {
        int hi = Character.digit(bytes[i + 1], 16);
        int lo = Character.digit(bytes[i + 2], 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi * 16 + lo);
          i += 2;
          continue;
        }
      }
      out.write(bytes[i]);
    }
    return out.toString(UTF_8);
  }

  private void takeBaseline() throws Exception {
    storeBefore = StoreSnapshot.tree(data, p -> false);
    rowsBefore = manifest.rows();
    outsideBefore = outside();
  }

  /**
   * The stores must be as before the case unless it was accepted (then the picture moves on). A
   * body the client cut short is finished by the server asynchronously: its leftovers get a few
   * seconds to go before they count.
   */
  private void checkStore(Case c, boolean wasAccepted) throws Exception {
    storeChecks++;
    Map<String, String> store = StoreSnapshot.tree(data, p -> false);
    Map<String, String> rows = manifest.rows();
    if (wasAccepted) {
      storeBefore = store;
      rowsBefore = rows;
      return;
    }
    // a refused request may still be finishing on the server (its staging is removed as it ends)
    for (int wait = 0;
        wait < 100 && (!store.equals(storeBefore) || !rows.equals(rowsBefore));
        wait++) {
      Thread.sleep(100);
      store = StoreSnapshot.tree(data, p -> false);
      rows = manifest.rows();
    }
    if (!store.equals(storeBefore) || !rows.equals(rowsBefore)) {
      failures.add(
          "store changed by a refused request: "
              + (c == null ? "(end)" : c.describe())
              + " artifact root "
              + StoreSnapshot.diff(storeBefore, store)
              + " manifest "
              + StoreSnapshot.diff(rowsBefore, rows));
      storeBefore = store;
      rowsBefore = rows;
    }
  }

  private Map<String, String> outside() throws IOException {
    Path around = dir.resolve("around");
    Predicate<Path> inData = p -> p.startsWith(data);
    Map<String, String> tree = StoreSnapshot.tree(around, inData);
    // the server's temporary files come and go with requests in flight; none may stay
    return tree;
  }

  private void checkOutside(String when) throws Exception {
    Map<String, String> now = outside();
    for (int wait = 0; wait < 50 && !now.equals(outsideBefore); wait++) {
      Thread.sleep(100);
      now = outside();
    }
    if (!now.equals(outsideBefore)) {
      failures.add(
          "files appeared outside the data root "
              + when
              + ": "
              + StoreSnapshot.diff(outsideBefore, now));
      outsideBefore = now;
    }
    try (var found = Files.list(Path.of("/tmp"))) {
      found
          .filter(p -> p.getFileName().toString().contains("zqevil"))
          .forEach(p -> failures.add("a hostile name reached " + p));
    }
  }

  private void count(Case c, String status) {
    byCategory.computeIfAbsent(c.category(), k -> new TreeMap<>()).merge(status, 1, Integer::sum);
  }

  private String report(long seed, int cases, Ledger.Check check) {
    StringBuilder md = new StringBuilder();
    md.append("- server jar as a process, fs + SQLite, raw sockets; seed ")
        .append(seed)
        .append(" (`-Ddocsgen.hostile.seed=` repeats it)\n");
    md.append("- cases tried: ").append(tried).append(" (asked ").append(cases).append(")\n");
    md.append("- store + manifest snapshots compared: ").append(storeChecks).append("\n");
    md.append("- oracle failures: ").append(failures.size()).append("\n");
    md.append("- setup artifacts read back: ").append(check).append("\n\n");
    md.append("| category | cases | status counts |\n|---|---|---|\n");
    for (var e : byCategory.entrySet()) {
      int n = e.getValue().values().stream().mapToInt(Integer::intValue).sum();
      md.append("| ")
          .append(e.getKey())
          .append(" | ")
          .append(n)
          .append(" | ")
          .append(e.getValue())
          .append(" |\n");
    }
    md.append("\naccepted (2xx/3xx, generated requests that were valid): ")
        .append(accepted)
        .append("\n");
    if (!failures.isEmpty()) {
      md.append("\nfailures (first 30):\n");
      failures.stream().limit(30).forEach(f -> md.append("- ").append(shorten(f)).append("\n"));
    }
    return md.toString();
  }

  private static String shorten(String s) {
    return s.length() > 700 ? s.substring(0, 700) + "…" : s;
  }

  // ---- generation (jqwik arbitraries drawn from one seeded Random)

  private <T> T draw(Arbitrary<T> arbitrary) {
    return arbitrary.generator(1000).next(random).value();
  }

  private Case next(int i) {
    int pick = random.nextInt(100);
    if (pick < 35) {
      return pathCase();
    } else if (pick < 55) {
      return headerCase(i);
    } else if (pick < 75) {
      return bodyCase(i);
    }
    return queryCase();
  }

  /** Segments each of which is invalid in a logical path (after one percent-decoding). */
  private static final List<String> HOSTILE_SEGMENTS =
      List.of(
          "..",
          ".",
          "%2e%2e",
          "%2E%2E",
          ".%2e",
          "%2e.",
          "%2e",
          "%252e%252e",
          "%25",
          "%2F",
          "%2f",
          "a%2Fb",
          "%252F",
          "..%2F..",
          "%5c",
          "..%5C..",
          "\\",
          "a\\b",
          "..\\..",
          "%00",
          "a%00.md",
          "%01",
          "%0a",
          "%0d%0a",
          "%7f",
          "%1b",
          "%09",
          "",
          "%20",
          "a%20b",
          "~tmp-x",
          "x@1",
          "a!",
          "a%21",
          "%23",
          "%3F",
          "%3f.md",
          "a;b",
          "a:b",
          "a*b",
          "<x>",
          "%3Cx%3E",
          "%EF%BC%8E%EF%BC%8E",
          "%E2%80%A4",
          "%E2%80%A4%E2%80%A4",
          "%E2%88%95",
          "%EF%BC%8F",
          "e%CC%81.md",
          "%C3%A9.md",
          "%E2%80%AE",
          "%EF%BB%BF",
          "%E2%80%8B",
          "%C0%AE%C0%AE",
          "%C0%AF",
          "%E0%80%AE",
          "%FF",
          "%FE%FF",
          "%ED%A0%80",
          "%F4%90%80%80",
          "%D0%B0.md",
          "\u0430.md",
          "\uFF41.md",
          "\u2024\u2024",
          "%zz",
          "%",
          "%2",
          "%%32%65",
          "%u002e",
          "x".repeat(256),
          "y".repeat(1000),
          "z".repeat(5000),
          "zqevil" + "/..".repeat(20),
          "..%2F..%2F..%2F..%2Ftmp%2Fzqevil",
          "../../../../../../../../tmp/zqevil",
          "%2e%2e%2f%2e%2e%2f%2e%2e%2ftmp%2fzqevil",
          "%c0%ae%c0%ae%c0%af");

  private static final List<String> VALID_SEGMENTS =
      List.of("a.md", "docs", "x-1", "guide.md", "sub", "nested.md", "zqevil.md", "v1.2");

  private Case pathCase() {
    List<String> segments =
        new ArrayList<>(draw(Arbitraries.of(VALID_SEGMENTS).list().ofMinSize(0).ofMaxSize(4)));
    int hostile = 1 + random.nextInt(2);
    for (int h = 0; h < hostile; h++) {
      segments.add(random.nextInt(segments.size() + 1), draw(Arbitraries.of(HOSTILE_SEGMENTS)));
    }
    String prefix =
        draw(
            Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(70, Arbitraries.just(run + "/phase1/")),
                net.jqwik.api.Tuple.of(10, Arbitraries.just(run + "/")),
                net.jqwik.api.Tuple.of(10, Arbitraries.just("")),
                net.jqwik.api.Tuple.of(5, Arbitraries.just("/")),
                net.jqwik.api.Tuple.of(5, Arbitraries.just(run + "/phase1//"))));
    String path = prefix + String.join("/", segments);
    if (random.nextInt(10) == 0) {
      path = path + "/";
    }
    if (random.nextInt(15) == 0) {
      path = "many/".repeat(200 + random.nextInt(2000)) + path;
    }
    String method = random.nextBoolean() ? "PUT" : "GET";
    List<String> headers =
        method.equals("PUT")
            ? RawExchange.headers(
                "Authorization", "Bearer " + StoreConfig.WRITER,
                "X-Artifact-Type", "DOCUMENTATION",
                "Content-Type", "text/markdown")
            : RawExchange.headers("Authorization", "Bearer " + StoreConfig.READER);
    byte[] body = method.equals("PUT") ? "# zqevil\n".getBytes(UTF_8) : null;
    // raw (non-ASCII) characters go out as UTF-8 bytes: what a careless client sends
    return new Case(
        "path",
        "segments",
        method,
        ("/api/artifacts/" + path).getBytes(UTF_8),
        headers,
        body,
        BodyMode.EXACT,
        true);
  }

  private Case headerCase(int i) {
    boolean existing = random.nextInt(3) == 0;
    String path = existing ? run + "/phase1/docsgen.md" : run + "/phase1/h/h" + i + ".md";
    if (random.nextInt(5) == 0) {
      // reads with junk conditional and range headers: any 2xx/3xx/4xx, never a 5xx
      String name =
          draw(
              Arbitraries.of(
                  "Range", "If-None-Match", "If-Match", "If-Range", "If-Modified-Since", "Accept"));
      String value = draw(Arbitraries.of(junkHeaderValues(name)));
      String target =
          "/api/artifacts/"
              + draw(Arbitraries.of(run + "/phase1/docsgen.md", run + "/phase1/data.bin"))
              + (random.nextInt(4) == 0 ? "?generation=1" : "");
      return new Case(
          "header",
          "read-" + name,
          "GET",
          target.getBytes(UTF_8),
          RawExchange.headers("Authorization", "Bearer " + StoreConfig.READER, name, value),
          null,
          BodyMode.EXACT,
          false);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer " + StoreConfig.WRITER);
    headers.put("X-Artifact-Type", "DOCUMENTATION");
    headers.put("Content-Type", "text/markdown");
    int mutations = 1 + random.nextInt(3);
    boolean certainlyInvalid = false;
    List<String> kinds = new ArrayList<>();
    for (int m = 0; m < mutations; m++) {
      String kind =
          draw(
              Arbitraries.of(
                  "type",
                  "type-missing",
                  "content-type",
                  "token",
                  "if-none-match",
                  "if-match",
                  "range"));
      kinds.add(kind);
      switch (kind) {
        case "type" -> {
          headers.put("X-Artifact-Type", draw(Arbitraries.of(junkHeaderValues("X-Artifact-Type"))));
          certainlyInvalid = true;
        }
        case "type-missing" -> {
          headers.remove("X-Artifact-Type");
          certainlyInvalid = true;
        }
        case "content-type" ->
            headers.put("Content-Type", draw(Arbitraries.of(junkHeaderValues("Content-Type"))));
        case "token" -> headers.put("X-Overwrite-Token", draw(Arbitraries.of(forgedTokens())));
        case "if-none-match" -> {
          headers.put("If-None-Match", draw(Arbitraries.of(junkHeaderValues("If-None-Match"))));
          certainlyInvalid = true;
        }
        case "if-match" ->
            headers.put("If-Match", draw(Arbitraries.of(junkHeaderValues("If-Match"))));
        default -> headers.put("Range", draw(Arbitraries.of(junkHeaderValues("Range"))));
      }
    }
    List<String> list = new ArrayList<>();
    headers.forEach(
        (k, v) -> {
          list.add(k);
          list.add(v);
        });
    byte[] body = ("# zqevil " + i + "\n").getBytes(UTF_8);
    // an existing path with other bytes and no valid token can never be overwritten
    return new Case(
        "header",
        (existing ? "overwrite-" : "create-") + String.join("+", kinds),
        "PUT",
        ("/api/artifacts/" + path).getBytes(UTF_8),
        list,
        body,
        BodyMode.EXACT,
        existing || certainlyInvalid);
  }

  private List<String> junkHeaderValues(String name) {
    return switch (name) {
      case "X-Artifact-Type" ->
          List.of(
              "SCRIPT",
              "documentation",
              "",
              " ",
              "DOCUMENTATION,OTHER",
              "DOCUMENTATION;x",
              "BUNDLE",
              "DOCUMENTATIO",
              "\u00c9",
              "x".repeat(5000),
              "0",
              "null",
              "%44OCUMENTATION",
              "DOCUMENTATION\u00a0");
      case "Content-Type" ->
          List.of(
              "",
              "not a type",
              "text",
              "text/",
              "/plain",
              ";;;",
              "text/plain;;",
              "a/b/c",
              "text/plain; charset",
              "text/plain; charset=\"",
              "*/*",
              "text/*",
              "\u00e9/x",
              "x".repeat(5000) + "/y",
              "text/markdown; charset=nope",
              "application/json, text/plain",
              "multipart/form-data; boundary=",
              "text/html");
      case "If-None-Match" ->
          List.of("\"abc\"", "W/\"x\"", "**", "*, \"a\"", "garbage", "\"sha256:zz\"");
      case "If-Match" ->
          List.of("", "*", "\"abc\"", "W/\"x\"", "garbage", "\"" + "a".repeat(3000) + "\"");
      case "Range" ->
          List.of(
              "",
              "bytes=",
              "bytes=5-2",
              "bytes=-",
              "bytes=-0",
              "bytes=abc",
              "bytes=0-0,1-1",
              "bytes=" + "0-1,".repeat(800) + "2-3",
              "items=0-1",
              "bytes=99999999999999999999-",
              "bytes=-99999999999999999999",
              "bytes=9223372036854775807-",
              "bytes=0-9223372036854775807",
              "bytes=1000000-",
              "bytes = 1-2",
              "bytes=１-２");
      case "If-Range" -> List.of("\"abc\"", "garbage", "Mon, 32 Foo 2020 25:61:61 GMT", "");
      case "If-Modified-Since" ->
          List.of("garbage", "Mon, 32 Foo 2020 25:61:61 GMT", "0", "-1", "");
      default -> List.of("*/*", "garbage", "text/html;q=x", "", "application/problem+json;q=0");
    };
  }

  private List<String> forgedTokens() {
    String flipped =
        token.substring(0, token.length() / 2)
            + (token.charAt(token.length() / 2) == 'A' ? 'B' : 'A')
            + token.substring(token.length() / 2 + 1);
    return List.of(
        "",
        "garbage",
        "x".repeat(20_000),
        token.substring(0, token.length() - 3),
        flipped,
        token + "x",
        otherToken,
        "Bearer " + token,
        token + " " + token,
        Base64.getUrlEncoder().encodeToString("{\"path\":\"../x\"}".getBytes(UTF_8)),
        "eyJhbGciOiJub25lIn0.eyJwYXRoIjoiKiJ9.",
        "%00",
        "\u00e9t\u00e9");
  }

  private Case bodyCase(int i) {
    List<String[]> routes =
        List.of(
            new String[] {"/api/runs", StoreConfig.WRITER},
            new String[] {"/api/runs/" + run + "/issues", StoreConfig.WRITER},
            new String[] {"/api/runs/" + run + "/approvals", StoreConfig.APPROVER},
            new String[] {"/api/runs/" + run + "/overwrite-tokens", StoreConfig.WRITER},
            new String[] {
              "/api/runs/" + run + "/stages/phase1/executions/1/finish", StoreConfig.WRITER
            },
            new String[] {"/api/runs/" + run + "/bundle", StoreConfig.WRITER},
            // a folder of its own per upload: a folder left behind by a refused one shows
            new String[] {"/api/artifacts/" + run + "/phase1/b" + i + "/b.md", StoreConfig.WRITER});
    String[] route = draw(Arbitraries.of(routes));
    boolean artifact = route[0].startsWith("/api/artifacts/");
    BodyMode mode =
        draw(
            Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(60, Arbitraries.just(BodyMode.EXACT)),
                net.jqwik.api.Tuple.of(8, Arbitraries.just(BodyMode.LENGTH_SHORTER)),
                net.jqwik.api.Tuple.of(8, Arbitraries.just(BodyMode.LENGTH_LONGER)),
                net.jqwik.api.Tuple.of(8, Arbitraries.just(BodyMode.EARLY_CLOSE)),
                net.jqwik.api.Tuple.of(8, Arbitraries.just(BodyMode.CHUNKED_JUNK)),
                net.jqwik.api.Tuple.of(8, Arbitraries.just(BodyMode.LENGTH_AND_CHUNKED))));
    String kind;
    byte[] body;
    String contentType = "application/json";
    boolean mustRefuse = true;
    if (artifact) {
      // an upload: the wrong-length shapes must leave nothing; an exact one is a valid create
      kind = "upload";
      body = new byte[1 + random.nextInt(200_000)];
      random.nextBytes(body);
      contentType = "application/octet-stream";
      mustRefuse = mode != BodyMode.EXACT && mode != BodyMode.LENGTH_SHORTER;
      if (mode == BodyMode.EXACT) {
        mode = BodyMode.EARLY_CLOSE;
        mustRefuse = true;
      }
    } else if (mode != BodyMode.EXACT) {
      kind = "json-" + mode.name().toLowerCase();
      body = validLookingJson(route[0]);
    } else {
      kind =
          draw(
              Arbitraries.of(
                  "malformed",
                  "truncated",
                  "deep",
                  "huge-string",
                  "huge-array",
                  "wrong-types",
                  "unknown-field",
                  "invalid-utf8",
                  "scalar",
                  "content-type",
                  "huge-body"));
      body =
          switch (kind) {
            case "malformed" ->
                draw(Arbitraries.of(
                        "{",
                        "[",
                        "nul",
                        "{\"a\":}",
                        "{\"coreFiles\": [\"a\",]}",
                        "{'coreFiles': []}",
                        "{\"coreFiles\": [] /* c */}",
                        "{\"x\": NaN}",
                        "\uFEFF{}",
                        "{\"a\":1}}",
                        "}{",
                        "{\"a\" 1}",
                        "\"unterminated",
                        "{\"path\": \"\\u00\"}",
                        "{\"status\": tru}"))
                    .getBytes(UTF_8);
            case "truncated" -> {
              byte[] full = validLookingJson(route[0]);
              yield java.util.Arrays.copyOf(full, 1 + random.nextInt(full.length - 1));
            }
            case "deep" -> {
              int depth = draw(Arbitraries.of(1000, 10_000, 100_000));
              yield ("{\"coreFiles\":" + "[".repeat(depth) + "]".repeat(depth) + "}")
                  .getBytes(UTF_8);
            }
            case "huge-string" ->
                ("{\"coreFiles\": [\""
                        + "a".repeat(2_000_000)
                        + "\"], \"path\": \""
                        + "b".repeat(100_000)
                        + "\", \"status\": \""
                        + "c".repeat(100_000)
                        + "\"}")
                    .getBytes(UTF_8);
            case "huge-array" ->
                ("{\"coreFiles\": ["
                        + "\"a.md\",".repeat(200_000)
                        + "\"b.md\"], \"issues\": ["
                        + "{},".repeat(50_000)
                        + "{}]}")
                    .getBytes(UTF_8);
            case "wrong-types" ->
                draw(Arbitraries.of(
                        "{\"coreFiles\": 5}",
                        "{\"coreFiles\": [1, 2]}",
                        "{\"coreFiles\": {\"a\": 1}}",
                        "{\"bundleReadme\": \"maybe\"}",
                        "{\"status\": 7}",
                        "{\"status\": [\"SUCCEEDED\"]}",
                        "{\"issues\": \"x\"}",
                        "{\"issues\": [1]}",
                        "{\"path\": [\"a\"]}",
                        "{\"path\": 1e999999}",
                        "{\"stage\": {}, \"decision\": 1}",
                        "{\"coreFiles\": [null]}",
                        "{\"coreFiles\": [\"a.md\"], \"coreFiles\": 3}",
                        "{\"coreFiles\": [\"../x.md\"]}",
                        "{\"path\": \"" + run + "/phase1/../x.md\"}",
                        "{\"status\": \"RUNNING\"}",
                        "{\"stage\": \"phase1\", \"decision\": \"MAYBE\"}",
                        "{\"issues\": [{\"severity\": \"FATAL\"}]}"))
                    .getBytes(UTF_8);
            case "unknown-field" ->
                ("{\"zqevil\": 1, \"actor\": \"mallory\", \"" + "k".repeat(300) + "\": 2}")
                    .getBytes(UTF_8);
            case "invalid-utf8" ->
                new byte[] {
                  '{',
                  '"',
                  'p',
                  'a',
                  't',
                  'h',
                  '"',
                  ':',
                  '"',
                  (byte) 0xC0,
                  (byte) 0xAF,
                  (byte) 0xFF,
                  '"',
                  '}'
                };
            case "scalar" ->
                draw(Arbitraries.of("[]", "\"\"", "0", "true", "-1", "\"{}\"", "[{}]"))
                    .getBytes(UTF_8);
            case "content-type" -> {
              contentType =
                  draw(
                      Arbitraries.of(
                          "text/plain",
                          "",
                          "application/x-www-form-urlencoded",
                          "application/jsonx",
                          "application/xml",
                          "json",
                          "multipart/form-data; boundary=x",
                          "application/json; charset=nope"));
              yield validLookingJson(route[0]);
            }
            default -> new byte[17 * 1024 * 1024 + random.nextInt(1024)];
          };
      // a UTF-8 byte order mark before valid JSON may be ignored (RFC 8259 § 8.1): not refused
      if (new String(body, UTF_8).startsWith("\uFEFF{}")) {
        mustRefuse = false;
      }
      // a valid-looking body under a junk media type may be taken when the charset is fine
      if (kind.equals("content-type") && contentType.startsWith("application/json")) {
        mustRefuse = false;
      }
    }
    if (kind.equals("huge-body") && random.nextInt(4) != 0) {
      kind = "unknown-field"; // keep the 17 MiB bodies to a quarter of their draws
      body = "{\"zqevil\": true}".getBytes(UTF_8);
    }
    List<String> headers = RawExchange.headers("Authorization", "Bearer " + route[1]);
    if (!contentType.isEmpty()) {
      headers.add("Content-Type");
      headers.add(contentType);
    }
    if (artifact) {
      headers.add("X-Artifact-Type");
      headers.add("OTHER");
    }
    String method = artifact ? "PUT" : "POST";
    return new Case(
        "body", kind, method, route[0].getBytes(UTF_8), headers, body, mode, mustRefuse);
  }

  /** A JSON body that would be accepted by the route as-is: only sent cut, bent or wrapped. */
  private byte[] validLookingJson(String route) {
    String json;
    if (route.endsWith("/issues")) {
      json =
          "{\"issues\": [{\"stage\": \"phase1\", \"attempt\": 1, \"file\": \""
              + run
              + "/phase1/docsgen.md\", \"rule\": \"zqevil\", \"severity\": \"ERROR\", \"message\": \"m\","
              + " \"validator\": \"v\"}]}";
    } else if (route.endsWith("/approvals")) {
      json = "{\"stage\": \"phase1\", \"decision\": \"APPROVED\", \"comment\": \"zqevil\"}";
    } else if (route.endsWith("/overwrite-tokens")) {
      json = "{\"path\": \"" + run + "/phase1/docsgen.md\"}";
    } else if (route.endsWith("/finish")) {
      json = "{\"status\": \"FAILED\", \"error\": \"zqevil\"}";
    } else {
      json = "{\"coreFiles\": [\"docsgen.md\", \"zqevil.md\"]}";
    }
    return json.getBytes(UTF_8);
  }

  private Case queryCase() {
    String target;
    String kind;
    boolean mustRefuse = false;
    int which = random.nextInt(8);
    String junkNumber =
        draw(
            Arbitraries.of(
                "0",
                "-1",
                "1001",
                "99999999999",
                "2147483648",
                "-2147483649",
                "1e3",
                "0x10",
                "ten",
                "",
                "%00",
                "1%00",
                "+5",
                "%205",
                "5%20",
                "1-2-3",
                "NaN",
                "%EF%BC%91",
                "%u0031"));
    // an empty value is the parameter's absence (Exchange.query, by design); Integer.parseInt takes
    // "+5" and other scripts' digits: those are counted as accepted, not refused
    boolean numberIsJunk = !List.of("+5", "%EF%BC%91", "").contains(junkNumber);
    String cursor =
        draw(
            Arbitraries.oneOf(
                Arbitraries.strings()
                    .withCharRange('!', '~')
                    .ofMinLength(0)
                    .ofMaxLength(40)
                    .map(s -> java.net.URLEncoder.encode(s, UTF_8)),
                Arbitraries.of(
                    "!!!",
                    "%00",
                    "x".repeat(5000),
                    "%FF%FE",
                    Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("../../etc/passwd".getBytes(UTF_8)),
                    Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString((run + "/phase1/zzz").getBytes(UTF_8)),
                    Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString((run + "/phase1/docsgen.md\u00001").getBytes(UTF_8)),
                    Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(new byte[] {(byte) 0xff, 0, 1}))));
    switch (which) {
      case 0 -> {
        String lines =
            draw(
                Arbitraries.of(
                    "5-2",
                    "0-3",
                    "a-b",
                    "3",
                    "-",
                    "1-",
                    "-5",
                    "1-99999999999",
                    "2147483647-2147483647",
                    "1-2,3-4",
                    "%00-1",
                    "%EF%BC%91-%EF%BC%92",
                    "1--2",
                    "",
                    "1-2-3",
                    "%zz",
                    "99999999999-1",
                    "41-50",
                    "1-3"));
        kind = "lines";
        mustRefuse =
            List.of(
                    "5-2",
                    "0-3",
                    "a-b",
                    "3",
                    "-",
                    "-5",
                    "%00-1",
                    "1--2",
                    "1-2-3",
                    "99999999999-1",
                    "2147483647-2147483647",
                    "41-50")
                .contains(lines);
        target =
            "/api/artifacts/"
                + draw(Arbitraries.of(run + "/phase1/docsgen.md", run + "/phase1/data.bin"))
                + "?lines="
                + lines;
        if (target.contains("data.bin") && !lines.isEmpty()) {
          mustRefuse = true; // not a text artifact
        }
      }
      case 1 -> {
        kind = "generation";
        target = "/api/artifacts/" + run + "/phase1/docsgen.md?generation=" + junkNumber;
        mustRefuse = numberIsJunk;
      }
      case 2 -> {
        kind = "runs-page";
        target =
            "/api/runs?limit=" + junkNumber + (random.nextBoolean() ? "&cursor=" + cursor : "");
        mustRefuse = numberIsJunk;
      }
      case 3 -> {
        kind = "artifact-list";
        String stage =
            draw(
                Arbitraries.of(
                    "phase0",
                    "phase01",
                    "PHASE1",
                    "final2",
                    "..",
                    "",
                    "phase1%00",
                    "x".repeat(300),
                    "phase1",
                    "final"));
        String type = draw(Arbitraries.of("documentation", "SCRIPT", "", "BUNDLE,OTHER", "OTHER"));
        target =
            "/api/runs/"
                + run
                + "/artifacts?stage="
                + stage
                + "&type="
                + type
                + "&cursor="
                + cursor
                + (random.nextBoolean() ? "&limit=" + junkNumber : "");
        mustRefuse = false;
      }
      case 4 -> {
        kind = "issues";
        String param =
            draw(
                Arbitraries.of(
                    "groupBy", "severity", "file", "rule", "stage", "attempt", "cursor", "limit"));
        String value =
            param.equals("cursor")
                ? cursor
                : param.equals("limit")
                    ? junkNumber
                    : draw(
                        Arbitraries.of(
                            "rule",
                            "",
                            "SEVERITY",
                            "severity%00",
                            "BAD",
                            "..%2F..",
                            "x".repeat(600),
                            "phase01",
                            "0",
                            "-1",
                            "%00"));
        target =
            "/api/runs/"
                + run
                + "/issues?"
                + param
                + "="
                + value
                + (random.nextBoolean() ? "&" + param + "=" + value : "");
      }
      case 5 -> {
        kind = "diff";
        List<String> refs =
            List.of(
                "phase1@0",
                "phase1@x",
                "@1",
                "phase1@",
                "phase1@1@2",
                "run_2026_13_01_0001",
                "phase1@99",
                "final@1",
                "../x",
                "%00",
                "",
                "phase1@1",
                run,
                "phase1@-1",
                "phase1@99999999999",
                "PHASE1@1",
                "phase1%401",
                "x".repeat(600));
        String from = draw(Arbitraries.of(refs));
        String to = draw(Arbitraries.of(refs));
        target =
            "/api/runs/" + run + "/diff?from=" + from + (random.nextInt(5) == 0 ? "" : "&to=" + to);
      }
      case 6 -> {
        kind = "executions";
        String stage =
            draw(
                Arbitraries.of(
                    "phase0",
                    "phase01",
                    "PHASE1",
                    "final2",
                    "phase1",
                    "..",
                    "%2e%2e",
                    "phase1%00",
                    "x".repeat(300)));
        target =
            "/api/runs/"
                + run
                + "/stages/"
                + stage
                + "/executions?limit="
                + junkNumber
                + "&cursor="
                + cursor;
      }
      default -> {
        kind = "approvals";
        target =
            "/api/runs/"
                + run
                + "/approvals?stage="
                + draw(Arbitraries.of("phase1", "phase01", "", "..", "x".repeat(300)))
                + "&cursor="
                + cursor
                + "&limit="
                + junkNumber;
      }
    }
    if (random.nextInt(30) == 0) {
      target = target + "&pad=" + "p".repeat(20_000); // an over-long request line
      mustRefuse = true;
    }
    return new Case(
        "query",
        kind,
        "GET",
        target.getBytes(UTF_8),
        RawExchange.headers("Authorization", "Bearer " + StoreConfig.READER),
        null,
        BodyMode.EXACT,
        mustRefuse);
  }
}
