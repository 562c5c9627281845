import { after, before } from "node:test";
import { type NatsServerHandle, startNatsServer } from "@certplane/testing";
import { JetStreamEventStore } from "../jetstream-event-store.ts";
import { leaseStoreContract } from "./lease-store-contract.ts";

let server: NatsServerHandle;
const opened: JetStreamEventStore[] = [];

before(async () => {
  server = await startNatsServer();
});
after(async () => {
  await Promise.allSettled(opened.map((store) => store.close()));
  await server?.dispose();
});

// Each open() is its own connection, as another process's would be, over one bucket.
leaseStoreContract({
  adapter: "jetstream",
  open: async () => {
    const store = await JetStreamEventStore.connect({
      servers: server.url,
      streamName: "LEASES_EVENTS",
      subjectPrefix: "leases",
    });
    opened.push(store);
    return await store.leases("contract_leases");
  },
});
