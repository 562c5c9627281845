import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { CertificateSpec } from "@certplane/domain";
import { pollUntil } from "@certplane/testing";
import { sealValue } from "../keys/sealed-key.ts";
import { PublisherHarness } from "../testing/publisher-harness.ts";
import { RecordingTarget } from "../testing/recording-target.ts";
import { SecretOutputsWatch } from "./secret-outputs-watch.ts";

const web = { namespace: "apps", name: "web-tls" };
const passwordRef = { namespace: "apps", name: "jks-password" };

const spec: CertificateSpec = {
  secretName: "web-tls",
  issuerRef: { name: "selfsigned" },
  dnsNames: ["a.example.com"],
  additionalOutputFormats: [{ type: "DER" }, { type: "CombinedPEM" }],
  keystores: {
    pkcs12: { create: true, password: "p12-literal", profile: "Modern2023" },
    jks: { create: true, alias: "web", passwordSecretRef: { name: "jks-password", key: "password" } },
  },
};

async function importPassword(harness: PublisherHarness, password: string): Promise<void> {
  await harness.importSecret(passwordRef.name, {
    type: "Opaque",
    data: {},
    sealedData: { password: sealValue(harness.ctx, passwordRef, "password", password) },
  });
}

/** Waits for the watch to write a newer version of the Secret, then mirrors it to the target. */
async function rewritten(harness: PublisherHarness, target: RecordingTarget, after: number, what: string) {
  await pollUntil(
    async () => {
      const secret = await harness.secret(web.name);
      return secret.status === "present" && secret.version > after;
    },
    { what },
  );
  await harness.pump();
  return target.get(web)!;
}

async function versionOf(harness: PublisherHarness): Promise<number> {
  const secret = await harness.secret(web.name);
  return secret.status === "present" ? secret.version : 0;
}

async function issued(target: RecordingTarget, harness: PublisherHarness, certificateSpec = spec) {
  await harness.applyCertificate("web", certificateSpec);
  await harness.pump();
  await harness.signRequest("web-1");
  await harness.pump();
  return target.get(web);
}

describe("keystores and additional output formats in the Secret", () => {
  test("every format and keystore the spec asks for is published, private and binary where cert-manager's is", async () => {
    const target = new RecordingTarget();
    const harness = new PublisherHarness([target]);
    await importPassword(harness, "jks-secret");
    const published = await issued(target, harness);

    assert.deepEqual(Object.keys(published?.secretData ?? {}).sort(), [
      "key.der",
      "keystore.jks",
      "keystore.p12",
      "tls-combined.pem",
      "tls.key",
      "truststore.jks",
      "truststore.p12",
    ]);
    const secretData = published!.secretData;
    const keyPem = String(secretData["tls.key"]);
    assert.equal(secretData["tls-combined.pem"], `${keyPem}\n${published!.data["tls.crt"]}`);
    for (const key of ["key.der", "keystore.p12", "truststore.p12", "keystore.jks", "truststore.jks"]) {
      assert.ok(secretData[key] instanceof Uint8Array, `${key} is bytes`);
    }
    assert.equal(Buffer.from(secretData["keystore.jks"] as Uint8Array).readUInt32BE(0), 0xfeedfeed);
  });

  test("no private value reaches the event store unsealed", async () => {
    const target = new RecordingTarget();
    const harness = new PublisherHarness([target]);
    await importPassword(harness, "jks-secret");
    const published = await issued(target, harness);
    const events = JSON.stringify(harness.allEvents(), (_key, value) =>
      typeof value === "bigint" ? value.toString() : value,
    );
    assert.doesNotMatch(events, /PRIVATE KEY-----/);
    assert.doesNotMatch(events, /jks-secret/);
    for (const key of ["key.der", "keystore.p12", "keystore.jks"]) {
      const bytes = Buffer.from(published!.secretData[key] as Uint8Array);
      assert.ok(!events.includes(bytes.toString("base64").slice(0, 40)), `${key} appears only sealed`);
    }
  });

  test("a redelivered issuance writes the same keystores again: nothing new is stored", async () => {
    const target = new RecordingTarget();
    const harness = new PublisherHarness([target]);
    await importPassword(harness, "jks-secret");
    await issued(target, harness);
    const written = harness.allEvents().filter((e) => e.type === "SecretWritten").length;
    await harness.redeliverAll();
    assert.equal(harness.allEvents().filter((e) => e.type === "SecretWritten").length, written);
  });

  test("a missing password Secret fails the issuance with the Secret and key named", async () => {
    const target = new RecordingTarget();
    const harness = new PublisherHarness([target]);
    await issued(target, harness);
    assert.equal(target.get(web), undefined);
    const failed = harness.allEvents().find((e) => e.type === "IssuanceFailed");
    const data = failed?.data as { reason?: string; message?: string } | undefined;
    assert.equal(data?.reason, "KeystoreFailed");
    assert.match(data?.message ?? "", /jks keystore password Secret apps\/jks-password does not exist/);
  });

  test("a changed password or spec rewrites the keystores of the issued Secret, and nothing else", async () => {
    const target = new RecordingTarget();
    const harness = new PublisherHarness([target]);
    await importPassword(harness, "jks-secret");
    const first = await issued(target, harness);
    const watch = new SecretOutputsWatch(harness.store, harness.ctx);
    await watch.start();
    try {
      await watch.idle();
      const issuedVersion = await versionOf(harness);
      await importPassword(harness, "rotated");
      const rotated = await rewritten(
        harness,
        target,
        issuedVersion,
        "the keystores rewritten with the new password",
      );
      assert.notDeepEqual(rotated.secretData["keystore.jks"], first!.secretData["keystore.jks"]);
      assert.deepEqual(rotated.secretData["keystore.p12"], first!.secretData["keystore.p12"]);
      assert.equal(rotated.secretData["tls.key"], first!.secretData["tls.key"]);
      assert.deepEqual(rotated.data, first!.data);

      const rotatedVersion = await versionOf(harness);
      const { keystores: _dropped, ...withoutKeystores } = spec;
      await harness.applyCertificate("web", { ...withoutKeystores, additionalOutputFormats: [] });
      const trimmed = await rewritten(
        harness,
        target,
        rotatedVersion,
        "the outputs the spec dropped removed",
      );
      assert.deepEqual(Object.keys(trimmed.secretData), ["tls.key"]);
    } finally {
      await watch.stop();
    }
  });
});
