import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { issuerDecider, issuerReadyCondition, streams } from "@certplane/domain/model";
import type { CommandContext } from "@certplane/runtime";
import { type PebbleHandle, startPebble } from "@certplane/testing";
import { SolverHarness } from "../testing/acme-solver-harness.ts";

// spec.acme.caBundle and spec.acme.skipTLSVerify against pebble's HTTPS listener, whose CA is in
// no system store: each issuer gets its own trust, and NODE_EXTRA_CA_CERTS plays no part.

const http01 = [{ http01: { ingress: {} } }];
const context: CommandContext = { correlationId: "tls-trust", causationId: "tls-trust", actor: "test" };
const base64 = (pem: string) => Buffer.from(pem).toString("base64");

describe("ACME issuer TLS trust against pebble", () => {
  let pebble: PebbleHandle;
  const harness = new SolverHarness();

  before(async () => {
    pebble = await startPebble();
    await harness.start({
      config: SolverHarness.pebbleConfig(pebble),
    });
  });
  after(async () => {
    await harness.stopAll();
    await pebble?.dispose();
  });

  /** The harness's issuer has no skipTLSVerify, so this one is applied as cert-manager's spec. */
  async function applyAcmeIssuer(name: string, trust: { caBundle?: string; skipTLSVerify?: boolean }) {
    await harness.runner.execute(
      streams.issuer(harness.namespace, name),
      issuerDecider,
      {
        type: "ApplyIssuer",
        name,
        namespace: harness.namespace,
        uid: randomUUID(),
        spec: {
          acme: {
            server: pebble.directoryUrl,
            email: "ops@example.test",
            privateKeySecretRef: { name: `${name}-account-key` },
            ...trust,
            solvers: http01,
          },
        },
        now: harness.clock.now().toISOString(),
      },
      context,
    );
  }

  const readiness = (name: string) =>
    harness.until(
      async () => {
        const { state } = await harness.runner.load(`issuer-apps_${name}`, issuerDecider);
        if (state.status !== "active" || !state.readiness) return undefined;
        return { ready: issuerReadyCondition(state), acme: state.acme };
      },
      10_000,
      `${name} readiness`,
    );

  it("caBundle with pebble's listener CA registers the account: Ready with ACMEAccountRegistered", async () => {
    await applyAcmeIssuer("bundled", { caBundle: base64(pebble.caPem) });
    const { ready, acme } = await readiness("bundled");
    assert.equal(ready.status, "True", ready.message);
    assert.equal(ready.reason, "ACMEAccountRegistered");
    assert.match(acme?.uri ?? "", /^https:\/\/127\.0\.0\.1:\d+\//);
  });

  it("without caBundle the issuer is Ready=False with ErrRegisterACMEAccount naming the certificate problem", async () => {
    await applyAcmeIssuer("untrusted", {});
    const { ready, acme } = await readiness("untrusted");
    assert.equal(ready.status, "False");
    assert.equal(ready.reason, "ErrRegisterACMEAccount");
    assert.match(
      ready.message,
      /^Failed to register ACME account: .*unable to (get local issuer|verify the first) certificate/,
    );
    assert.doesNotMatch(ready.message, /Cannot read properties/);
    assert.equal(acme?.uri, undefined);
  });

  it("a caBundle of another CA replaces the system trust rather than adding to it, and does not trust pebble", async () => {
    // Pebble's issuing root signs the certificates it issues, not its own listener certificate.
    await applyAcmeIssuer("wrong-bundle", { caBundle: base64(await pebble.rootPem()) });
    const { ready } = await readiness("wrong-bundle");
    assert.equal(ready.status, "False");
    assert.equal(ready.reason, "ErrRegisterACMEAccount");
    assert.match(ready.message, /certificate/i);
  });

  it("skipTLSVerify without caBundle registers the account: Ready", async () => {
    await applyAcmeIssuer("insecure", { skipTLSVerify: true });
    const { ready } = await readiness("insecure");
    assert.equal(ready.status, "True", ready.message);
    assert.equal(ready.reason, "ACMEAccountRegistered");
  });
});
