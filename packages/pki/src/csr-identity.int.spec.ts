// spec.literalSubject, spec.otherNames and spec.nameConstraints carried from the CSR into the
// issued certificate, as `openssl x509 -text` shows them.
import assert from "node:assert/strict";
import type { KeyObject } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { signCertificate } from "./certificate-builder.ts";
import { createCsr, parseCsr } from "./csr.ts";
import { encodeLiteralSubject } from "./distinguished-name.ts";
import { generatePrivateKey } from "./keys.ts";
import { runTool } from "./testing/index.ts";

const notBefore = new Date(Date.now() - 60_000);

/** The CSR signed by its own key, as the selfSigned issuer does. */
async function selfSigned(csrPem: string, key: KeyObject, serialNumber: string, isCA = false) {
  return await signCertificate({
    csrPem,
    isCA,
    notBefore,
    serialNumber,
    signer: { kind: "selfSigned", privateKey: key },
  });
}

describe("subject, otherNames and name constraints in issued certificates, read by openssl", () => {
  let dir: string;
  const text = async (name: string, pem: string) => {
    const path = join(dir, name);
    await writeFile(path, pem);
    return await runTool("openssl", ["x509", "-in", path, "-noout", "-text", "-nameopt", "RFC2253"]);
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "certplane-csr-identity-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("a literal subject keeps its RDN order, DC and UID attributes and multi-valued RDNs", async () => {
    const key = await generatePrivateKey({ algorithm: "ECDSA", size: 256 });
    // spec.literalSubject "CN=John Doe,OU=Eng+UID=jdoe,DC=example,DC=com", as parsed by the domain.
    const rdns = [
      [{ type: "CN", value: "John Doe" }],
      [
        { type: "OU", value: "Eng" },
        { type: "UID", value: "jdoe" },
      ],
      [{ type: "DC", value: "example" }],
      [{ type: "DC", value: "com" }],
    ];
    const csrPem = await createCsr(
      { rawSubject: encodeLiteralSubject(rdns), dnsNames: ["a.example.com"] },
      key,
    );
    const cert = await selfSigned(csrPem, key, "0a");
    const printed = await text("literal.pem", cert.pem);
    // openssl's RFC 2253 printing reverses the attributes of an RDN as well as the RDNs.
    assert.match(printed, /Subject: CN=John Doe,UID=jdoe\+OU=Eng,DC=example,DC=com\n/);
    const asn1 = await runTool("openssl", ["asn1parse", "-in", join(dir, "literal.pem")]);
    // RFC 4514 writes the most significant RDN last: DC=com is the first RDN of the DER Name.
    const subjectDer = asn1.slice(asn1.indexOf("domainComponent"));
    const order = ["IA5STRING         :com", ":example", "organizationalUnitName", "userId", ":John Doe"];
    const positions = order.map((part) => subjectDer.indexOf(part));
    assert.ok(
      positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!)),
      `DER order ${order.join(", ")}`,
    );
  });

  it("otherNames become otherName SANs with UTF8String values, UPN among them", async () => {
    const key = await generatePrivateKey({ algorithm: "ECDSA", size: 256 });
    const otherNames = [
      { oid: "1.3.6.1.4.1.311.20.2.3", utf8Value: "jdoe@example.com" },
      { oid: "1.2.3.4.5", utf8Value: "grüße" },
    ];
    const csrPem = await createCsr({ dnsNames: ["a.example.com"], otherNames }, key);
    assert.deepEqual(parseCsr(csrPem).sans.otherNames, otherNames);
    const cert = await selfSigned(csrPem, key, "0b");
    const printed = await text("othernames.pem", cert.pem);
    assert.match(
      printed,
      /X509v3 Subject Alternative Name: critical\s+DNS:a\.example\.com, othername: UPN:+jdoe@example\.com, othername: 1\.2\.3\.4\.5:+/,
    );
  });

  it("nameConstraints go from the CSR into the CA certificate, critical when asked", async () => {
    const key = await generatePrivateKey({ algorithm: "ECDSA", size: 256 });
    const csrPem = await createCsr(
      {
        subject: { commonName: "Constrained CA" },
        isCA: true,
        nameConstraints: {
          critical: true,
          permitted: {
            dnsDomains: ["example.com"],
            ipRanges: ["10.0.0.0/8", "fd00::/8"],
            emailAddresses: ["example.com"],
            uriDomains: [".example.com"],
          },
          excluded: { dnsDomains: ["bad.example.com"] },
        },
      },
      key,
    );
    const cert = await selfSigned(csrPem, key, "0c", true);
    const printed = await text("constraints.pem", cert.pem);
    assert.match(
      printed,
      /X509v3 Name Constraints: critical\s+Permitted:\s+DNS:example\.com\s+IP:10\.0\.0\.0\/255\.0\.0\.0\s+IP:FD00:0:0:0:0:0:0:0\/FF00:0:0:0:0:0:0:0\s+email:example\.com\s+URI:\.example\.com\s+Excluded:\s+DNS:bad\.example\.com/,
    );
  });
});
