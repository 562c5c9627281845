// The checked-in cluster files (infra/nats/cluster/) made runnable on one machine: the same files
// with only hosts, ports and directories replaced, so what is tested is what is deployed.
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { NatsClusterNode } from "@certplane/testing";
import { freePort } from "@certplane/testing";
import { repoRoot } from "../../e2e/support/service-process.ts";

const clusterDir = join(repoRoot, "infra/nats/cluster");
export const nodeNames = ["nats-1", "nats-2", "nats-3"] as const;

function replaceOnce(text: string, from: string, to: string): string {
  // A replacement that finds nothing means the checked-in file changed shape: say so, do not test a different file.
  if (!text.includes(from)) throw new Error(`infra/nats/cluster/common.conf no longer contains ${from}`);
  return text.split(from).join(to);
}

/**
 * Writes `dir/<node>/` for each node and `dir/authorization.conf`; `tlsDir` holds ca.pem,
 * server.pem and server.key (see prepareNatsSecurity).
 */
export async function materializeClusterFiles(dir: string, tlsDir: string): Promise<NatsClusterNode[]> {
  const common = await readFile(join(clusterDir, "common.conf"), "utf8");
  await copyFile(join(repoRoot, "infra/nats/authorization.conf"), join(dir, "authorization.conf"));
  const ports = [];
  for (const _ of nodeNames)
    ports.push({ client: await freePort(), http: await freePort(), route: await freePort() });
  const nodes: NatsClusterNode[] = [];
  for (const [index, name] of nodeNames.entries()) {
    const own = ports[index]!;
    let text = replaceOnce(common, "listen: 0.0.0.0:4222", `listen: 127.0.0.1:${own.client}`);
    text = replaceOnce(text, "http: 0.0.0.0:8222", `http: 127.0.0.1:${own.http}`);
    text = replaceOnce(text, "listen: 0.0.0.0:6222", `listen: 127.0.0.1:${own.route}`);
    for (const [peer, peerName] of nodeNames.entries()) {
      text = replaceOnce(text, `${peerName}.certplane.internal:6222`, `127.0.0.1:${ports[peer]!.route}`);
    }
    text = replaceOnce(text, "/var/lib/nats/jetstream", join(dir, name, "jetstream"));
    text = replaceOnce(text, "/etc/nats/tls/", `${tlsDir}/`);
    await mkdir(join(dir, name), { recursive: true });
    await writeFile(join(dir, name, "common.conf"), text);
    await copyFile(join(clusterDir, `${name}.conf`), join(dir, name, `${name}.conf`));
    nodes.push({ name, configPath: join(dir, name, `${name}.conf`), clientPort: own.client });
  }
  return nodes;
}
