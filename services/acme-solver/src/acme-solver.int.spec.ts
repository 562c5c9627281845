import assert from "node:assert/strict";
import { Resolver } from "node:dns/promises";
import { after, before, describe, it } from "node:test";
import { issuerDecider, issuerReadyCondition } from "@certplane/domain/model";
import { parseCertificateChain, publicKeysMatch } from "@certplane/pki";
import { opensslVerifyChain, type PebbleHandle, startPebble } from "@certplane/testing";
import type { Dns01Support } from "./dns01-support.ts";
import { SolverHarness } from "./testing/acme-solver-harness.ts";

const http01 = [{ http01: { ingress: {} } }];

describe("acme-solver against pebble (HTTP-01)", () => {
  let pebble: PebbleHandle;
  const harness = new SolverHarness();

  before(async () => {
    pebble = await startPebble();
    await harness.start({
      config: SolverHarness.pebbleConfig(pebble, { CERTPLANE_ACME_SELF_CHECK_SUCCESSES: "2" }),
    });
    await harness.applyIssuer("pebble", {
      server: pebble.directoryUrl,
      caPem: pebble.caPem,
      solvers: http01,
    });
  });
  after(async () => {
    await harness.stopAll();
    await pebble?.dispose();
  });

  it("registers the account and reports the issuer Ready with ACMEAccountRegistered", async () => {
    const issuer = await harness.until(
      async () => {
        const { state } = await harness.runner.load(`issuer-apps_pebble`, issuerDecider);
        return state.status === "active" && state.readiness ? state : undefined;
      },
      10_000,
      "issuer readiness",
    );
    const ready = issuerReadyCondition(issuer);
    assert.equal(ready.status, "True", ready.message);
    assert.equal(ready.reason, "ACMEAccountRegistered");
    assert.match(issuer.acme?.uri ?? "", /^https:\/\/127\.0\.0\.1:\d+\//);
    assert.equal(issuer.acme?.lastRegisteredEmail, "ops@example.test");
  });

  it("issues a certificate for a DNS name and an IP address, verified by openssl against pebble's root", async () => {
    const { stream, key } = await harness.request("web-1", "pebble", {
      dnsNames: ["web.example.test"],
      ipAddresses: ["127.0.0.1"],
    });
    const request = await harness.settled(stream);
    assert.equal(request.phase, "issued", JSON.stringify(request.conditions));
    const [leaf] = parseCertificateChain(request.certificate ?? "");
    assert.deepEqual(leaf?.sans.dnsNames, ["web.example.test"]);
    assert.deepEqual(leaf?.sans.ipAddresses, ["127.0.0.1"]);
    assert.ok(leaf && publicKeysMatch(leaf.publicKey, key));
    assert.match(await opensslVerifyChain(request.certificate ?? "", await pebble.rootPem()), /: OK$/);
    const challenges = await harness.until(
      async () => {
        const all = await harness.challenges();
        const cleaned = all.filter((c) => c.status === "present" && c.cleanedUp);
        return cleaned.length > 0 && cleaned.length === all.length ? all : undefined;
      },
      10_000,
      "challenges cleaned up",
    );
    assert.ok(challenges.every((c) => c.status === "present" && c.state === "valid"));
  });

  it("fails Challenge, Order and request with pebble's problem detail when the server cannot reach the responder", async () => {
    // pebble resolves this name to 127.0.0.2, where nothing listens; our self-check goes to the responder.
    await pebble.challtestsrv?.addA("unreachable.example.test", ["127.0.0.2"]);
    const { stream } = await harness.request("unreachable", "pebble", {
      dnsNames: ["unreachable.example.test"],
    });
    const request = await harness.settled(stream);
    assert.equal(request.phase, "failed");
    const ready = request.conditions.find((c) => c.type === "Ready");
    assert.equal(ready?.reason, "Failed");
    assert.match(
      ready?.message ?? "",
      /order is in "invalid" state: .*400 connection: .*dial tcp 127\.0\.0\.2:\d+: connect: connection refused/,
    );
    const challenge = (await harness.challenges()).find(
      (c) => c.status === "present" && c.spec.dnsName === "unreachable.example.test",
    );
    assert.equal(challenge?.status === "present" && challenge.state, "invalid");
    assert.equal(
      challenge?.status === "present" && challenge.problem?.type,
      "urn:ietf:params:acme:error:connection",
    );
    const order = (await harness.orders()).find(
      (o) => o.status === "present" && o.meta.requestName === "unreachable",
    );
    assert.equal(order?.status === "present" && order.state, "invalid");
  });

  it("refuses a wildcard name without a DNS-01 solver, with a clear reason", async () => {
    const { stream } = await harness.request("wild", "pebble", { dnsNames: ["*.wild.example.test"] });
    const request = await harness.settled(stream);
    assert.equal(request.phase, "failed");
    assert.match(
      request.conditions.find((c) => c.type === "Ready")?.message ?? "",
      /wildcard name "\*\.wild\.example\.test" can only be validated with DNS-01/,
    );
  });
});

describe("acme-solver against pebble: resume after a restart", () => {
  let pebble: PebbleHandle;
  const harness = new SolverHarness();

  before(async () => {
    pebble = await startPebble();
  });
  after(async () => {
    await harness.stopAll();
    await pebble?.dispose();
  });

  it("a new instance on the same store continues an order whose challenge was presented", async () => {
    const listen = { CERTPLANE_ACME_HTTP01_LISTEN: `127.0.0.1:${pebble.httpPort}` };
    // The first instance's self-check looks at a port where nothing listens, so it stops after presenting.
    const first = await harness.start({
      config: SolverHarness.config({ ...listen, CERTPLANE_ACME_HTTP01_SELF_CHECK_ADDRESS: "127.0.0.1:9" }),
    });
    await harness.applyIssuer("pebble", {
      server: pebble.directoryUrl,
      caPem: pebble.caPem,
      solvers: http01,
    });
    const { stream } = await harness.request("resumed", "pebble", { dnsNames: ["resume.example.test"] });
    await harness.until(
      async () => {
        const presented = (await harness.challenges()).find((c) => c.status === "present" && c.presented);
        return presented;
      },
      10_000,
      "challenge presented",
    );
    await first.stop();
    const midway = await harness.requestState(stream);
    assert.equal(midway.status === "present" && midway.phase, "pending");
    await harness.start({
      config: SolverHarness.config({
        ...listen,
        CERTPLANE_ACME_HTTP01_SELF_CHECK_ADDRESS: `127.0.0.1:${pebble.httpPort}`,
      }),
    });
    const request = await harness.settled(stream);
    assert.equal(request.phase, "issued", JSON.stringify(request.conditions));
    const orders = await harness.orders();
    assert.equal(orders.length, 1, "the restarted solver reuses the recorded order");
    const challenges = await harness.challenges();
    assert.equal(challenges.length, 1, "and the recorded challenge");
    assert.match(await opensslVerifyChain(request.certificate ?? "", await pebble.rootPem()), /: OK$/);
  });
});

describe("acme-solver against pebble: external account binding and badNonce", () => {
  let pebble: PebbleHandle;
  const harness = new SolverHarness();

  before(async () => {
    pebble = await startPebble({ eabRequired: true, nonceRejectPercent: 5 });
    await harness.start({
      config: SolverHarness.pebbleConfig(pebble),
    });
  });
  after(async () => {
    await harness.stopAll();
    await pebble?.dispose();
  });

  const readiness = (name: string) =>
    harness.until(
      async () => {
        const { state } = await harness.runner.load(`issuer-apps_${name}`, issuerDecider);
        return state.status === "active" && state.readiness ? issuerReadyCondition(state) : undefined;
      },
      10_000,
      `${name} readiness`,
    );

  it("an issuer without a binding is not Ready, with pebble's reason", async () => {
    await harness.applyIssuer("no-eab", {
      server: pebble.directoryUrl,
      caPem: pebble.caPem,
      solvers: http01,
    });
    const ready = await readiness("no-eab");
    assert.equal(ready.status, "False");
    assert.equal(ready.reason, "ErrRegisterACMEAccount");
    assert.match(ready.message, /externalAccountBinding/);
  });

  it("an issuer with the binding registers and issues, through pebble's 5% badNonce rejections", async () => {
    await harness.applyIssuer("eab", {
      server: pebble.directoryUrl,
      caPem: pebble.caPem,
      solvers: http01,
      eab: pebble.eab,
    });
    assert.equal((await readiness("eab")).status, "True");
    const requests = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((i) =>
        harness.request(`nonce-${i}`, "eab", { dnsNames: [`n${i}.example.test`] }),
      ),
    );
    for (const { stream } of requests) {
      const request = await harness.settled(stream);
      assert.equal(request.phase, "issued", JSON.stringify(request.conditions));
    }
  });
});

