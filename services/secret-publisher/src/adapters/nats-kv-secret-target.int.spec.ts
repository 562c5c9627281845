import assert from "node:assert/strict";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { ValidationError } from "@certplane/domain";
import { freePort, type NatsServerHandle, startNatsServer } from "@certplane/testing";
import type { KV } from "@nats-io/kv";
import { Kvm, KvWatchInclude } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { compactDecrypt, decodeProtectedHeader } from "jose";
import type { PublishedSecret, SecretRef } from "../secrets/secret-target.ts";
import type { SecretValue } from "../secrets/secret-values.ts";
import { binarySecretKeys } from "../secrets/secret-values.ts";
import { JweRecipient } from "./jwe-recipient.ts";
import { natsKvPermissions } from "./nats-kv-errors.ts";
import type { NatsCredentials, NatsKvIndex, NatsKvSecretTargetOptions } from "./nats-kv-secret-target.ts";
import { NatsKvSecretTarget, natsKvIndexKey, natsKvValueKey } from "./nats-kv-secret-target.ts";
import { secretTargetContract } from "./secret-target-contract.ts";

// One real nats-server for the file, with users whose permissions the error tests need; every test
// writes to a bucket of its own.
const admin: NatsCredentials = { kind: "userPassword", user: "admin", password: "admin-pw" };
// Exactly what the README and the permission errors tell an operator to grant (direct get: the
// buckets certplane creates have allow_direct).
const minimalBucket = "minimal";
const minimalPublish = [
  ...natsKvPermissions(minimalBucket)
    .split("; subscribe")[0]!
    .matchAll(/"([^"]+)"/g),
]
  .map((match) => match[1]!)
  .filter((subject) => !subject.includes(".MSG.GET."));
const authorization = [
  "authorization {",
  "  users: [",
  "    { user: admin, password: admin-pw }",
  '    { user: nocreate, password: pw, permissions: { publish: { allow: ["$JS.API.>", "$KV.>"], deny: ["$JS.API.STREAM.CREATE.>"] }, subscribe: { allow: ["_INBOX.>"] } } }',
  '    { user: readonly, password: pw, permissions: { publish: { allow: ["$JS.API.>"] }, subscribe: { allow: ["_INBOX.>"] } } }',
  `    { user: minimal, password: pw, permissions: { publish: { allow: ${JSON.stringify(minimalPublish)} }, subscribe: { allow: ["_INBOX.>"] } } }`,
  "  ]",
  "}",
];

const pemOf = (key: KeyObject) => key.export({ type: "spki", format: "pem" }).toString();
const ecKeys = generateKeyPairSync("ec", { namedCurve: "P-256" });

let bucketCount = 0;
const nextBucket = (prefix: string) => `${prefix}_${++bucketCount}`;

/** What a consumer does: read the index, then each value at the revision the index names. */
async function readNatsKv(
  kv: KV,
  ref: SecretRef,
  privateKey: KeyObject | undefined,
): Promise<PublishedSecret | undefined> {
  const entry = await kv.get(natsKvIndexKey(ref));
  if (entry === null || entry.operation !== "PUT") return undefined;
  const index = entry.json<NatsKvIndex>();
  const view = await valuesOf(kv, ref, index, privateKey);
  assert.ok(view !== undefined, "every value has the revision its index names");
  const { type, labels, annotations, owner } = index;
  return { ...ref, type, labels, annotations, owner, ...view };
}

async function valuesOf(kv: KV, ref: SecretRef, index: NatsKvIndex, privateKey: KeyObject | undefined) {
  const data: Record<string, string> = {};
  const secretData: Record<string, SecretValue> = {};
  for (const [key, { revision, sealed, private: isPrivate }] of Object.entries(index.entries)) {
    const value = await kv.get(natsKvValueKey(ref, key));
    // Rewritten since this index: a newer index is on its way.
    if (value?.operation !== "PUT" || value.revision !== revision) return undefined;
    const bytes = Buffer.from(
      sealed ? (await compactDecrypt(value.string(), privateKey!)).plaintext : value.value,
    );
    if (!isPrivate) data[key] = bytes.toString("utf8");
    else secretData[key] = binarySecretKeys.has(key) ? bytes : bytes.toString("utf8");
  }
  return { data, secretData };
}

