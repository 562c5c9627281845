import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { createCsr, parseCsr, verifyCsrSignature } from "./csr.ts";
import { encodeCsr } from "./der-csr.ts";
import { contextPrimitive, octetString, oid, sequence } from "./der-writer.ts";
import { encodeName } from "./distinguished-name.ts";
import { csrFixtureKey, csrKnownAnswers, csrTemplates, parsedCsrSummary } from "./fixtures/csr-cases.ts";
import { generatePrivateKey, publicKeysMatch } from "./keys.ts";
import { pemBlocks, toPem } from "./pem.ts";
import { KEY_USAGE_BITS } from "./usages.ts";

const issueOf = (error: unknown) =>
  error instanceof ValidationError ? `${error.issues[0]?.field} ${error.issues[0]?.rule}` : String(error);
const csrPemOf = (key: Parameters<typeof encodeCsr>[1]) =>
  toPem(
    "CERTIFICATE REQUEST",
    encodeCsr(
      { subject: encodeName({ commonName: "a.example" }), extensions: [], signatureAlgorithm: "PureEd25519" },
      key,
    ),
  );

describe("CSR", () => {
  it("carries the full subject, all SAN types and the requested usages", async () => {
    const key = await generatePrivateKey({ algorithm: "ECDSA", size: 256 });
    const pem = await createCsr(
      {
        subject: {
          commonName: "app.example",
          organizations: ["Demo, Corp"],
          organizationalUnits: ["Ops"],
          countries: ["DE"],
          localities: ["Berlin"],
          provinces: ["BE"],
          streetAddresses: ["Main St 1"],
          postalCodes: ["10115"],
          serialNumber: "42",
        },
        dnsNames: ["app.example", "*.app.example"],
        ipAddresses: ["10.0.0.1", "2001:db8:0:0::1"],
        uris: ["spiffe://cluster/ns/app"],
        emailAddresses: ["ops@app.example"],
        usages: ["server auth", "client auth", "digital signature"],
      },
      key,
    );
    const csr = parseCsr(pem);
    assert.equal(
      csr.subject.dn,
      "SERIALNUMBER=42,CN=app.example,OU=Ops,O=Demo\\, Corp,POSTALCODE=10115,STREET=Main St 1,L=Berlin,ST=BE,C=DE",
    );
    assert.deepEqual(csr.subject.fields.organizations, ["Demo, Corp"]);
    assert.deepEqual(csr.sans, {
      dnsNames: ["app.example", "*.app.example"],
      ipAddresses: ["10.0.0.1", "2001:db8::1"],
      uris: ["spiffe://cluster/ns/app"],
      emailAddresses: ["ops@app.example"],
    });
    assert.equal(csr.keyUsage, KEY_USAGE_BITS.digitalSignature);
    assert.deepEqual(csr.extKeyUsages, ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
    assert.equal(csr.isCA, undefined);
    assert.ok(publicKeysMatch(csr.publicKey, key));
    assert.equal(await verifyCsrSignature(csr), true);
  });

  it("marks a CA request with basicConstraints and cert sign", async () => {
    const key = await generatePrivateKey({ algorithm: "Ed25519" });
    const csr = parseCsr(await createCsr({ subject: { commonName: "CA" }, isCA: true }, key));
    assert.equal(csr.isCA, true);
    assert.equal((csr.keyUsage ?? 0) & KEY_USAGE_BITS.keyCertSign, KEY_USAGE_BITS.keyCertSign);
  });

  it("omits usage extensions when encodeUsagesInRequest is false", async () => {
    const key = await generatePrivateKey({ algorithm: "Ed25519" });
    const csr = parseCsr(
      await createCsr(
        { dnsNames: ["a.example"], usages: ["server auth"], encodeUsagesInRequest: false },
        key,
      ),
    );
    assert.equal(csr.keyUsage, undefined);
    assert.equal(csr.extKeyUsages, undefined);
  });

  it("fails signature verification when the request was altered", async () => {
    const key = await generatePrivateKey({ algorithm: "Ed25519" });
    const pem = await createCsr({ subject: { commonName: "honest.example" } }, key);
    const der = Buffer.from(pemBlocks(pem)[0]!.der);
    const at = der.indexOf(Buffer.from("honest"));
    der.write("forged", at);
    const csr = parseCsr(toPem("CERTIFICATE REQUEST", der));
    assert.equal(csr.subject.fields.commonName, "forged.example");
    assert.equal(await verifyCsrSignature(csr), false);
  });

  it("rejects a signature algorithm from another key family", async () => {
    const key = await generatePrivateKey({ algorithm: "Ed25519" });
    await assert.rejects(
      createCsr({ dnsNames: ["a.example"], signatureAlgorithm: "SHA256WithRSA" }, key),
      ValidationError,
    );
  });

  it("rejects text without a CSR block", () => {
    assert.throws(() => parseCsr("not a csr"), ValidationError);
  });

  it("rejects a PEM block that holds no PKCS#10 DER, on its field", () => {
    const der = Buffer.from(pemBlocks(csrPemOf(csrFixtureKey))[0]!.der);
    const cases = {
      "cut short": der.subarray(0, der.length - 1),
      "followed by bytes": Buffer.concat([der, Buffer.of(0)]),
      "not DER at all": Buffer.from("certificate request"),
      "an indefinite length": Buffer.concat([Buffer.of(0x30, 0x80), der, Buffer.of(0, 0)]),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      assert.throws(
        () => parseCsr(toPem("CERTIFICATE REQUEST", bytes), "spec.request"),
        (error: unknown) => issueOf(error) === "spec.request decode",
        name,
      );
    }
  });

  it("rejects a requested extension whose value is malformed, as a decode issue", () => {
    // A SAN iPAddress of five octets is neither IPv4 nor IPv6.
    const badSan = sequence([
      oid("2.5.29.17"),
      octetString(sequence([contextPrimitive(7, Uint8Array.of(1, 2, 3, 4, 5))])),
    ]);
    const der = encodeCsr(
      {
        subject: encodeName({ commonName: "bad.example" }),
        extensions: [badSan],
        signatureAlgorithm: "PureEd25519",
      },
      csrFixtureKey,
    );
    assert.throws(
      () => parseCsr(toPem("CERTIFICATE REQUEST", der), "spec.request"),
      (error: unknown) => issueOf(error) === "spec.request decode",
    );
  });

  it("rejects a public key node:crypto cannot read, on its field", async () => {
    const key = await generatePrivateKey({ algorithm: "ECDSA", size: 256 });
    const der = Buffer.from(pemBlocks(await createCsr({ dnsNames: ["a.example"] }, key))[0]!.der);
    // The uncompressed point follows BIT STRING (0x03 0x42), no unused bits, 0x04: move it off the curve.
    der[der.indexOf(Buffer.of(0x03, 0x42, 0x00, 0x04)) + 9]! ^= 0xff;
    assert.throws(
      () => parseCsr(toPem("CERTIFICATE REQUEST", der), "spec.request"),
      (error: unknown) => issueOf(error) === "spec.request publicKey",
    );
  });

  it("does not verify a signature algorithm certplane does not sign with", () => {
    const der = Buffer.from(pemBlocks(csrPemOf(csrFixtureKey))[0]!.der);
    // id-Ed25519 (1.3.101.112) becomes id-Ed448 (1.3.101.113) in the signatureAlgorithm.
    der[der.lastIndexOf(Buffer.of(0x06, 0x03, 0x2b, 0x65, 0x70)) + 4] = 0x71;
    return verifyCsrSignature(parseCsr(toPem("CERTIFICATE REQUEST", der))).then((verified) =>
      assert.equal(verified, false),
    );
  });

  it("does not verify a signature made with a key of another family than the algorithm names", async () => {
    const key = await generatePrivateKey({ algorithm: "ECDSA", size: 256 });
    // node signs an ECDSA signature with an EC key whatever digest name it is given: the request says
    // SHA256WithRSA over an ECDSA signature, which a check by digest alone would accept.
    const der = encodeCsr(
      {
        subject: encodeName({ commonName: "mixed.example" }),
        extensions: [],
        signatureAlgorithm: "SHA256WithRSA",
      },
      key,
    );
    assert.equal(await verifyCsrSignature(parseCsr(toPem("CERTIFICATE REQUEST", der))), false);
  });
});

describe("parseCsr known answers", () => {
  for (const [name, template] of Object.entries(csrTemplates)) {
    it(`reads ${name} as the @peculiar/x509 reader did`, async () => {
      const csr = parseCsr(await createCsr(template, csrFixtureKey));
      assert.deepEqual(parsedCsrSummary(csr), csrKnownAnswers[name]?.parsed);
      assert.equal(await verifyCsrSignature(csr), true);
    });
  }
});
