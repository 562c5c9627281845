import { listenStandIn } from "./esdb-server.ts";

// The stand-in's own process, forked by startEventStoreDbStandIn: a server apart from the tests, as
// a real one is. It reports its port over IPC and ends when that channel closes, which also happens
// when the test process dies without stopping it.

if (process.send === undefined) {
  throw new Error("start the EventStoreDB stand-in with startEventStoreDbStandIn");
}
const server = await listenStandIn({ host: "127.0.0.1", port: 0 });
process.once("disconnect", () => {
  server.stop();
  process.exit(0);
});
process.send({ port: server.port });
