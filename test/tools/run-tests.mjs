#!/usr/bin/env node
// Node 20's test runner takes no globs, so this finds the spec files and hands them to `node --test`.
// Usage: node test/tools/run-tests.mjs [--tier unit|int|e2e] [path-substring ...]
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const roots = ["packages", "services", "test"];
const tiers = new Set(["unit", "int", "e2e"]);

function parseArgs(argv) {
  const filters = [];
  let tier;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--tier") {
      tier = argv[++i];
      if (!tiers.has(tier)) {
        console.error(`--tier must be one of ${[...tiers].join(", ")}, got ${tier}`);
        process.exit(2);
      }
    } else filters.push(arg);
  }
  return { tier, filters };
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (name.endsWith(".spec.ts")) yield path;
  }
}

const { tier, filters } = parseArgs(process.argv.slice(2));
const files = roots
  .flatMap((dir) => [...walk(join(root, dir))])
  .map((path) => relative(root, path))
  .filter((path) => !tier || path.endsWith(`.${tier}.spec.ts`))
  .filter((path) => filters.length === 0 || filters.some((f) => path.includes(f)))
  .sort();

if (files.length === 0) {
  console.error("no spec files matched");
  process.exit(1);
}
// The chaos test starts ten service processes and three nats-servers and keeps killing them: it
// takes both cores for minutes, so it runs after the others, alone, with room for its length.
const alone = ["test/e2e/chaos-cluster.e2e.spec.ts"];
const shared = files.filter((file) => !alone.includes(file));
const solo = files.filter((file) => alone.includes(file));

function run(batch, concurrency, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--test",
        `--test-concurrency=${concurrency}`,
        `--test-timeout=${timeoutMs}`,
        ...batch,
      ],
      { cwd: root, stdio: "inherit" },
    );
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

console.log(`running ${files.length} spec files${tier ? ` (tier ${tier})` : ""}`);
const codes = [];
if (shared.length > 0) codes.push(await run(shared, 2, 300_000));
if (solo.length > 0) {
  console.log(`running ${solo.join(", ")} alone`);
  codes.push(await run(solo, 1, 900_000));
}
process.exit(codes.find((code) => code !== 0) ?? 0);
