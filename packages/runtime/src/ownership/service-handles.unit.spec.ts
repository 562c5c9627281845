import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { systemClock } from "@certplane/domain";
import { streams } from "@certplane/domain/model";
import { MemoryEventStore, verifyStreamChain } from "@certplane/event-store";
import { inProcessTestBus } from "../testing/owner-endpoints.ts";
import { serviceHandles } from "./service-handles.ts";

const metadata = { correlationId: "c", causationId: "c", actor: "test", occurredAt: "2026-01-01T00:00:00Z" };
const event = (type: string) => ({ id: crypto.randomUUID(), type, schemaVersion: 1, data: {}, metadata });

describe("a service's store handle", () => {
  it("chains what it appends, covering the producer it stamps", async () => {
    const store = new MemoryEventStore();
    const intake = serviceHandles({
      service: "intake",
      store,
      bus: inProcessTestBus(),
      clock: systemClock,
      newId: () => crypto.randomUUID(),
    });
    const stream = streams.certificate("apps", "web");
    const first = await intake.store.append(stream, [event("CertificateApplied")], "no_stream");
    await intake.store.append(
      stream,
      [event("CertificateApplied"), event("CertificateDeleted")],
      first.version,
    );

    const { events } = await store.read(stream);
    assert.deepEqual(
      events.map((stored) => stored.metadata.chain?.revision),
      [0, 1, 2],
    );
    assert.equal(verifyStreamChain(stream, events).problem, undefined);
    const forged = events.map((stored, i) =>
      i === 1 ? { ...stored, metadata: { ...stored.metadata, producer: "signer" } } : stored,
    );
    assert.equal(verifyStreamChain(stream, forged).problem?.kind, "altered");
  });
});