describe("acme-solver against pebble (DNS-01 through pebble-challtestsrv)", () => {
  let pebble: PebbleHandle;
  const harness = new SolverHarness();

  before(async () => {
    pebble = await startPebble();
    const dns = pebble.challtestsrv;
    assert.ok(dns);
    const resolver = new Resolver();
    resolver.setServers([dns.dnsAddress]);
    const dns01: Dns01Support = {
      providerFor: async () => ({
        name: "challtestsrv",
        present: (record) => dns.setTxt(record.fqdn, record.value),
        cleanUp: (record) => dns.clearTxt(record.fqdn),
      }),
      propagationChecker: () => ({
        isPropagated: async (fqdn, value) =>
          (await resolver.resolveTxt(fqdn).catch(() => [])).some((chunks) => chunks.join("") === value),
      }),
    };
    await harness.start({ config: SolverHarness.config({ CERTPLANE_ACME_HTTP01_LISTEN: "" }), dns01 });
    await harness.applyIssuer("pebble-dns", {
      server: pebble.directoryUrl,
      caPem: pebble.caPem,
      kind: "ClusterIssuer",
      solvers: [{ dns01: { webhook: { groupName: "acme.example.test", solverName: "challtestsrv" } } }],
    });
  });
  after(async () => {
    await harness.stopAll();
    await pebble?.dispose();
  });

  it("issues a wildcard plus its apex, both authorizations through one TXT name", async () => {
    const { stream } = await harness.request(
      "wildcard",
      "pebble-dns",
      { dnsNames: ["*.dns.example.test", "dns.example.test"] },
      "ClusterIssuer",
    );
    const request = await harness.settled(stream);
    assert.equal(request.phase, "issued", JSON.stringify(request.conditions));
    const [leaf] = parseCertificateChain(request.certificate ?? "");
    assert.deepEqual([...(leaf?.sans.dnsNames ?? [])].sort(), ["*.dns.example.test", "dns.example.test"]);
    assert.match(await opensslVerifyChain(request.certificate ?? "", await pebble.rootPem()), /: OK$/);
    const challenges = await harness.challenges();
    assert.ok(challenges.every((c) => c.status === "present" && c.spec.type === "DNS-01"));
  });
});

