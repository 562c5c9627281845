import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const module = fileURLToPath(new URL("./kill-with-parent.ts", import.meta.url));

/** A parent process that starts `sleep 60` under killWithParent, prints its pid, then ends as told. */
function startParent(ending: "exit" | "wait"): {
  parent: ReturnType<typeof spawn>;
  childPid: Promise<number>;
} {
  const script = `
    import { spawn } from "node:child_process";
    import { killWithParent } from ${JSON.stringify(module)};
    const child = spawn("sleep", ["60"], { stdio: "ignore" });
    killWithParent(child);
    console.log(child.pid);
    ${ending === "exit" ? "process.exit(0);" : "setInterval(() => {}, 1000);"}
  `;
  const parent = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const childPid = new Promise<number>((resolve) => {
    parent.stdout?.once("data", (chunk: Buffer) => resolve(Number.parseInt(chunk.toString(), 10)));
  });
  return { parent, childPid };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number): Promise<boolean> {
  const deadline = Date.now() + 5_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return !alive(pid);
}

describe("killWithParent", () => {
  it("kills the child when the parent exits without tearing down", async () => {
    const { parent, childPid } = startParent("exit");
    const pid = await childPid;
    await once(parent, "exit");
    assert.ok(await gone(pid), `child ${pid} outlived its parent`);
  });

  it("kills the child when the parent is terminated, as a runner timeout does, and the parent still ends", async () => {
    const { parent, childPid } = startParent("wait");
    const pid = await childPid;
    assert.ok(alive(pid));
    parent.kill("SIGTERM");
    const [, signal] = await once(parent, "exit");
    assert.equal(signal, "SIGTERM");
    assert.ok(await gone(pid), `child ${pid} outlived its parent`);
  });
});
