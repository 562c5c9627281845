import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { killWithParent } from "@certplane/testing";

export { MAX_APPEND_SIZE } from "./esdb-server.ts";

export interface EventStoreDbStandIn {
  /** `esdb://127.0.0.1:<port>?tls=false`: an insecure single node. */
  readonly connectionString: string;
  /** Ends the stand-in and its log. */
  stop(): Promise<void>;
}

const PROCESS_MODULE = fileURLToPath(new URL("./eventstoredb-stand-in-process.ts", import.meta.url));
const START_TIMEOUT_MS = 30_000;

function isPortMessage(message: unknown): message is { port: number } {
  return typeof (message as { port?: unknown } | null)?.port === "number";
}

/**
 * Starts a wire-level stand-in for EventStoreDB (the gRPC Streams and ServerFeatures services that
 * @eventstore/db-client uses) in its own process, on a free loopback port, over an empty log. It
 * dies with the test process, and it never keeps that process alive on its own.
 */
export async function startEventStoreDbStandIn(): Promise<EventStoreDbStandIn> {
  const child = fork(PROCESS_MODULE, [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  killWithParent(child);
  const exited = once(child, "exit");
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("the EventStoreDB stand-in did not start")),
      START_TIMEOUT_MS,
    );
    child.once("message", (message) => {
      clearTimeout(timer);
      if (isPortMessage(message)) resolve(message.port);
      else reject(new Error(`the EventStoreDB stand-in sent ${JSON.stringify(message)}`));
    });
    exited.then(([code]) => {
      clearTimeout(timer);
      reject(new Error(`the EventStoreDB stand-in exited with code ${code} before listening`));
    }, reject);
  }).catch((error: unknown) => {
    child.kill("SIGKILL");
    throw error;
  });
  child.unref();
  child.channel?.unref();
  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.disconnect();
      await exited.catch(() => undefined);
    },
  };
}