describe("acme-solver against pebble: preferredChain over alternate roots", () => {
  let pebble: PebbleHandle;
  const harness = new SolverHarness();
  let roots: Array<{ pem: string; commonName: string }>;

  before(async () => {
    pebble = await startPebble({ alternateRoots: 2 });
    roots = await Promise.all([0, 1, 2].map((index) => pebble.root(index)));
    await harness.start({
      config: SolverHarness.pebbleConfig(pebble),
    });
  });
  after(async () => {
    await harness.stopAll();
    await pebble?.dispose();
  });

  /** Issues one name from a fresh issuer and returns the chain with the CN its last certificate names as issuer. */
  async function issueWith(name: string, preferredChain: string | undefined) {
    await harness.applyIssuer(name, {
      server: pebble.directoryUrl,
      caPem: pebble.caPem,
      solvers: http01,
      ...(preferredChain === undefined ? {} : { preferredChain }),
    });
    const { stream } = await harness.request(name, name, { dnsNames: [`${name}.example.test`] });
    const request = await harness.settled(stream);
    assert.equal(request.phase, "issued", JSON.stringify(request.conditions));
    const chain = request.certificate ?? "";
    return { chain, topIssuer: parseCertificateChain(chain).at(-1)?.issuer.fields.commonName };
  }

  async function assertChainsTo(chain: string, index: number): Promise<void> {
    for (const [i, root] of roots.entries()) {
      if (i === index) assert.match(await opensslVerifyChain(chain, root.pem), /: OK$/, `root ${i}`);
      else
        await assert.rejects(opensslVerifyChain(chain, root.pem), /unable to get local issuer/, `root ${i}`);
    }
  }

  for (const index of [1, 2]) {
    it(`with preferredChain naming alternate root ${index}, the chain ends below that root`, async () => {
      const root = roots[index];
      assert.ok(root && root.commonName !== roots[0]?.commonName);
      const { chain, topIssuer } = await issueWith(`alt-${index}`, root.commonName);
      assert.equal(topIssuer, root.commonName);
      await assertChainsTo(chain, index);
    });
  }

  it("without preferredChain, the default chain (root 0)", async () => {
    const { chain, topIssuer } = await issueWith("default-chain", undefined);
    assert.equal(topIssuer, roots[0]?.commonName);
    await assertChainsTo(chain, 0);
  });

  it("with a preferredChain the server does not offer, the default chain, as cert-manager does", async () => {
    const { chain, topIssuer } = await issueWith("unknown-chain", "No Such Root CA");
    assert.equal(topIssuer, roots[0]?.commonName);
    await assertChainsTo(chain, 0);
  });
});
