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
console.log(`running ${files.length} spec files${tier ? ` (tier ${tier})` : ""}`);
const child = spawn(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-timeout=300000", ...files],
  { cwd: root, stdio: "inherit" },
);
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
