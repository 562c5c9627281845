// The NATS KV target end to end: the embedded control plane publishes the seed's certificates into a
// bucket of a real nats-server, as a NATS client watching for new certificates reads them: the
// certificate in plaintext, the private key sealed to the client's own public key.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type NatsServerHandle, startNatsServer } from "@certplane/testing";
import type { KV } from "@nats-io/kv";
import { Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { connect } from "@nats-io/transport-node";
import { compactDecrypt } from "jose";
import { withManifest } from "./support/acme-fixtures.ts";
import { certctl } from "./support/certctl.ts";
import type { TestEmbeddedPlane } from "./support/embedded-plane.ts";
import { startTestEmbeddedPlane } from "./support/embedded-plane.ts";
import { applySeedAndWait } from "./support/seed-chain.ts";
import { eventually } from "./support/service-process.ts";

const consumerKeys = generateKeyPairSync("ec", { namedCurve: "P-256" });

interface IndexEntry {
  readonly type: string;
  readonly entries: Readonly<Record<string, { readonly revision: number; readonly sealed: boolean }>>;
}

describe("certificates published to a NATS KV bucket", () => {
  let embedded: TestEmbeddedPlane;
  let nats: NatsServerHandle;
  let consumer: NatsConnection;

  before(async () => {
    nats = await startNatsServer();
    embedded = await startTestEmbeddedPlane("certplane-nats-kv-");
    consumer = await connect({ servers: nats.url });
  });

  after(async () => {
    await consumer?.close();
    await embedded?.dispose();
    await nats?.dispose();
  });

  const bucket = async (): Promise<KV> => new Kvm(consumer).open("certificates");

  /** The entries of one Secret once its index names the values a consumer can read now. */
  const readSecret = async (kv: KV, name: string) => {
    const index = await kv.get(`demo-apps.${name}`);
    if (index === null || index.operation !== "PUT") return undefined;
    const parsed = index.json<IndexEntry>();
    const values: Record<string, string> = {};
    for (const [key, { revision }] of Object.entries(parsed.entries)) {
      const entry = await kv.get(`demo-apps.${name}.${key}`);
      if (entry?.revision !== revision) return undefined;
      values[key] = entry.string();
    }
    return { index: parsed, values };
  };

  test("the seed's Secret lands in the bucket, its key sealed to the consumer, and a renew replaces it", async () => {
    await applySeedAndWait(embedded.server);
    const publicKey = consumerKeys.publicKey.export({ type: "spki", format: "pem" }).toString();
    const target = [
      "apiVersion: certplane.io/v1alpha1",
      "kind: SecretTarget",
      "metadata: { name: edge-kv }",
      "spec:",
      "  selector: { namespaces: [demo-apps] }",
      "  natsKV:",
      "    bucket: certificates",
      `    servers: ["${nats.url}"]`,
      "    recipient:",
      "      publicKey: |",
      ...publicKey
        .trim()
        .split("\n")
        .map((line) => `        ${line}`),
    ].join("\n");
    const applied = await withManifest(target, (file) => certctl(embedded.server, "apply", "-f", file));
    assert.equal(applied.code, 0, applied.stderr);

    const files = join(embedded.workDir, "secrets", "demo-apps", "myapp-tls-secret");
    const published = await eventually(
      "myapp-tls-secret in the bucket",
      async () => {
        // The bucket appears with the target's first write.
        const kv = await bucket().catch(() => undefined);
        return kv && (await readSecret(kv, "myapp-tls-secret"));
      },
      { timeoutMs: 60_000 },
    );
    assert.equal(published.index.type, "kubernetes.io/tls");
    assert.equal(published.values["tls.crt"], await readFile(join(files, "tls.crt"), "utf8"));
    assert.equal(published.index.entries["tls.key"]?.sealed, true);
    assert.doesNotMatch(published.values["tls.key"] ?? "", /PRIVATE KEY/);
    const { plaintext } = await compactDecrypt(published.values["tls.key"]!, consumerKeys.privateKey);
    assert.equal(new TextDecoder().decode(plaintext), await readFile(join(files, "tls.key"), "utf8"));

    const watched = await (await bucket()).watch({ key: "demo-apps.myapp-tls-secret" });
    const renewed = await certctl(embedded.server, "renew", "myapp-tls", "-n", "demo-apps");
    assert.equal(renewed.code, 0, renewed.stderr);
    for await (const entry of watched) {
      if (entry.revision > 0 && entry.operation === "PUT") {
        const now = await readSecret(await bucket(), "myapp-tls-secret");
        if (now && now.values["tls.crt"] !== published.values["tls.crt"]) break;
      }
    }
    watched.stop();
    const after = await readSecret(await bucket(), "myapp-tls-secret");
    await eventually(
      "the file target to hold the same renewed certificate",
      async () =>
        (await readFile(join(files, "tls.crt"), "utf8")) === after?.values["tls.crt"] ? true : undefined,
      { timeoutMs: 30_000 },
    );

    const ready = await certctl(embedded.server, "get", "secrettarget", "edge-kv", "-o", "json");
    const condition = (
      JSON.parse(ready.stdout) as { status: { conditions: { type: string; status: string }[] } }
    ).status.conditions.find((c) => c.type === "Ready");
    assert.equal(condition?.status, "True");
  });
});
