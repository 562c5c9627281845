import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OwnershipError, systemClock } from "@certplane/domain";
import { streams } from "@certplane/domain/model";
import { MemoryEventStore } from "@certplane/event-store";
import { inProcessTestBus, startOwnerEndpoints } from "../testing/owner-endpoints.ts";
import { OwnedEventStore } from "./owned-event-store.ts";
import type { OwnerCommandMessage } from "./owner-commands.ts";
import { serviceHandles } from "./service-handles.ts";

const metadata = { correlationId: "c", causationId: "c", actor: "test", occurredAt: "2026-01-01T00:00:00Z" };
const event = (type: string) => ({ id: crypto.randomUUID(), type, schemaVersion: 1, data: {}, metadata });
let ids = 0;
const newId = () => `00000000-0000-4000-8000-${String(++ids).padStart(12, "0")}`;

describe("one writer per stream category", () => {
  it("refuses an append to another owner's category with an OwnershipError, and stores nothing", async () => {
    const store = new MemoryEventStore();
    const signer = new OwnedEventStore(store, "signer");
    const stream = streams.certificate("apps", "web");
    await assert.rejects(
      () => signer.append(stream, [event("CertificateApplied")], "no_stream"),
      (error: unknown) =>
        error instanceof OwnershipError &&
        /signer may not append to certificate-apps_web/.test(error.message),
    );
    assert.deepEqual((await store.read(stream)).events, []);
  });

  it("refuses an event type that belongs to another category, even in an owned stream", async () => {
    const signer = new OwnedEventStore(new MemoryEventStore(), "signer");
    await assert.rejects(
      () => signer.append(streams.certificateRequest("apps", "web-1"), [event("SecretWritten")], "no_stream"),
      OwnershipError,
    );
  });

  it("stamps every event it appends with the producer", async () => {
    const store = new MemoryEventStore();
    const intake = new OwnedEventStore(store, "intake");
    await intake.append(streams.certificate("apps", "web"), [event("CertificateApplied")], "no_stream");
    const [stored] = (await store.read(streams.certificate("apps", "web"))).events;
    assert.equal(stored?.metadata.producer, "intake");
  });

  it("refuses to send a command the table does not route from this sender", async () => {
    const handles = serviceHandles({
      service: "secret-publisher",
      store: new MemoryEventStore(),
      bus: inProcessTestBus(),
      clock: systemClock,
      newId,
    });
    await assert.rejects(
      () =>
        handles.commands.send(
          streams.certificateRequest("apps", "web-1"),
          { type: "ApproveCertificateRequest" },
          metadata,
        ),
      OwnershipError,
    );
  });

  it("stores a command retried with the same id once, and refuses a sender the table does not list", async () => {
    const store = new MemoryEventStore();
    const owners = await startOwnerEndpoints({ store, clock: systemClock, newId, except: [] });
    const stream = streams.certificateRequest("apps", "web-1");
    const message: OwnerCommandMessage = {
      commandId: "command-1",
      sender: "secret-publisher",
      stream,
      command: {
        type: "CreateCertificateRequest",
        meta: {
          name: "web-1",
          namespace: "apps",
          uid: "u",
          generation: 1,
          creationTimestamp: metadata.occurredAt,
        },
        spec: { request: "csr", issuerRef: { name: "ca" } },
        now: metadata.occurredAt,
      } as OwnerCommandMessage["command"],
      context: metadata,
    };
    const subject = "certplane.cmd.certificateRequest.CreateCertificateRequest";
    const first = await owners.bus.request<OwnerCommandMessage, { events: string[] }>(subject, message);
    const again = await owners.bus.request<OwnerCommandMessage, { events: string[] }>(subject, message);
    assert.deepEqual([first.events, again.events], [["CertificateRequestCreated"], []]);
    const stored = (await store.read(stream)).events;
    assert.equal(stored.length, 1);
    assert.deepEqual(stored[0]?.metadata.command, {
      id: "command-1",
      type: "CreateCertificateRequest",
      sender: "secret-publisher",
    });
    assert.equal(stored[0]?.metadata.producer, "signer");

    await assert.rejects(
      () => owners.bus.request(subject, { ...message, commandId: "command-2", sender: "acme-solver" }),
      (error: unknown) => (error as { code?: string }).code === "OWNERSHIP",
    );
    await owners.stop();
  });
});
