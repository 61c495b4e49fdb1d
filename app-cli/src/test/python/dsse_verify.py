#!/usr/bin/python3
"""An independent verifier of a DocsGen bundle attestation, written from the public specs alone
(DSSE v1: github.com/secure-systems-lab/dsse/blob/master/protocol.md and envelope.md; in-toto
Statement v1: github.com/in-toto/attestation/blob/main/spec/v1/statement.md). It shares no code
with DocsGen Store: the standard library plus Debian's python3-cryptography (Ed25519).

    /usr/bin/python3 dsse_verify.py BUNDLE.zip ATTESTATION PUBLIC_KEY.pem

Valid when one signature carries the key's keyid (lowercase hex SHA-256 of the key's DER
SubjectPublicKeyInfo) and verifies with the key over PAE(payloadType, payload); signatures by
other keys are ignored. The payload must be an in-toto Statement v1 of predicate type
urn:docsgen:bundle-attestation:v1 whose subject named docsgen-documentation-bundle.zip has the
zip's sha256 and whose other subjects are exactly the zip's entries with their sha256.
Exit 0 valid, 4 any mismatch (each printed as a FAIL line), 2 unreadable input.
"""
import base64
import binascii
import hashlib
import json
import sys
import zipfile

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ZIP_SUBJECT = "docsgen-documentation-bundle.zip"
STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "urn:docsgen:bundle-attestation:v1"
PAYLOAD_TYPE = "application/vnd.in-toto+json"


def pae(payload_type: bytes, payload: bytes) -> bytes:
    """DSSE v1 pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body."""
    return b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type, len(payload), payload)


def unreadable(message):
    print("unreadable input: " + message, file=sys.stderr)
    sys.exit(2)


def main(argv):
    if len(argv) != 4:
        unreadable("usage: dsse_verify.py BUNDLE.zip ATTESTATION PUBLIC_KEY.pem")
    zip_path, envelope_path, key_path = argv[1:]
    try:
        with open(key_path, "rb") as f:
            key = serialization.load_pem_public_key(f.read())
    except (OSError, ValueError) as e:
        unreadable("%s: %s" % (key_path, e))
    if not isinstance(key, Ed25519PublicKey):
        unreadable("%s is not an Ed25519 public key" % key_path)
    spki = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    keyid = hashlib.sha256(spki).hexdigest()
    try:
        with open(envelope_path, "rb") as f:
            envelope = json.loads(f.read())
        payload_type = envelope["payloadType"]
        payload_b64 = envelope["payload"]
        signatures = envelope["signatures"]
        if not isinstance(payload_type, str) or not isinstance(payload_b64, str) \
                or not isinstance(signatures, list) or not signatures:
            raise ValueError("payloadType, payload or signatures has the wrong type")
    except (OSError, ValueError, KeyError, TypeError) as e:
        unreadable("%s is not a DSSE envelope: %s" % (envelope_path, e))
    try:
        with open(zip_path, "rb") as f:
            zip_digest = hashlib.sha256(f.read()).hexdigest()
        with zipfile.ZipFile(zip_path) as z:
            entries = [(i.filename, hashlib.sha256(z.read(i)).hexdigest()) for i in z.infolist()]
    except (OSError, zipfile.BadZipFile) as e:
        unreadable("%s: %s" % (zip_path, e))

    failures, passes = [], []

    def check(ok, what, why):
        (passes if ok else failures).append(("OK " + what) if ok else ("FAIL %s: %s" % (what, why)))

    check(payload_type == PAYLOAD_TYPE, "payloadType", "is %r" % payload_type)
    try:
        payload = base64.b64decode(payload_b64, validate=True)
    except binascii.Error as e:
        payload = None
        check(False, "payload is base64", str(e))
    if payload is not None:
        message = pae(payload_type.encode("utf-8"), payload)
        verified = False
        for sig in signatures:
            if not isinstance(sig, dict) or sig.get("keyid") != keyid:
                continue  # another key's signature: ignored, never trusted
            try:
                key.verify(base64.b64decode(sig.get("sig", ""), validate=True), message)
                verified = True
            except (InvalidSignature, binascii.Error, ValueError):
                pass
        check(verified, "signature by keyid " + keyid, "no signature with that keyid verifies")
        try:
            statement = json.loads(payload)
        except ValueError:
            statement = None
            check(False, "payload is JSON", "it is not")
        if isinstance(statement, dict):
            check(statement.get("_type") == STATEMENT_TYPE, "_type", "is %r" % statement.get("_type"))
            check(statement.get("predicateType") == PREDICATE_TYPE, "predicateType",
                  "is %r" % statement.get("predicateType"))
            stated = {}
            for s in statement.get("subject") or []:
                name = s.get("name") if isinstance(s, dict) else None
                digest = (s.get("digest") or {}).get("sha256") if isinstance(s, dict) else None
                if name is None or digest is None or name in stated:
                    check(False, "subject", "missing name or digest.sha256, or listed twice: %r" % s)
                else:
                    stated[name] = digest
            said = stated.pop(ZIP_SUBJECT, None)
            check(said == zip_digest, "zip sha256 " + zip_digest, "statement says %r" % said)
            names = [n for n, _ in entries]
            check(len(names) == len(set(names)), "zip entry names unique", "a name repeats")
            for name, digest in entries:
                said = stated.pop(name, None)
                check(said == digest, "entry %s sha256 %s" % (name, digest), "statement says %r" % said)
            for extra in stated:
                check(False, "subject " + extra, "listed by the statement, not in the zip")
        elif statement is not None:
            check(False, "payload is a statement", "it is not a JSON object")

    for line in failures + passes:
        print(line)
    if failures:
        print("INVALID")
        return 4
    print("VALID run %s" % statement.get("predicate", {}).get("runId"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