const web: SecretRef = { namespace: "apps", name: "web-tls.internal" };
const tls = (serial: string, ref: SecretRef = web): PublishedSecret => ({
  ...ref,
  type: "kubernetes.io/tls",
  data: {
    "tls.crt": `-----BEGIN CERTIFICATE-----\n${serial}\n-----END CERTIFICATE-----\n`,
    "ca.crt": "ca\n",
  },
  secretData: { "tls.key": `-----BEGIN PRIVATE KEY-----\nkey-${serial}\n-----END PRIVATE KEY-----\n` },
  labels: { "controller.cert-manager.io/fao": "true" },
  annotations: { "cert-manager.io/certificate-name": "web" },
  owner: { kind: "Certificate", name: "web", uid: "uid-1" },
});

describe("NatsKvSecretTarget on a real nats-server", () => {
  let nats: NatsServerHandle;
  let reader: NatsConnection;
  let recipient: JweRecipient;

  before(async () => {
    nats = await startNatsServer({ config: authorization });
    reader = await connect({ servers: nats.url, user: "admin", pass: "admin-pw" });
    recipient = await JweRecipient.fromPublicKeyPem(pemOf(ecKeys.publicKey), "recipient");
  });
  after(async () => {
    await reader?.close();
    await nats?.dispose();
  });

  const target = (bucket: string, options: Partial<NatsKvSecretTargetOptions> = {}) =>
    new NatsKvSecretTarget({
      name: "edge-kv",
      servers: [nats.url],
      bucket,
      credentials: admin,
      credentialsSource: "Secret cert-manager/edge-nats",
      recipient,
      ...options,
    });

  const bucketOf = (bucket: string) => new Kvm(reader).open(bucket);

  for (const mode of ["sealed", "plaintext"] as const) {
    secretTargetContract({
      kind: `nats-kv (${mode})`,
      fixture: async () => {
        const bucket = nextBucket(`contract_${mode}`);
        const writer = target(bucket, mode === "sealed" ? {} : { recipient: undefined });
        return {
          target: writer,
          read: async (ref) => await readNatsKv(await bucketOf(bucket), ref, ecKeys.privateKey),
          dispose: async () => {
            await writer.close();
            await (await bucketOf(bucket)).destroy().catch(() => undefined);
          },
        };
      },
    });
  }

  test("a sealed entry holds no plaintext key and opens with jose and the recipient's private key", async () => {
    const bucket = nextBucket("sealed");
    const writer = target(bucket);
    try {
      await writer.write(tls("one"));
      const kv = await bucketOf(bucket);
      const raw = (await kv.get(natsKvValueKey(web, "tls.key")))!.string();
      assert.doesNotMatch(raw, /PRIVATE KEY|key-one/);
      assert.equal(raw.split(".").length, 5, "a compact JWE");
      const { alg, enc, kid, epk } = decodeProtectedHeader(raw);
      assert.deepEqual(
        { alg, enc, kid, curve: (epk as { crv?: string } | undefined)?.crv },
        {
          alg: "ECDH-ES+A256KW",
          enc: "A256GCM",
          kid: recipient.kid,
          curve: "P-256",
        },
      );
      const { plaintext } = await compactDecrypt(raw, ecKeys.privateKey);
      assert.equal(new TextDecoder().decode(plaintext), tls("one").secretData["tls.key"]);
      // Public values stay readable to any consumer.
      assert.equal((await kv.get(natsKvValueKey(web, "tls.crt")))!.string(), tls("one").data["tls.crt"]);
      const index = (await kv.get(natsKvIndexKey(web)))!;
      assert.equal(natsKvIndexKey(web), "apps.web-tls_internal");
      assert.doesNotMatch(index.string(), /PRIVATE KEY|key-one/);
      assert.deepEqual(index.json<NatsKvIndex>().entries["tls.key"], {
        revision: (await kv.get(natsKvValueKey(web, "tls.key")))!.revision,
        private: true,
        sealed: true,
      });
    } finally {
      await writer.close();
    }
  });

  test("RSA and X25519 recipients get RSA-OAEP-256 and ECDH-ES+A256KW JWEs they can open", async () => {
    for (const [keys, alg] of [
      [generateKeyPairSync("rsa", { modulusLength: 2048 }), "RSA-OAEP-256"],
      [generateKeyPairSync("x25519"), "ECDH-ES+A256KW"],
    ] as const) {
      const other = await JweRecipient.fromPublicKeyPem(pemOf(keys.publicKey), "recipient");
      const bucket = nextBucket("recipient");
      const writer = target(bucket, { recipient: other });
      try {
        await writer.write(tls("one"));
        const raw = (await (await bucketOf(bucket)).get(natsKvValueKey(web, "tls.key")))!.string();
        assert.equal(decodeProtectedHeader(raw).alg, alg);
        const { plaintext } = await compactDecrypt(raw, keys.privateKey);
        assert.equal(new TextDecoder().decode(plaintext), tls("one").secretData["tls.key"]);
      } finally {
        await writer.close();
      }
    }
  });

  test("Plaintext mode stores the private key's PEM as is and says so in the index", async () => {
    const bucket = nextBucket("plaintext");
    const writer = target(bucket, { recipient: undefined });
    try {
      await writer.write(tls("one"));
      const kv = await bucketOf(bucket);
      assert.equal(
        (await kv.get(natsKvValueKey(web, "tls.key")))!.string(),
        tls("one").secretData["tls.key"],
      );
      assert.equal(
        (await kv.get(natsKvIndexKey(web)))!.json<NatsKvIndex>().entries["tls.key"]?.sealed,
        false,
      );
    } finally {
      await writer.close();
    }
  });

  test("the index entry is written after every value it names, with their revisions", async () => {
    const bucket = nextBucket("order");
    const writer = target(bucket);
    try {
      await writer.probe();
      const kv = await bucketOf(bucket);
      const watch = await kv.watch({ include: KvWatchInclude.UpdatesOnly });
      await writer.write(tls("one"));
      const seen: { key: string; revision: number }[] = [];
      for await (const entry of watch) {
        seen.push({ key: entry.key, revision: entry.revision });
        if (entry.key === natsKvIndexKey(web)) break;
      }
      assert.deepEqual(
        seen.map(({ key }) => key),
        ["ca.crt", "tls.crt", "tls.key"].map((key) => natsKvValueKey(web, key)).concat(natsKvIndexKey(web)),
      );
      const index = (await kv.get(natsKvIndexKey(web)))!.json<NatsKvIndex>();
      for (const { key, revision } of seen.slice(0, -1)) {
        assert.equal(index.entries[key.slice(natsKvIndexKey(web).length + 1)]?.revision, revision);
      }
    } finally {
      await writer.close();
    }
  });

  test("a consumer watching the index entries sees a rewrite, never a certificate with another's key", async () => {
    const bucket = nextBucket("watch");
    const writer = target(bucket);
    try {
      await writer.write(tls("0"));
      const kv = await bucketOf(bucket);
      // `*.*` matches the index entries only: values have at least three tokens.
      const watch = await kv.watch({ key: "*.*" });
      const writes = (async () => {
        for (let serial = 1; serial <= 5; serial++) await writer.write(tls(String(serial)));
      })();
      const views: string[] = [];
      for await (const entry of watch) {
        if (entry.operation !== "PUT") continue;
        const view = await valuesOf(kv, web, entry.json<NatsKvIndex>(), ecKeys.privateKey);
        if (view === undefined) continue;
        const serial = /\n(\d+)\n/.exec(view.data["tls.crt"] ?? "")?.[1];
        assert.equal(
          view.secretData["tls.key"],
          tls(serial ?? "?").secretData["tls.key"],
          "key matches certificate",
        );
        views.push(serial!);
        if (serial === "5") break;
      }
      await writes;
      assert.equal(views.at(-1), "5");
      assert.ok(views.length >= 2, `saw the rewrite: ${views.join(", ")}`);
    } finally {
      await writer.close();
    }
  });

  test("a rewrite with the same content writes nothing; delete purges index and values", async () => {
    const bucket = nextBucket("idempotent");
    const writer = target(bucket);
    try {
      await writer.write(tls("one"));
      const kv = await bucketOf(bucket);
      const revision = (await kv.get(natsKvIndexKey(web)))!.revision;
      await writer.write(tls("one"));
      assert.equal((await kv.get(natsKvIndexKey(web)))!.revision, revision);
      await writer.delete(web);
      const keys: string[] = [];
      for await (const key of await kv.keys()) keys.push(key);
      assert.deepEqual(keys, []);
    } finally {
      await writer.close();
    }
  });

  test("refuses a data key that cannot be a KV key, naming it", async () => {
    const writer = target(nextBucket("keys"));
    try {
      await assert.rejects(
        writer.write({ ...tls("one"), data: { ".dockerconfigjson": "{}" } }),
        (error: unknown) => error instanceof ValidationError && error.field === "data[.dockerconfigjson]",
      );
    } finally {
      await writer.close();
    }
  });

  test("a user with only the documented permissions creates the bucket, writes, rewrites and deletes", async () => {
    assert.equal(minimalPublish.length, 4);
    const writer = target(minimalBucket, {
      credentials: { kind: "userPassword", user: "minimal", password: "pw" },
    });
    try {
      await writer.probe();
      await writer.write(tls("one"));
      await writer.write({ ...tls("two"), data: { "tls.crt": "two\n" } });
      assert.deepEqual(await readNatsKv(await bucketOf(minimalBucket), web, ecKeys.privateKey), {
        ...tls("two"),
        data: { "tls.crt": "two\n" },
      });
      await writer.delete(web);
      assert.equal(await readNatsKv(await bucketOf(minimalBucket), web, ecKeys.privateKey), undefined);
    } finally {
      await writer.close();
    }
  });

  test("an unreachable NATS is a retryable transient error naming the servers", async () => {
    const away = `nats://127.0.0.1:${await freePort()}`;
    const writer = target(nextBucket("away"), { servers: [away], connectTimeoutMs: 1_000 });
    try {
      await assert.rejects(
        writer.write(tls("one")),
        (error: Error & { code?: string; retryable?: boolean }) => {
          assert.equal(error.code, "TRANSIENT");
          assert.equal(error.retryable, true);
          assert.ok(error.message.includes(away), error.message);
          return true;
        },
      );
    } finally {
      await writer.close();
    }
  });

  test("refused credentials are not retryable and point at the credentials Secret", async () => {
    const writer = target(nextBucket("auth"), {
      credentials: { kind: "userPassword", user: "admin", password: "wrong" },
    });
    try {
      await assert.rejects(writer.probe(), (error: Error & { code?: string; retryable?: boolean }) => {
        assert.equal(error.code, "FORBIDDEN");
        assert.equal(error.retryable, false);
        assert.match(
          error.message,
          /did not accept the credentials .* fix the credentials in Secret cert-manager\/edge-nats/,
        );
        assert.doesNotMatch(error.message, /wrong/);
        return true;
      });
    } finally {
      await writer.close();
    }
  });

  test("a user that may not create the bucket, or not write it, is told which permission is missing", async () => {
    const missing = target(nextBucket("nocreate"), {
      credentials: { kind: "userPassword", user: "nocreate", password: "pw" },
    });
    const existing = nextBucket("readonly");
    await new Kvm(reader).create(existing);
    const readOnly = target(existing, {
      credentials: { kind: "userPassword", user: "readonly", password: "pw" },
    });
    try {
      await assert.rejects(
        missing.write(tls("one")),
        (error: Error & { code?: string; retryable?: boolean }) => {
          assert.equal(error.code, "FORBIDDEN");
          assert.equal(error.retryable, false);
          assert.match(error.message, /may not publish to "\$JS\.API\.STREAM\.CREATE\.KV_nocreate_\d+"/);
          return true;
        },
      );
      await assert.rejects(readOnly.write(tls("one")), (error: Error & { code?: string }) => {
        assert.equal(error.code, "FORBIDDEN");
        assert.ok(
          error.message.includes(`may not publish to "$KV.${existing}.apps.web-tls_internal.ca.crt"`),
          error.message,
        );
        assert.ok(error.message.includes(`"$KV.${existing}.>"`), error.message);
        return true;
      });
    } finally {
      await missing.close();
      await readOnly.close();
    }
  });
});
