// SecretTarget publishing when two publisher instances share the work: each secret is published,
// and its publication recorded, by the instance holding the secret's partition only.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { secretDecider, streams } from "@certplane/domain/model";
import { MemoryLeaseStore, partitionOf } from "@certplane/event-store";
import { type PartitionLeases, silentLogger, startPartitionLeases } from "@certplane/runtime";
import { FakeTimerClock } from "@certplane/runtime/testing";
import { pollUntil } from "@certplane/testing";
import { PublisherHarness } from "../testing/publisher-harness.ts";
import type { TargetPublishing } from "./target-publishing.ts";

const PARTITIONS = 4;
const names = Array.from({ length: 8 }, (_, i) => `web-${i}`);

describe("SecretTarget publishing shared by two publisher instances", () => {
  let h: PublisherHarness;
  let directory: string;
  const running: (TargetPublishing | PartitionLeases)[] = [];
  const shares: PartitionLeases[] = [];

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), "certplane-shared-publishing-"));
    h = new PublisherHarness();
    for (const name of names) {
      await h.applyCertificate(name, {
        secretName: `${name}-tls`,
        dnsNames: [`${name}.example.com`],
        issuerRef: { name: "ca" },
      });
      await h.ctx.runner.execute(
        streams.secret(h.namespace, `${name}-tls`),
        secretDecider,
        {
          type: "WriteSecret",
          name: `${name}-tls`,
          namespace: h.namespace,
          owner: { kind: "Certificate", name, uid: `uid-${name}` },
          content: {
            type: "kubernetes.io/tls",
            data: { "tls.crt": `${name}\n`, "ca.crt": "ca\n" },
            sealedData: {},
          },
          now: h.now(),
        },
        h.userContext(),
      );
    }
    await h.applyFileTarget("files", directory);
    const leases = new MemoryLeaseStore();
    const leaseClock = new FakeTimerClock();
    for (const instance of ["publisher-a", "publisher-b"]) {
      const share = await startPartitionLeases({
        leases,
        group: "secret-publisher",
        instance,
        partitions: PARTITIONS,
        clock: leaseClock,
        logger: silentLogger,
      });
      shares.push(share);
      running.push(share);
    }
    for (const share of shares) await share.rebalance();
    for (const share of shares) {
      const { publishing } = await h.startSharedPublishing(share);
      running.unshift(publishing);
    }
  });
  after(async () => {
    for (const part of running) await part.stop();
    await rm(directory, { recursive: true, force: true, maxRetries: 3 });
  });

  test("publishes every secret once, recorded by the instance holding its partition", async () => {
    const publications = async () =>
      Promise.all(
        names.map(async (name) => {
          const secret = streams.secret(h.namespace, `${name}-tls`);
          const { events } = await h.store.read(streams.publication(h.namespace, `${name}-tls`, "files"));
          return { secret, published: events.filter((event) => event.type === "SecretPublished") };
        }),
      );
    await pollUntil(
      async () => ((await publications()).every((p) => p.published.length > 0) ? true : undefined),
      {
        what: "every secret published",
      },
    );
    for (const share of shares) await share.rebalance();
    const [a] = shares;
    for (const { secret, published } of await publications()) {
      const holder = a!.held().includes(partitionOf(secret, PARTITIONS)) ? "publisher-a" : "publisher-b";
      assert.deepEqual(
        published.map((event) => event.metadata.instance),
        [holder],
        `${secret}: one publication, by ${holder}`,
      );
    }
  });
});
