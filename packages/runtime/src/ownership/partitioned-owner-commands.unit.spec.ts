// Owner commands when the owner's instances share its work: each goes to the instance holding the
// stream's partition, and follows the partition when it moves.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { afterEach, describe, it } from "node:test";
import { MemoryEventStore, MemoryLeaseStore, partitionOf } from "@certplane/event-store";
import type { Registration } from "@certplane/messaging";
import { startedContext } from "../event-codec.ts";
import { FakeTimerClock } from "../testing/fake-timer-clock.ts";
import { inProcessTestBus } from "../testing/owner-endpoints.ts";
import { startTestWorkShare } from "../testing/test-work-share.ts";
import type { PartitionLeases } from "../work-share/partition-leases.ts";
import { OwnerCommandSender, serveOwnerCommands } from "./owner-commands.ts";
import { serviceHandles } from "./service-handles.ts";

const PARTITIONS = 4;

describe("owner commands to instances that share the owner's work", () => {
  const store = new MemoryEventStore();
  const bus = inProcessTestBus();
  const leases = new MemoryLeaseStore();
  const clock = new FakeTimerClock();
  const stops: (PartitionLeases | Registration)[] = [];
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((s) => s.stop()));
  });

  /** A signer instance: its partitions, its store handle stamping its name, its command server. */
  const signer = async (instance: string) => {
    const share = await startTestWorkShare({
      leases,
      group: "signer",
      instance,
      partitions: PARTITIONS,
      clock,
    });
    const handles = serviceHandles({
      service: "signer",
      store,
      bus,
      clock,
      newId: randomUUID,
      instance,
      workShare: share,
    });
    stops.push(await serveOwnerCommands({ bus, runner: handles.runner, service: "signer", share }), share);
    return share;
  };
  const intake = new OwnerCommandSender({
    bus,
    service: "intake",
    newId: randomUUID,
    partitions: PARTITIONS,
  });
  const create = async (name: string) => {
    const stream = `certificateRequest-apps_${name}`;
    await intake.send(
      stream,
      {
        type: "CreateCertificateRequest",
        meta: {
          name,
          namespace: "apps",
          uid: randomUUID(),
          generation: 1,
          creationTimestamp: clock.now().toISOString(),
        },
        spec: { request: "csr", issuerRef: { name: "ca" } },
        now: clock.now().toISOString(),
      } as never,
      startedContext({ id: randomUUID(), actor: "test" }),
    );
    const { events } = await store.read(stream);
    return { stream, instance: events[0]?.metadata.instance };
  };

  it("reaches the holder of the stream's partition, and the new holder once it moves", async () => {
    const a = await signer("signer-a");
    const b = await signer("signer-b");
    await a.rebalance();
    await b.rebalance();
    assert.deepEqual([...a.held(), ...b.held()].sort(), [0, 1, 2, 3]);
    const holderOf = (stream: string) =>
      a.held().includes(partitionOf(stream, PARTITIONS)) ? "signer-a" : "signer-b";
    const created = await Promise.all(Array.from({ length: 12 }, (_, i) => create(`r${i}`)));
    for (const { stream, instance } of created) assert.equal(instance, holderOf(stream), stream);
    assert.ok(
      created.some((c) => c.instance === "signer-a") && created.some((c) => c.instance === "signer-b"),
    );

    await a.stop();
    await b.rebalance();
    assert.deepEqual(b.held(), [0, 1, 2, 3]);
    const after = await Promise.all(Array.from({ length: 8 }, (_, i) => create(`s${i}`)));
    assert.ok(
      after.every((c) => c.instance === "signer-b"),
      JSON.stringify(after),
    );
  });
});
