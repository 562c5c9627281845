#!/usr/bin/env node
// certctl runs from TypeScript sources through tsx, so this shim starts node with tsx's loader on
// src/main.ts, resolving both from this file rather than from the caller's working directory.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const child = spawn(
  process.execPath,
  ["--import", import.meta.resolve("tsx"), main, ...process.argv.slice(2)],
  {
    stdio: "inherit",
  },
);
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
