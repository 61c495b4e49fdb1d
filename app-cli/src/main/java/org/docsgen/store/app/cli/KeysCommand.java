package org.docsgen.store.app.cli;

import java.util.ArrayList;
import java.util.List;
import org.docsgen.store.app.http.json.PageJson;
import org.docsgen.store.app.http.json.SigningKeyJson;
import org.docsgen.store.app.http.wiring.SigningKeys;
import org.docsgen.store.ports.bundle.BundleSigner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code docsgen keys}: the deployment's bundle-signing public key as PEM (what a verifier needs,
 * e.g. for {@code verify --offline}); with {@code --all} the trusted retired keys follow.
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = {
      "Print the bundle-signing public key as PEM (signing.keyFile; generated when missing).",
      "`docsgen keys > docsgen.pem` gives the file `verify --offline --public-key` takes."
          + " --all also prints the retired keys of signing.trustedPublicKeys, each after a"
          + " `# keyid` comment line; --json prints what GET /api/signing-keys answers."
    })
final class KeysCommand extends StoreCommand {
  @Option(names = "--all", description = "also the trusted retired keys (after the signing key)")
  boolean all;

  @Override
  int run() {
    BundleSigner signer = SigningKeys.load(cli().config(false).signing()).signer();
    List<SigningKeyJson> keys = new ArrayList<>();
    for (var key : signer.verificationKeys()) {
      keys.add(
          new SigningKeyJson(
              BundleSigner.keyId(key), SigningKeyJson.ED25519, BundleSigner.publicKeyPem(key)));
    }
    if (json()) {
      printJson(new PageJson<>(all ? keys : keys.subList(0, 1), null));
      return ExitCodes.OK;
    }
    if (!all) {
      out().print(keys.get(0).publicKeyPem());
      progress("keyid " + keys.get(0).keyid());
      return ExitCodes.OK;
    }
    for (int i = 0; i < keys.size(); i++) {
      out().println("# keyid " + keys.get(i).keyid() + (i == 0 ? " (signing key)" : " (trusted)"));
      out().print(keys.get(i).publicKeyPem());
    }
    return ExitCodes.OK;
  }
}
