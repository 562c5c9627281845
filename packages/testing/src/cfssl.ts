// Cloudflare's cfssl (Debian's golang-cfssl) serving its HTTP API with a CA we hand it: the Go
// peer the issuance benchmark measures certplane against.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { freePort } from "./nats-server.ts";
import { startServerProcess } from "./server-process.ts";

export interface CfsslHandle {
  /** `http://127.0.0.1:<port>`; the API is under /api/v1/cfssl/. */
  readonly url: string;
  dispose(): Promise<void>;
}

/** Starts `cfssl serve` in `dir` with the CA certificate and key given as PEM. */
export async function startCfssl(options: {
  readonly dir: string;
  readonly caPem: string;
  readonly caKeyPem: string;
}): Promise<CfsslHandle> {
  const ca = join(options.dir, "ca.pem");
  const caKey = join(options.dir, "ca-key.pem");
  await writeFile(ca, options.caPem);
  await writeFile(caKey, options.caKeyPem, { mode: 0o600 });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = await startServerProcess({
    binary: process.env.CFSSL_BIN ?? "cfssl",
    args: ["serve", "-address", "127.0.0.1", "-port", String(port), "-ca", ca, "-ca-key", caKey],
    name: `cfssl serve on port ${port}`,
    install: "apt-get install golang-cfssl",
    ready: async () => {
      try {
        // Any answer from the API means it serves; an empty newcert is refused with 400.
        await fetch(`${url}/api/v1/cfssl/newcert`, { method: "POST", body: "{}" });
        return true;
      } catch {
        return false;
      }
    },
    timeoutMs: 15_000,
  });
  return {
    url,
    async dispose() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((resolve) => proc.once("exit", resolve));
      proc.kill("SIGTERM");
      await exited;
    },
  };
}
