import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { CertificateRequestState, IssuerState } from "@certplane/domain/model";
import { findCondition, issuerReadyCondition, streams } from "@certplane/domain/model";
import { parseCertificate, parseCertificateChain, publicKeysMatch } from "@certplane/pki";
import { type SignerHarness, selfSignedCertificate, startSignerHarness } from "./testing/signer-harness.ts";

const issued = (state: CertificateRequestState) =>
  state.status === "present" && state.phase === "issued" ? state : undefined;
const readyReason = (state: IssuerState) =>
  state.status === "active" && state.readiness ? issuerReadyCondition(state) : undefined;

describe("signer service", () => {
  let h: SignerHarness;
  before(async () => {
    h = await startSignerHarness({ clusterResourceNamespace: "certs-system" });
  });
  after(async () => {
    await h.stop();
  });

  async function readyWith(stream: string, reason: string) {
    return await h.until(`${stream} Ready reason ${reason}`, async () => {
      const condition = readyReason(await h.issuer(stream));
      return condition?.reason === reason ? condition : undefined;
    });
  }

  async function issuedRequest(namespace: string, name: string) {
    return await h.until(`${namespace}/${name} issued`, async () => issued(await h.request(namespace, name)));
  }

  it("reports a CA issuer ErrGetKeyPair, then KeyPairVerified, then ErrInvalidKeyPair as its secret changes", async () => {
    const stream = await h.applyIssuer(
      { kind: "Issuer", name: "ca", namespace: "readiness" },
      { ca: { secretName: "ca-key-pair" } },
    );
    const missing = await readyWith(stream, "ErrGetKeyPair");
    assert.equal(missing.status, "False");
    assert.equal(missing.message, 'Error getting keypair for CA issuer: secret "ca-key-pair" not found');

    await h.writeTlsSecret("readiness", "ca-key-pair", await selfSignedCertificate("Readiness CA"));
    const verified = await readyWith(stream, "KeyPairVerified");
    assert.equal(verified.status, "True");
    assert.equal(verified.message, "Signing CA verified");

    await h.writeTlsSecret("readiness", "ca-key-pair", await selfSignedCertificate("not a ca", false));
    const invalid = await readyWith(stream, "ErrInvalidKeyPair");
    assert.equal(invalid.status, "False");
    assert.equal(invalid.message, "Error getting keypair for CA issuer: certificate is not a CA");
  });

  it("reports a CA issuer whose key does not belong to its certificate as ErrInvalidKeyPair", async () => {
    const ca = await selfSignedCertificate("Mismatch CA");
    const other = await selfSignedCertificate("Other CA");
    await h.writeTlsSecret("mismatch", "ca", {
      certificatePem: ca.certificatePem,
      privateKey: other.privateKey,
    });
    const stream = await h.applyIssuer(
      { kind: "Issuer", name: "ca", namespace: "mismatch" },
      { ca: { secretName: "ca" } },
    );
    const condition = await readyWith(stream, "ErrInvalidKeyPair");
    assert.match(condition.message, /private key does not match/);
  });

  it("reads a ClusterIssuer's CA secret from the cluster resource namespace and marks selfSigned issuers IsReady", async () => {
    await h.writeTlsSecret("certs-system", "cluster-ca", await selfSignedCertificate("Cluster CA"));
    const ca = await h.applyIssuer(
      { kind: "ClusterIssuer", name: "cluster-ca" },
      { ca: { secretName: "cluster-ca" } },
    );
    assert.equal((await readyWith(ca, "KeyPairVerified")).status, "True");
    const selfSigned = await h.applyIssuer({ kind: "ClusterIssuer", name: "self" }, { selfSigned: {} });
    assert.equal((await readyWith(selfSigned, "IsReady")).status, "True");
  });

  it("issues a self-signed CA from the key in the next-key secret: ca is the certificate itself, CA:TRUE", async () => {
    await h.applyIssuer({ kind: "Issuer", name: "self", namespace: "selfsigned" }, { selfSigned: {} });
    const { privateKey } = await h.requestWithNextKey(
      "selfsigned",
      "root-ca-1",
      { name: "self" },
      { isCA: true, commonName: "Root CA" },
    );
    const request = await issuedRequest("selfsigned", "root-ca-1");
    assert.equal(request.ca, request.certificate);
    const cert = parseCertificate(request.certificate!);
    assert.equal(cert.isCA, true);
    assert.equal(cert.subject.fields.commonName, "Root CA");
    assert.equal(cert.issuer.dn, cert.subject.dn);
    assert.ok(publicKeysMatch(privateKey, cert.publicKey));
    assert.equal(cert.notAfter.getTime() - cert.notBefore.getTime(), 2160 * 3600 * 1000);
    assert.equal(cert.notBefore.toISOString(), h.clock.now().toISOString());
    assert.equal(cert.serialNumber.length > 20, true);
  });

  it("signs a leaf with a CA issuer: chain is leaf then the CA, ca is the CA, duration from the request", async () => {
    const ca = await selfSignedCertificate("Leaf CA");
    await h.writeTlsSecret("leaf", "ca", ca);
    await h.applyIssuer({ kind: "Issuer", name: "ca", namespace: "leaf" }, { ca: { secretName: "ca" } });
    await h.requestWithNextKey(
      "leaf",
      "web-1",
      { name: "ca", kind: "Issuer" },
      { dnsNames: ["web.example.com"], duration: "1h" },
    );
    const request = await issuedRequest("leaf", "web-1");
    const [leaf, issuer, ...rest] = parseCertificateChain(request.certificate!);
    assert.equal(rest.length, 0);
    assert.equal(issuer?.pem, parseCertificate(ca.certificatePem).pem);
    assert.equal(request.ca, issuer?.pem);
    assert.equal(leaf?.isCA, false);
    assert.deepEqual(leaf?.sans.dnsNames, ["web.example.com"]);
    assert.equal(leaf?.authorityKeyId, issuer?.subjectKeyId);
    assert.equal(leaf!.notAfter.getTime() - leaf!.notBefore.getTime(), 3600 * 1000);
  });

  it("caps the lifetime at the signer's configured maximum, whatever the request asks", async () => {
    const capped = await startSignerHarness({ maxDurationMs: 10_000 });
    try {
      const ca = await selfSignedCertificate("Capped CA");
      await capped.writeTlsSecret("capped", "ca", ca);
      await capped.applyIssuer(
        { kind: "Issuer", name: "ca", namespace: "capped" },
        { ca: { secretName: "ca" } },
      );
      await capped.requestWithNextKey(
        "capped",
        "web-1",
        { name: "ca", kind: "Issuer" },
        { dnsNames: ["web.example.com"], duration: "1h" },
      );
      const request = await capped.until("the capped request to be issued", async () => {
        const state = await capped.request("capped", "web-1");
        return state.status === "present" && state.certificate ? state : undefined;
      });
      const [leaf] = parseCertificateChain(request.certificate!);
      assert.equal(leaf!.notAfter.getTime() - leaf!.notBefore.getTime(), 10_000);
    } finally {
      await capped.stop();
    }
  });

  it("keeps a request for a missing issuer Pending, then issues it once the issuer exists and is Ready", async () => {
    await h.requestWithNextKey("late", "app-1", { name: "late-ca", kind: "ClusterIssuer" });
    const message = 'Referenced "ClusterIssuer" not found: clusterissuer.cert-manager.io "late-ca" not found';
    await h.until("request pending on the missing issuer", async () => {
      const state = await h.request("late", "app-1");
      return state.status === "present" && findCondition(state.conditions, "Ready")?.message === message
        ? state
        : undefined;
    });

    const stream = await h.applyIssuer(
      { kind: "ClusterIssuer", name: "late-ca" },
      { ca: { secretName: "late-ca" } },
    );
    await readyWith(stream, "ErrGetKeyPair");
    await h.until("request pending on the unready issuer", async () => {
      const state = await h.request("late", "app-1");
      const ready = state.status === "present" ? findCondition(state.conditions, "Ready") : undefined;
      return ready?.message === "Referenced issuer does not have a Ready status condition"
        ? state
        : undefined;
    });

    await h.writeTlsSecret("certs-system", "late-ca", await selfSignedCertificate("Late CA"));
    const request = await issuedRequest("late", "app-1");
    assert.equal(findCondition(request.conditions, "Ready")?.reason, "Issued");
  });

  it("does not sign a request that is not approved", async () => {
    await h.applyIssuer({ kind: "Issuer", name: "self", namespace: "unapproved" }, { selfSigned: {} });
    await h.requestWithNextKey("unapproved", "waiting", { name: "self" }, { approve: false });
    await h.requestWithNextKey("unapproved", "approved", { name: "self" });
    // Events are handled in order, so once the later request is issued the earlier one was seen.
    await issuedRequest("unapproved", "approved");
    const waiting = await h.request("unapproved", "waiting");
    assert.equal(waiting.status === "present" && waiting.phase, "pending");
    assert.deepEqual(await h.eventTypes(streams.certificateRequest("unapproved", "waiting")), [
      "CertificateRequestCreated",
    ]);
  });

  it("marks a request whose CSR does not decode as an InvalidRequest", async () => {
    await h.applyIssuer({ kind: "Issuer", name: "self", namespace: "bad" }, { selfSigned: {} });
    await h.createRequest("bad", "garbage", {
      request: "-----BEGIN CERTIFICATE REQUEST-----\nMIIBAAAA\n-----END CERTIFICATE REQUEST-----\n",
      issuerRef: { name: "self" },
    });
    await h.approve("bad", "garbage");
    const state = await h.until("request marked invalid", async () => {
      const current = await h.request("bad", "garbage");
      return current.status === "present" && current.phase === "invalid" ? current : undefined;
    });
    assert.equal(findCondition(state.conditions, "InvalidRequest")?.status, "True");
    assert.equal(findCondition(state.conditions, "Ready")?.reason, "Failed");
  });

  it("fails a self-signed request whose referenced key does not match its CSR", async () => {
    await h.applyIssuer({ kind: "Issuer", name: "self", namespace: "keymatch" }, { selfSigned: {} });
    const other = await selfSignedCertificate("someone else");
    await h.requestWithNextKey("keymatch", "app", { name: "self" }, { approve: false });
    await h.writeTlsSecret("keymatch", "app-next-key", { privateKey: other.privateKey });
    await h.approve("keymatch", "app");
    const events = await h.until("request failed", async () => {
      const read = await h.store.read(streams.certificateRequest("keymatch", "app"));
      const failed = read.events.find((e) => e.type === "CertificateRequestFailed");
      return failed ? (failed.data as { reason: string; message: string }) : undefined;
    });
    assert.equal(events.reason, "ErrorKeyMatch");
  });

  it("changes nothing when every event is delivered again", async () => {
    const before = new Map<string, number>();
    const tracked = [
      streams.certificateRequest("selfsigned", "root-ca-1"),
      streams.certificateRequest("leaf", "web-1"),
      streams.certificateRequest("late", "app-1"),
      streams.certificateRequest("bad", "garbage"),
      streams.clusterIssuer("late-ca"),
      streams.issuer("readiness", "ca"),
    ];
    for (const stream of tracked) before.set(stream, (await h.store.read(stream)).events.length);
    await h.redeliverEverything();
    await h.applyIssuer({ kind: "Issuer", name: "self", namespace: "after-redelivery" }, { selfSigned: {} });
    await h.requestWithNextKey("after-redelivery", "marker", { name: "self" });
    await issuedRequest("after-redelivery", "marker");
    for (const stream of tracked) {
      assert.equal((await h.store.read(stream)).events.length, before.get(stream), `${stream} unchanged`);
    }
  });
});
