import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { createCsr, parseCsr, verifyCsrSignature } from "./csr.ts";
import { generatePrivateKey, publicKeysMatch } from "./keys.ts";
import { pemBlocks, toPem } from "./pem.ts";
import { KEY_USAGE_BITS } from "./usages.ts";

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
});
