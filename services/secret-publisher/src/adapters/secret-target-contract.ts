import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ValidationError } from "@certplane/domain";
import type { PublishedSecret, SecretRef, SecretTarget } from "../secrets/secret-target.ts";

/** A fresh, empty target for one test, and a way to read back what it holds through its own technology. */
export interface SecretTargetFixture {
  readonly target: SecretTarget;
  read(ref: SecretRef): Promise<PublishedSecret | undefined>;
  dispose(): Promise<void>;
}

export interface SecretTargetContractOptions {
  /** Names the suite: `SecretTarget contract: <kind>`. */
  readonly kind: string;
  readonly fixture: () => Promise<SecretTargetFixture>;
}

function tlsSecret(
  ref: SecretRef,
  serial: string,
  overrides: Partial<PublishedSecret> = {},
): PublishedSecret {
  return {
    ...ref,
    type: "kubernetes.io/tls",
    data: { "tls.crt": `certificate ${serial}\n`, "ca.crt": `ca ${serial}\n` },
    secretData: { "tls.key": `key ${serial}\n` },
    labels: { "controller.cert-manager.io/fao": "true" },
    annotations: { "cert-manager.io/certificate-name": ref.name, "cert-manager.io/common-name": serial },
    owner: { kind: "Certificate", name: ref.name, uid: "uid-1" },
    ...overrides,
  };
}

/** The behaviour every SecretTarget must show; run it from one spec per target. */
export function secretTargetContract(options: SecretTargetContractOptions): void {
  const it = (name: string, body: (fixture: SecretTargetFixture) => Promise<void>) =>
    test(name, async () => {
      const fixture = await options.fixture();
      try {
        await body(fixture);
      } finally {
        await fixture.dispose();
      }
    });

  describe(`SecretTarget contract: ${options.kind}`, () => {
    const web: SecretRef = { namespace: "apps", name: "web-tls" };

    it("reads back exactly what was written", async ({ target, read }) => {
      const secret = tlsSecret(web, "one");
      await target.write(secret);
      assert.deepEqual(await read(web), secret);
    });

    it("binary values (keystores, DER keys) come back as exactly their bytes", async ({ target, read }) => {
      // Not valid UTF-8: a target that passes bytes through a string would change them.
      const keystore = Buffer.from([0x30, 0x82, 0xff, 0x00, 0xfe, 0xed, 0xfe, 0xed, 0x80]);
      const secret = tlsSecret(web, "one", {
        secretData: {
          "tls.key": "key one\n",
          "keystore.p12": keystore,
          "key.der": Buffer.from([0xc3, 0x28]),
        },
      });
      await target.write(secret);
      assert.deepEqual(await read(web), secret);
      await target.write(secret);
      assert.deepEqual(await read(web), secret);
    });

    it("a rewrite replaces the whole secret, dropping keys that are gone", async ({ target, read }) => {
      await target.write(tlsSecret(web, "one"));
      const second = tlsSecret(web, "two", { data: { "tls.crt": "certificate two\n" } });
      await target.write(second);
      assert.deepEqual(await read(web), second);
    });

    it("writing the same secret again changes nothing", async ({ target, read }) => {
      const secret = tlsSecret(web, "one");
      await target.write(secret);
      await target.write(secret);
      assert.deepEqual(await read(web), secret);
    });

    it("delete removes the secret, and deleting what is not there is not an error", async ({
      target,
      read,
    }) => {
      await target.write(tlsSecret(web, "one"));
      await target.delete(web);
      assert.equal(await read(web), undefined);
      await target.delete(web);
      await target.delete({ namespace: "elsewhere", name: "never-written" });
    });

    it("secrets with a shared name prefix or in other namespaces are independent", async ({
      target,
      read,
    }) => {
      const refs: SecretRef[] = [
        web,
        { namespace: "apps", name: "web-tls.internal" },
        { namespace: "other", name: "web-tls" },
      ];
      for (const [index, ref] of refs.entries()) await target.write(tlsSecret(ref, `n${index}`));
      await target.delete(web);
      await target.write(tlsSecret(refs[1]!, "rewritten"));
      assert.equal(await read(web), undefined);
      assert.deepEqual(await read(refs[1]!), tlsSecret(refs[1]!, "rewritten"));
      assert.deepEqual(await read(refs[2]!), tlsSecret(refs[2]!, "n2"));
    });

    it("refuses names that are not Kubernetes object names", async ({ target }) => {
      await assert.rejects(
        target.write(tlsSecret({ namespace: "apps", name: "../escape" }, "x")),
        ValidationError,
      );
      await assert.rejects(target.delete({ namespace: "..", name: "web" }), ValidationError);
    });
  });
}
