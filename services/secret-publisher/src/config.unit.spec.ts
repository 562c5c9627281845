import assert from "node:assert/strict";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { parseSecretPublisherConfig } from "./config.ts";

const refusedFor = (field: string) => (error: unknown) =>
  error instanceof ValidationError && error.field === field;

describe("parseSecretPublisherConfig", () => {
  it("without CERTPLANE_VAULT_KV_ADDR there is only the file target", () => {
    const config = parseSecretPublisherConfig({});
    assert.equal(config.vaultKv, undefined);
    assert.equal(config.secretsDir, resolve("./secrets"));
    assert.ok(Object.isFrozen(config));
  });

  it("reads the Vault KV target with mount secret and prefix certplane by default", () => {
    const config = parseSecretPublisherConfig({
      CERTPLANE_VAULT_KV_ADDR: "https://vault.example.com:8200",
      CERTPLANE_VAULT_KV_TOKEN_FILE: "/run/vault/token",
    });
    assert.deepEqual(config.vaultKv, {
      server: "https://vault.example.com:8200",
      mount: "secret",
      prefix: "certplane",
      tokenFile: "/run/vault/token",
    });
    assert.ok(Object.isFrozen(config.vaultKv));
  });

  it("takes the mount, a nested prefix and the namespace without its slashes", () => {
    const config = parseSecretPublisherConfig({
      CERTPLANE_VAULT_KV_ADDR: "http://127.0.0.1:8200",
      CERTPLANE_VAULT_KV_TOKEN_FILE: "/run/vault/token",
      CERTPLANE_VAULT_KV_MOUNT: "kv",
      CERTPLANE_VAULT_KV_PREFIX: "clusters/east",
      CERTPLANE_VAULT_KV_NAMESPACE: "/platform/",
    });
    assert.equal(config.vaultKv?.mount, "kv");
    assert.equal(config.vaultKv?.prefix, "clusters/east");
    assert.equal(config.vaultKv?.namespace, "platform");
  });

  it("refuses each bad or missing setting with the variable named", () => {
    const base = { CERTPLANE_VAULT_KV_ADDR: "http://127.0.0.1:8200", CERTPLANE_VAULT_KV_TOKEN_FILE: "/t" };
    const cases: [NodeJS.ProcessEnv, string][] = [
      [{ CERTPLANE_VAULT_KV_TOKEN_FILE: "/t" }, "CERTPLANE_VAULT_KV_TOKEN_FILE"],
      [
        { CERTPLANE_VAULT_KV_ADDR: "vault:8200", CERTPLANE_VAULT_KV_TOKEN_FILE: "/t" },
        "CERTPLANE_VAULT_KV_ADDR",
      ],
      [{ CERTPLANE_VAULT_KV_ADDR: "http://127.0.0.1:8200" }, "CERTPLANE_VAULT_KV_TOKEN_FILE"],
      [{ ...base, CERTPLANE_VAULT_KV_MOUNT: "/secret" }, "CERTPLANE_VAULT_KV_MOUNT"],
      [{ ...base, CERTPLANE_VAULT_KV_PREFIX: "a/../b" }, "CERTPLANE_VAULT_KV_PREFIX"],
    ];
    for (const [env, field] of cases) assert.throws(() => parseSecretPublisherConfig(env), refusedFor(field));
  });
});
