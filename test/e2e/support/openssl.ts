import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Runs the real openssl binary; resolves with stdout+stderr, rejects on a non-zero exit. */
export async function openssl(args: readonly string[], input?: string): Promise<string> {
  const child = run("openssl", [...args], { maxBuffer: 4 * 1024 * 1024 });
  if (input !== undefined) child.child.stdin?.end(input);
  const { stdout, stderr } = await child;
  return `${stdout}${stderr}`;
}
