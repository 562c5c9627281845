import { randomUUID } from "node:crypto";
import { after, before } from "node:test";
import { eventStoreContract } from "./contract/index.ts";
import { EventStoreDbEventStore } from "./eventstoredb-event-store.ts";
import {
  type EventStoreDbStandIn,
  MAX_APPEND_SIZE,
  startEventStoreDbStandIn,
} from "./testing/eventstoredb-stand-in.ts";

// A real server when one is given (it must keep the default MaxAppendSize), else the wire-level stand-in.
const realServer = process.env.CERTPLANE_EVENTSTORE_URL;
let standIn: EventStoreDbStandIn | undefined;
let connectionString: string;

before(async () => {
  if (realServer !== undefined) {
    connectionString = realServer;
    return;
  }
  standIn = await startEventStoreDbStandIn();
  connectionString = standIn.connectionString;
});
after(async () => {
  await standIn?.stop();
});

eventStoreContract({
  adapter: "eventstoredb",
  commitLimitBytes: MAX_APPEND_SIZE,
  // A namespace per fixture keeps tests (and earlier runs against the same server) apart.
  fixture: async () => {
    const namespace = `t${randomUUID().replaceAll("-", "")}`;
    return {
      open: async () => new EventStoreDbEventStore({ connectionString, namespace }),
      dispose: async () => undefined,
    };
  },
});
