// Two signer instances sharing the work: a request is signed by the holder of its partition only,
// even when what makes it signable is an issuer becoming Ready (an event in another partition), and
// the requests of a partition handed over while that happened are taken up by the new holder.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { streams } from "@certplane/domain/model";
import { MemoryLeaseStore, partitionOf } from "@certplane/event-store";
import type { PartitionLeases } from "@certplane/runtime";
import { FakeTimerClock, startTestWorkShare } from "@certplane/runtime/testing";
import { type SignerHarness, selfSignedCertificate, startSignerHarness } from "./testing/signer-harness.ts";

const PARTITIONS = 4;
const namespace = "apps";

describe("two signer instances sharing the work", () => {
  let h: SignerHarness;
  let shares: PartitionLeases[];

  before(async () => {
    const leases = new MemoryLeaseStore();
    const clock = new FakeTimerClock();
    shares = [];
    for (const instance of ["signer-a", "signer-b"]) {
      shares.push(
        await startTestWorkShare({ leases, group: "signer", instance, partitions: PARTITIONS, clock }),
      );
    }
    for (const share of shares) await share.rebalance();
    h = await startSignerHarness({ workShares: shares });
  });

  after(async () => {
    await h.stop();
    for (const share of shares) await share.stop();
  });

  const holderOf = (stream: string) =>
    shares.find((share) => share.holds(partitionOf(stream, PARTITIONS)))?.instance;

  /** Requests for `issuer` (not Ready yet) spread over every partition. */
  async function waitingRequests(issuer: string, count: number): Promise<string[]> {
    await h.applyIssuer({ kind: "ClusterIssuer", name: issuer }, { ca: { secretName: `${issuer}-key` } });
    const names = Array.from({ length: count }, (_, i) => `${issuer}-${i}-web`);
    for (const name of names) {
      await h.requestWithNextKey(namespace, name, { name: issuer, kind: "ClusterIssuer" });
    }
    for (const name of names) {
      await h.until(`${name} waiting on ${issuer}`, async () => {
        const state = await h.request(namespace, name);
        return state.status === "present" && state.conditions.some((c) => c.reason === "Pending")
          ? true
          : undefined;
      });
    }
    const partitions = new Set(
      names.map((n) => partitionOf(streams.certificateRequest(namespace, n), PARTITIONS)),
    );
    assert.ok(partitions.size > 1, "the requests fall in more than one partition");
    return names;
  }

  async function makeReady(issuer: string): Promise<void> {
    const ca = await selfSignedCertificate(`${issuer} CA`);
    await h.writeTlsSecret("cert-manager", `${issuer}-key`, {
      certificatePem: ca.certificatePem,
      privateKey: ca.privateKey,
    });
  }

  async function signers(name: string): Promise<string[]> {
    await h.until(`${name} issued`, async () => {
      const state = await h.request(namespace, name);
      return state.status === "present" && state.phase === "issued" ? true : undefined;
    });
    const { events } = await h.store.read(streams.certificateRequest(namespace, name));
    return [
      ...new Set(
        events.filter((e) => e.type === "CertificateRequestIssued").map((e) => String(e.metadata.instance)),
      ),
    ];
  }

  it("signs each request that waited on an issuer by its partition's holder, once the issuer is Ready", async () => {
    const names = await waitingRequests("late-ca", 8);
    await makeReady("late-ca");
    const byInstance = new Set<string>();
    for (const name of names) {
      const stream = streams.certificateRequest(namespace, name);
      const issuedBy = await signers(name);
      assert.deepEqual(
        issuedBy,
        [holderOf(stream)],
        `${name} (partition ${partitionOf(stream, PARTITIONS)})`,
      );
      byInstance.add(issuedBy[0] as string);
    }
    assert.deepEqual([...byInstance].sort(), ["signer-a", "signer-b"]);
  });

  it("takes up the waiting requests of a partition it gains while the issuer became Ready", async () => {
    const [leaving, staying] = shares as [PartitionLeases, PartitionLeases];
    // An issuer whose readiness the staying instance records (its spec and its secret fall in
    // the staying instance's partitions), so the change is heard while the others are unheld.
    const ownedByStaying = (stream: string) => staying.holds(partitionOf(stream, PARTITIONS));
    const issuer = Array.from({ length: 200 }, (_, k) => `handover-ca-${k}`).find(
      (name) =>
        ownedByStaying(streams.clusterIssuer(name)) &&
        ownedByStaying(streams.secret("cert-manager", `${name}-key`)),
    ) as string;
    const names = await waitingRequests(issuer, 8);
    assert.ok(
      names.some((name) =>
        leaving.holds(partitionOf(streams.certificateRequest(namespace, name), PARTITIONS)),
      ),
      "some requests are the leaving instance's",
    );
    // The leaving instance lets its partitions go; the other has not taken them yet when the
    // issuer becomes Ready, so nobody holds them at that moment.
    await leaving.stop();
    await makeReady(issuer);
    await h.until(`${issuer} Ready`, async () => {
      const { events } = await h.store.read(streams.clusterIssuerStatus(issuer));
      const last = events.filter((e) => e.type === "IssuerReadinessChanged").at(-1);
      return (last?.data as { status?: string } | undefined)?.status === "True" ? true : undefined;
    });
    await staying.rebalance();
    assert.equal(staying.held().length, PARTITIONS);
    for (const name of names) {
      const issuedBy = await signers(name);
      assert.deepEqual(issuedBy, [staying.instance], name);
    }
  });
});
