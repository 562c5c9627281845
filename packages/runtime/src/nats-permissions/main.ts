// `pnpm nats-config` writes infra/nats/authorization.conf; `pnpm nats-config --check` fails when the
// checked-in file is not what the owner table gives (the unit test runs the same comparison).
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { renderAuthorizationConfig } from "./authorization-config.ts";
import { certplaneSubjectLayout } from "./certplane-layout.ts";

const target = fileURLToPath(new URL("../../../../infra/nats/authorization.conf", import.meta.url));
const wanted = renderAuthorizationConfig(certplaneSubjectLayout);

if (process.argv.includes("--check")) {
  const current = await readFile(target, "utf8").catch(() => "");
  if (current !== wanted) {
    console.error(`${target} is stale: run pnpm nats-config`);
    process.exit(1);
  }
} else {
  await writeFile(target, wanted);
  console.log(`wrote ${target}`);
}
