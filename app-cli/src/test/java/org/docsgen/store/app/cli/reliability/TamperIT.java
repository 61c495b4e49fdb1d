package org.docsgen.store.app.cli.reliability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.docsgen.store.adapters.jdbc.testing.PostgresFixture;
import org.docsgen.store.app.cli.PackedLayout;
import org.docsgen.store.app.cli.reliability.RawExchange.Reply;
import org.docsgen.store.app.cli.reliability.StoreSnapshot.Manifest;
import org.docsgen.store.app.cli.reliability.support.Cli;
import org.docsgen.store.app.cli.reliability.support.DocsgenServer;
import org.docsgen.store.app.cli.reliability.support.Http;
import org.docsgen.store.app.cli.reliability.support.Ledger;
import org.docsgen.store.app.cli.reliability.support.Reliability;
import org.docsgen.store.app.cli.reliability.support.S3proxyProcess;
import org.docsgen.store.app.cli.reliability.support.StoreConfig;
import org.docsgen.store.app.http.json.Json;
import org.docsgen.store.ports.bundle.BundleZipWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Kind 6, tamper: behind the running server's back, each backend's stored bytes and its own
 * metadata are altered — a byte flipped (small and larger than one 64 KiB read chunk), the content
 * truncated, two artifacts' bytes swapped, the backend's metadata forged to match new bytes (fs:
 * {@code meta.properties}; S3: the object rewritten with new user metadata) or given another size,
 * the manifest's hash or size column edited, and an entry of a stored bundle zip swapped with
 * another. Then every read of each tampered version must be an integrity error: HTTP whole read 502
 * {@code integrity-failure} (or, past the first chunk, a body cut short of its length), CLI {@code
 * get} exit 4 with nothing on stdout; {@code fsck --deep} must name each (exit 4) and nothing else;
 * {@code verify RUN} and {@code GET …/bundle/verify} must catch the swapped entry. Byte-range and
 * {@code ?lines=} reads must be 502 too on the filesystem store, which checks every read (block
 * CRC32C after one whole hash, docs/decisions.md § adapters-fs); the S3 store serves ranges
 * unchecked by design, so there their answers are listed, not counted as misses. An untouched
 * control artifact must still read back exactly.
 *
 * <p>On the filesystem store, artifacts of at most 64 KiB are packed into segment files
 * (docs/storage-layout.md § "Packed generations"), the default path: there the flip, the swap, the
 * forgery (the record rewritten whole and valid, with the new bytes' hash) and the bundle zip's
 * swapped entries (padded to its length) are done in place in the segment. Truncation and a size
 * edit of the store's own metadata need a file of their own: those two artifacts are over 64 KiB,
 * generation directories.
 */
@Tag("reliability")
@Tag("reliability-tamper")
class TamperIT {
  private static final String BUCKET = "tamper";

  @TempDir Path dir;

  /** What a tamper needs of a backend: where the bytes are, and how its own metadata is edited. */
  interface Backend {
    /** Where the bytes of {@code path}@{@code generation} (hash hex) are kept. */
    Stored content(String path, int generation, String hashHex) throws IOException;

    /**
     * Replaces the bytes (as many as before) and the backend's own hash and size with those of
     * {@code bytes}.
     */
    void forge(String path, int generation, String hashHex, byte[] bytes) throws Exception;

    /** Gives the backend's own size metadata another value, bytes untouched. */
    void editSize(String path, int generation, String hashHex, long size) throws Exception;
  }

  /**
   * The stored bytes of one version: a file of their own (a generation directory's {@code content},
   * an object's file under s3proxy's bucket directory), or a region of an fs segment file (a packed
   * version, docs/storage-layout.md § "Packed generations"), which is only ever changed in place.
   */
  interface Stored {
    byte[] read() throws IOException;

    /** Overwrites the bytes; a packed region only with as many bytes. */
    void write(byte[] bytes) throws IOException;

    /** The file of their own; an assertion error when packed. */
    Path file();
  }

  record FileStored(Path file) implements Stored {
    @Override
    public byte[] read() throws IOException {
      return Files.readAllBytes(file);
    }

    @Override
    public void write(byte[] bytes) throws IOException {
      Files.write(file, bytes);
    }
  }

  record PackedStored(PackedLayout.Record record) implements Stored {
    @Override
    public byte[] read() throws IOException {
      return record.content();
    }

    @Override
    public void write(byte[] bytes) throws IOException {
      record.writeContent(bytes);
    }

    @Override
    public Path file() {
      throw new AssertionError("packed in " + record.segment() + ": no file of its own");
    }
  }

  /** One tampered version and what each read made of it. */
  record Tampered(String kind, String path, int generation) {
    String key() {
      return path + "@" + generation;
    }
  }

  private final Map<String, Map<String, int[]>> counts =
      new TreeMap<>(); // backend -> kind -> [tried, http, cli, fsck, all]
  private final List<String> unverifiedByDesign = new ArrayList<>();
  private final List<String> misses = new ArrayList<>();
  private final List<String> bundleResults = new ArrayList<>();
  private final Random random = new Random();

  @Test
  void fsAndSqlite() throws Exception {
    Path deployment = dir.resolve("fs");
    Path data = Files.createDirectories(deployment.resolve("data"));
    StoreConfig config = StoreConfig.fsSqlite(deployment, data);
    Path root = data.resolve("artifacts");
    Backend fs =
        new Backend() {
          /** Packed when at most 64 KiB (checked: the default path is what is tampered with). */
          @Override
          public Stored content(String path, int generation, String hashHex) throws IOException {
            var packed = PackedLayout.version(root, path, generation);
            if (packed.isPresent()) {
              return new PackedStored(packed.get());
            }
            Path content = generationDir(root, path, generation).resolve("content");
            assertThat(Files.size(content))
                .as(path + " is not packed, so it must be over 64 KiB")
                .isGreaterThan(PackedLayout.MAX_PACKED_BYTES);
            return new FileStored(content);
          }

          @Override
          public void forge(String path, int generation, String hashHex, byte[] bytes)
              throws IOException {
            var packed = PackedLayout.version(root, path, generation);
            if (packed.isPresent()) {
              // the record rewritten whole and valid (its CRC32C too): new bytes, their hash
              PackedLayout.Record record = packed.get();
              String metadata = record.metadata();
              String hash = "hash=sha256:" + Ledger.sha256(bytes);
              String forged = metadata.replaceFirst("(?m)^hash=.*$", hash);
              assertThat(forged).isNotEqualTo(metadata);
              record.forge(forged, bytes);
              return;
            }
            Path gen = generationDir(root, path, generation);
            Files.write(gen.resolve("content"), bytes);
            editMeta(gen, "hash", "sha256:" + Ledger.sha256(bytes));
            editMeta(gen, "size", Long.toString(bytes.length));
          }

          /**
           * Only on a generation directory's {@code meta.properties}: a packed record's metadata
           * cannot be edited without breaking the record (its CRC32C, its length), which is damage,
           * not an edit of what the store recorded.
           */
          @Override
          public void editSize(String path, int generation, String hashHex, long size)
              throws IOException {
            assertThat(PackedLayout.version(root, path, generation)).isEmpty();
            editMeta(generationDir(root, path, generation), "size", Long.toString(size));
          }
        };
    try (DocsgenServer server = DocsgenServer.start(config, dir, "tamper-fs");
        Manifest manifest = Manifest.sqlite(data.resolve("manifest.db"), true)) {
      exercise("fs+SQLite", config, server, fs, manifest);
    }
    finish("fs+SQLite");
  }

  @Test
  void s3AndPostgres() throws Exception {
    Path deployment = dir.resolve("s3");
    String url = PostgresFixture.newDatabase();
    try (S3proxyProcess s3 = S3proxyProcess.start(deployment, BUCKET);
        S3Client client = client(s3)) {
      StoreConfig config =
          StoreConfig.s3Postgres(
              deployment, s3, BUCKET, url, PostgresFixture.user(), PostgresFixture.password());
      Path bucket = s3.bucketDirectory(BUCKET);
      Backend backend =
          new Backend() {
            @Override
            public Stored content(String path, int generation, String hashHex) {
              return new FileStored(bucket.resolve(key(path, generation, hashHex)));
            }

            @Override
            public void forge(String path, int generation, String hashHex, byte[] bytes) {
              rewrite(
                  client,
                  key(path, generation, hashHex),
                  bytes,
                  Map.of(
                      "docsgen-sha256", Ledger.sha256(bytes),
                      "docsgen-size", Long.toString(bytes.length)));
            }

            @Override
            public void editSize(String path, int generation, String hashHex, long size) {
              String key = key(path, generation, hashHex);
              byte[] bytes =
                  client
                      .getObjectAsBytes(GetObjectRequest.builder().bucket(BUCKET).key(key).build())
                      .asByteArray();
              rewrite(client, key, bytes, Map.of("docsgen-size", Long.toString(size)));
            }
          };
      try (DocsgenServer server = DocsgenServer.start(config, dir, "tamper-s3");
          Manifest manifest =
              Manifest.postgres(url, PostgresFixture.user(), PostgresFixture.password())) {
        exercise("S3+PostgreSQL", config, server, backend, manifest);
      }
    }
    finish("S3+PostgreSQL");
  }

  // ---- one deployment: rounds of write, tamper, read every way

  private void exercise(
      String name, StoreConfig config, DocsgenServer server, Backend backend, Manifest manifest)
      throws Exception {
    int rounds = Reliability.rounds(1, 2);
    Http http = server.http();
    Set<String> tamperedSoFar = new TreeSet<>();
    List<Ledger.Ack> controls = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      Ledger ledger = new Ledger();
      // docsgen.md and guide.md are the core set, so the bundle holds both (their swap is the test)
      String run =
          Http.expect(
                  http.postJson(
                      "/api/runs",
                      StoreConfig.WRITER,
                      Map.of("coreFiles", List.of("docsgen.md", "guide.md"))),
                  201)
              .json()
              .path("runId")
              .asText();
      http.startExecution(run, "phase1");
      Map<String, byte[]> written = new LinkedHashMap<>();
      for (String file :
          List.of(
              "flip.md",
              "truncate.md",
              "swap-a.md",
              "swap-b.md",
              "forge.md",
              "meta-size.md",
              "index-hash.md",
              "index-size.md",
              "control.md")) {
        // truncation and a size edit need a file of their own on fs: over 64 KiB, not packed
        boolean ownFile = file.equals("truncate.md") || file.equals("meta-size.md");
        int size = ownFile ? 70_000 + random.nextInt(30_000) : 3000 + random.nextInt(5000);
        written.put(run + "/phase1/" + file, text(file, size));
      }
      // the swapped pair has the same size, so only the hash can tell
      written.put(run + "/phase1/swap-b.md", sameSizeOther(written.get(run + "/phase1/swap-a.md")));
      byte[] large = new byte[300_000 + random.nextInt(100_000)];
      random.nextBytes(large);
      written.put(run + "/phase1/flip-large.bin", large);
      for (var e : written.entrySet()) {
        boolean text = e.getKey().endsWith(".md"); // text, so ?lines= previews apply
        Http.Response r =
            http.send(
                "PUT",
                "/api/artifacts/" + e.getKey(),
                StoreConfig.WRITER,
                e.getValue(),
                "X-Artifact-Type",
                text ? "DOCUMENTATION" : "OTHER",
                "Content-Type",
                text ? "text/markdown; charset=utf-8" : "application/octet-stream");
        Http.expect(r, 201);
        ledger.acknowledged(e.getKey(), r.json().path("generation").asInt(), e.getValue());
      }
      http.finishExecution(run, "phase1", 1, "SUCCEEDED");
      http.startExecution(run, "final");
      byte[] doc = text("docsgen.md", 4000);
      byte[] guide = sameSizeOther(doc);
      Http.expect(http.put(run + "/final/docsgen.md", "DOCUMENTATION", doc), 201);
      Http.expect(http.put(run + "/final/guide.md", "DOCUMENTATION", guide), 201);
      http.finishExecution(run, "final", 1, "SUCCEEDED");
      Http.Response bundle =
          http.postJson("/api/runs/" + run + "/bundle", StoreConfig.WRITER, null);
      Http.expect(bundle, 201);
      String zipPath = run + "/final/docsgen-documentation-bundle.zip";
      JsonNode verifiedBefore =
          http.get("/api/runs/" + run + "/bundle/verify", StoreConfig.READER).json();
      assertThat(verifiedBefore.path("valid").asBoolean()).as(verifiedBefore.toString()).isTrue();

      // ---- tamper, behind the server's back
      List<Tampered> tampered = new ArrayList<>();
      String p = run + "/phase1/";
      flip(backend.content(p + "flip.md", 1, hex(ledger, p + "flip.md")));
      tampered.add(new Tampered("flip a byte", p + "flip.md", 1));
      flip(backend.content(p + "flip-large.bin", 1, hex(ledger, p + "flip-large.bin")));
      tampered.add(new Tampered("flip a byte (> 64 KiB)", p + "flip-large.bin", 1));
      Path truncated = backend.content(p + "truncate.md", 1, hex(ledger, p + "truncate.md")).file();
      byte[] whole = Files.readAllBytes(truncated);
      Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
      tampered.add(new Tampered("truncate", p + "truncate.md", 1));
      Stored a = backend.content(p + "swap-a.md", 1, hex(ledger, p + "swap-a.md"));
      Stored b = backend.content(p + "swap-b.md", 1, hex(ledger, p + "swap-b.md"));
      swap(a, b);
      tampered.add(new Tampered("swap two artifacts' bytes", p + "swap-a.md", 1));
      tampered.add(new Tampered("swap two artifacts' bytes", p + "swap-b.md", 1));
      // new bytes as many as the old, so a packed record is forged in place
      byte[] forged =
          java.util.Arrays.copyOf(
              text("forged", written.get(p + "forge.md").length),
              written.get(p + "forge.md").length);
      backend.forge(p + "forge.md", 1, hex(ledger, p + "forge.md"), forged);
      tampered.add(new Tampered("backend metadata forged with new bytes", p + "forge.md", 1));
      Ledger.Ack metaSize = ledger.latest(p + "meta-size.md").orElseThrow();
      backend.editSize(
          p + "meta-size.md", 1, hex(ledger, p + "meta-size.md"), metaSize.size() + 17);
      tampered.add(new Tampered("backend metadata size edited", p + "meta-size.md", 1));
      String stored =
          (String)
              manifest.single(
                  "SELECT hash FROM artifacts WHERE path = ? AND generation = 1",
                  p + "index-hash.md");
      String otherHash = "sha256:" + Ledger.sha256(text("other", 10));
      assertThat(
              manifest.update(
                  "UPDATE artifacts SET hash = ? WHERE path = ? AND generation = 1",
                  stored.startsWith("sha256:") ? otherHash : otherHash.substring(7),
                  p + "index-hash.md"))
          .isEqualTo(1);
      tampered.add(new Tampered("manifest hash edited", p + "index-hash.md", 1));
      assertThat(
              manifest.update(
                  "UPDATE artifacts SET size = size + 17 WHERE path = ? AND generation = 1",
                  p + "index-size.md"))
          .isEqualTo(1);
      tampered.add(new Tampered("manifest size edited", p + "index-size.md", 1));
      String zipHash =
          ((String) manifest.single("SELECT zip_hash FROM bundles WHERE run_id = ?", run))
              .replace("sha256:", "");
      Stored zip = backend.content(zipPath, 1, zipHash);
      zip.write(swapEntries(zip.read(), "docsgen.md", "guide.md"));
      tampered.add(new Tampered("bundle zip: two entries swapped", zipPath, 1));
      controls.add(ledger.latest(p + "control.md").orElseThrow());

      // ---- every read of every tampered version. The CLI's runs (a JVM each) go in parallel:
      // on a loaded machine that is most of the time; each is still its own process and result
      ExecutorService pool = Executors.newFixedThreadPool(6);
      Map<String, Future<Cli.Result>> gets = new LinkedHashMap<>();
      for (Tampered t : tampered) {
        gets.put(
            t.key(),
            pool.submit(
                () ->
                    Cli.run(
                        config,
                        "get",
                        t.path(),
                        "--generation",
                        Integer.toString(t.generation()))));
      }
      Future<Cli.Result> fsckRun = pool.submit(() -> Cli.fsckDeep(config));
      Future<Cli.Result> verifyRun = pool.submit(() -> Cli.run(config, "verify", run));
      for (Tampered t : tampered) {
        int[] c =
            counts
                .computeIfAbsent(name, k -> new TreeMap<>())
                .computeIfAbsent(t.kind(), k -> new int[5]);
        c[0]++;
        boolean httpCaught = httpWholeCaught(http.base(), t);
        c[1] += httpCaught ? 1 : 0;
        listUnverified(name, http.base(), t);
        tamperedSoFar.add(t.key());
      }
      for (Tampered t : tampered) {
        boolean cliCaught = cliCaught(gets.get(t.key()).get(), t);
        counts.get(name).get(t.kind())[2] += cliCaught ? 1 : 0;
      }
      pool.shutdown();
      // fsck --deep names every tampered version so far, and nothing else as drift
      Cli.Result fsck = fsckRun.get();
      JsonNode report = Json.mapper().readTree(fsck.stdout());
      Set<String> named = new TreeSet<>();
      for (JsonNode f : report.path("findings")) {
        if (f.path("drift").asBoolean()) {
          named.add(f.path("path").asText() + "@" + f.path("generation").asInt());
        }
      }
      if (fsck.exit() != 4) {
        misses.add(name + ": fsck --deep exited " + fsck.exit() + "\n" + fsck);
      }
      for (Tampered t : tampered) {
        boolean found = named.contains(t.key());
        if (found) {
          counts.get(name).get(t.kind())[3]++;
        } else {
          misses.add(name + ": fsck --deep did not name " + t.kind() + " " + t.key());
        }
      }
      Set<String> falseAlarms = new TreeSet<>(named);
      falseAlarms.removeAll(tamperedSoFar);
      if (!falseAlarms.isEmpty()) {
        misses.add(name + ": fsck --deep named untouched versions " + falseAlarms);
      }
      for (Tampered t : tampered) {
        int[] c = counts.get(name).get(t.kind());
        if (lastCaught.getOrDefault(t.key(), false) && named.contains(t.key())) {
          c[4]++;
        }
      }
      // verify catches the swapped bundle entry, through the CLI and over HTTP
      Cli.Result verify = verifyRun.get();
      Reply verified =
          RawExchange.send(
              http.base(),
              "GET",
              "/api/runs/" + run + "/bundle/verify",
              null,
              "Authorization",
              "Bearer " + StoreConfig.READER);
      // caught: the report says invalid (exit 4). Whether it can name the swapped entry depends
      // on the store: the filesystem store refuses to open a zip whose size changed at all
      boolean httpVerifyCaught =
          verified.status() == 200
              && !Json.mapper().readTree(verified.body()).path("valid").asBoolean(true);
      boolean cliVerifyCaught = verify.exit() == 4 && verify.out().contains("INVALID");
      boolean entryNamed = verify.out().contains("entry docsgen.md");
      bundleResults.add(
          name
              + " "
              + run
              + ": verify exit "
              + verify.exit()
              + (cliVerifyCaught ? " (caught)" : " (MISSED)")
              + ", GET bundle/verify "
              + verified.status()
              + (httpVerifyCaught ? " valid=false (caught)" : " (MISSED) " + verified)
              + (entryNamed
                  ? "; the report names the swapped entry docsgen.md"
                  : "; the report names the damaged zip, not the entry"));
      if (!cliVerifyCaught) {
        misses.add(name + ": docsgen verify " + run + " -> " + verify);
      }
      if (!httpVerifyCaught) {
        misses.add(name + ": GET bundle/verify -> " + verified);
      }
    }
    // untouched versions still read back exactly (no false alarm on a read)
    for (Ledger.Ack control : controls) {
      byte[] got = http.read(control.path(), control.generation()).orElseThrow();
      assertThat(Ledger.sha256(got)).as("control " + control.path()).isEqualTo(control.sha256());
      Cli.Result get = Cli.run(config, "get", control.path());
      assertThat(get.exit()).as(get.toString()).isZero();
      assertThat(Ledger.sha256(get.stdout())).isEqualTo(control.sha256());
    }
    assertThat(server.alive()).isTrue();
  }

  private final Map<String, Boolean> lastCaught = new HashMap<>();

  /**
   * HTTP whole read: 502 integrity-failure, or (past one chunk) a body cut short; never good bytes.
   */
  private boolean httpWholeCaught(URI base, Tampered t) throws IOException {
    Reply r =
        RawExchange.send(
            base,
            "GET",
            "/api/artifacts/" + t.path() + "?generation=" + t.generation(),
            null,
            "Authorization",
            "Bearer " + StoreConfig.READER);
    boolean caught =
        (r.status() == 502 && r.text().contains("integrity-failure"))
            || (r.status() == 200 && !r.complete());
    if (!caught) {
      misses.add("HTTP GET " + t.kind() + " " + t.key() + " -> " + r + " complete=" + r.complete());
    }
    lastCaught.put(t.key(), caught);
    return caught;
  }

  private boolean cliCaught(Cli.Result get, Tampered t) {
    boolean caught = get.exit() == 4 && get.stdout().length == 0;
    if (!caught) {
      misses.add("CLI get " + t.kind() + " " + t.key() + " -> " + get);
    }
    lastCaught.put(t.key(), lastCaught.getOrDefault(t.key(), false) && caught);
    return caught;
  }

  /**
   * Byte-range and line reads: a miss on the filesystem store unless 502; on S3 (unchecked by
   * design) what they answered, for the record.
   */
  private void listUnverified(String name, URI base, Tampered t) throws IOException {
    String target = "/api/artifacts/" + t.path() + "?generation=" + t.generation();
    Reply range =
        RawExchange.send(
            base,
            "GET",
            target,
            null,
            "Authorization",
            "Bearer " + StoreConfig.READER,
            "Range",
            "bytes=0-99");
    String lines = "-";
    if (t.path().endsWith(".md")) {
      Reply l =
          RawExchange.send(
              base,
              "GET",
              target + "&lines=1-3",
              null,
              "Authorization",
              "Bearer " + StoreConfig.READER);
      lines = Integer.toString(l.status());
    }
    if (name.startsWith("fs")) {
      // the filesystem store checks ranges and previews as it checks whole reads
      if (range.status() != 502) {
        misses.add("HTTP Range " + t.kind() + " " + t.key() + " -> " + range.status());
      }
      if (!lines.equals("-") && !lines.equals("502")) {
        misses.add("HTTP ?lines= " + t.kind() + " " + t.key() + " -> " + lines);
      }
    }
    unverifiedByDesign.add(
        name
            + " | "
            + t.kind()
            + " | Range bytes=0-99 → "
            + range.status()
            + " | ?lines=1-3 → "
            + lines);
  }

  private void finish(String name) {
    StringBuilder md = new StringBuilder();
    md.append("Backend ")
        .append(name)
        .append(", rounds ")
        .append(Reliability.rounds(1, 2))
        .append("\n\n");
    md.append(
        "| tamper | tried | HTTP whole read caught | CLI get caught (exit 4, empty stdout) | fsck --deep named | caught by all three |\n|---|---|---|---|---|---|\n");
    int tried = 0;
    int all = 0;
    for (var e : counts.getOrDefault(name, Map.of()).entrySet()) {
      int[] c = e.getValue();
      tried += c[0];
      all += c[4];
      md.append("| ")
          .append(e.getKey())
          .append(" | ")
          .append(c[0])
          .append(" | ")
          .append(c[1])
          .append(" | ")
          .append(c[2])
          .append(" | ")
          .append(c[3])
          .append(" | ")
          .append(c[4])
          .append(" |\n");
    }
    md.append("\nTotal: ")
        .append(tried)
        .append(" tampered versions tried, ")
        .append(all)
        .append(" caught by every read and by fsck.\n");
    md.append("\nBundle verify:\n");
    bundleResults.stream()
        .filter(s -> s.startsWith(name))
        .forEach(s -> md.append("- ").append(s).append("\n"));
    md.append(
        "\nByte ranges and line previews (502 required on fs; on S3 unchecked by design, not"
            + " counted):\n\n| backend | tamper | Range | lines |\n|---|---|---|---|\n");
    unverifiedByDesign.stream()
        .filter(s -> s.startsWith(name))
        .distinct()
        .forEach(s -> md.append("| ").append(s).append(" |\n"));
    md.append("\nMisses: ").append(misses.size()).append("\n");
    misses.stream()
        .limit(40)
        .forEach(
            m ->
                md.append("- ")
                    .append(m.length() > 800 ? m.substring(0, 800) + "…" : m)
                    .append("\n"));
    Reliability.report("tamper", md.toString());
    assertThat(misses).as("tampering that a read, fsck or verify did not catch").isEmpty();
  }

  // ---- tampering helpers

  private static Path generationDir(Path root, String path, int generation) {
    int slash = path.lastIndexOf('/');
    return root.resolve(path.substring(0, slash))
        .resolve(path.substring(slash + 1) + "@" + generation);
  }

  private static void editMeta(Path generationDir, String key, String value) throws IOException {
    Path meta = generationDir.resolve("meta.properties");
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(meta, UTF_8)) {
      lines.add(line.startsWith(key + "=") ? key + "=" + value : line);
    }
    Files.write(meta, lines, UTF_8);
  }

  private static String key(String path, int generation, String hashHex) {
    return path + "!/" + String.format("%010d", generation) + "/" + hashHex;
  }

  private static void rewrite(
      S3Client client, String key, byte[] bytes, Map<String, String> changes) {
    var head = client.headObject(b -> b.bucket(BUCKET).key(key));
    Map<String, String> metadata = new HashMap<>(head.metadata());
    metadata.putAll(changes);
    client.putObject(
        PutObjectRequest.builder()
            .bucket(BUCKET)
            .key(key)
            .contentType(head.contentType())
            .metadata(metadata)
            .build(),
        RequestBody.fromBytes(bytes));
  }

  private static S3Client client(S3proxyProcess s3) {
    return S3Client.builder()
        .endpointOverride(s3.endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3proxyProcess.ACCESS_KEY, S3proxyProcess.SECRET_KEY)))
        .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  private String hex(Ledger ledger, String path) {
    return ledger.latest(path).orElseThrow().sha256();
  }

  private void flip(Stored stored) throws IOException {
    byte[] bytes = stored.read();
    int at = random.nextInt(bytes.length);
    bytes[at] ^= (byte) (1 << random.nextInt(8));
    stored.write(bytes);
  }

  /**
   * Files exchanged by renames; packed versions (as long as each other) by their bytes in place.
   */
  private static void swap(Stored a, Stored b) throws IOException {
    if (a instanceof FileStored fa && b instanceof FileStored fb) {
      Path tmp = fa.file().resolveSibling(fa.file().getFileName() + ".swap");
      Files.move(fa.file(), tmp);
      Files.move(fb.file(), fa.file());
      Files.move(tmp, fb.file(), StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    byte[] first = a.read();
    byte[] second = b.read();
    a.write(second);
    b.write(first);
  }

  private byte[] text(String name, int size) {
    StringBuilder s = new StringBuilder("# " + name + "\n");
    while (s.length() < size) {
      s.append("line ")
          .append(s.length())
          .append(" of ")
          .append(name)
          .append(' ')
          .append(random.nextInt(1_000_000))
          .append('\n');
    }
    return s.toString().getBytes(UTF_8);
  }

  /** Other bytes of the same length (the last characters before the end changed). */
  private static byte[] sameSizeOther(byte[] bytes) {
    byte[] other = bytes.clone();
    for (int i = 2; i < Math.min(40, other.length); i++) {
      if (other[i] >= 'a' && other[i] <= 'y') {
        other[i]++;
      }
    }
    return other;
  }

  /**
   * The zip with the contents of entries {@code a} and {@code b} exchanged, names kept, written
   * again as the store's bundles are ({@link BundleZipWriter}: deterministic), so it is exactly as
   * long as {@code zip} (the two compressed bodies trade places) and can replace a packed version
   * in place.
   */
  private static byte[] swapEntries(byte[] zip, String a, String b) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.put(e.getName(), in.readAllBytes());
      }
    }
    assertThat(entries).containsKeys(a, b);
    byte[] first = entries.get(a);
    entries.put(a, entries.get(b));
    entries.put(b, first);
    List<BundleZipWriter.Entry> rewritten = new ArrayList<>();
    entries.forEach(
        (name, bytes) ->
            rewritten.add(new BundleZipWriter.Entry(name, () -> new ByteArrayInputStream(bytes))));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BundleZipWriter.write(rewritten, out);
    byte[] swapped = out.toByteArray();
    assertThat(swapped).as("the swapped zip").hasSize(zip.length).isNotEqualTo(zip);
    return swapped;
  }
}
