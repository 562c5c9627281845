import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Runs the real openssl binary; resolves with stdout+stderr, rejects on a non-zero exit. */
export async function openssl(args: readonly string[], input?: string): Promise<string> {
  const child = run("openssl", [...args], { maxBuffer: 4 * 1024 * 1024 });
  if (input !== undefined) child.child.stdin?.end(input);
  const { stdout, stderr } = await child;
  return `${stdout}${stderr}`;
}

const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

/** `<name>.key` and a self-signed `<name>.pem` in `dir`; `extra` adds openssl req arguments. */
export async function selfSigned(dir: string, name: string, ...extra: string[]): Promise<void> {
  await openssl(
    ["req", "-x509", ...ec, "-keyout", join(dir, `${name}.key`), "-out", join(dir, `${name}.pem`)].concat([
      ...["-days", "1", ...extra],
    ]),
  );
}

/** `<name>.key` and `<name>.pem` for `subject`, signed by `ca.pem`/`ca.key` in `dir`, with one extension line. */
export async function issueFromCa(
  dir: string,
  name: string,
  subject: string,
  extension: string,
): Promise<void> {
  const file = (suffix: string) => join(dir, `${name}.${suffix}`);
  await openssl(["req", ...ec, "-keyout", file("key"), "-out", file("csr"), "-subj", subject]);
  await writeFile(file("ext"), `${extension}\n`);
  await openssl(
    ["x509", "-req", "-in", file("csr"), "-CA", join(dir, "ca.pem"), "-CAkey", join(dir, "ca.key")].concat([
      ...["-CAcreateserial", "-days", "1", "-extfile", file("ext"), "-out", file("pem")],
    ]),
  );
}
