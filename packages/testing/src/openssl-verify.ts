import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * `openssl verify` of a leaf-first PEM chain against a root, the rest of the chain as -untrusted
 * (how an ACME server's chain is checked: it never includes the root). Resolves with openssl's
 * output; rejects with openssl's message when the chain does not verify.
 */
export async function opensslVerifyChain(chainPem: string, rootPem: string): Promise<string> {
  const [leaf = "", ...intermediates] =
    chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
  const dir = await mkdtemp(join(tmpdir(), "certplane-verify-"));
  try {
    const file = (name: string) => join(dir, name);
    await writeFile(file("root.pem"), rootPem);
    await writeFile(file("inter.pem"), intermediates.join(""));
    await writeFile(file("leaf.pem"), leaf);
    const args = ["verify", "-CAfile", file("root.pem"), "-untrusted", file("inter.pem"), file("leaf.pem")];
    const { stdout } = await run("openssl", args);
    return stdout.trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
