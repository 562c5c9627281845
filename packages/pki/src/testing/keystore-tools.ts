// The real tools that read what the keystore encoders write, for tests in this package and for the
// end-to-end tests. A missing tool fails the test with what to install; it is never a skip.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

const installHints: Readonly<Record<string, string>> = {
  openssl: "apt-get install openssl",
  keytool: "apt-get install openjdk-17-jre-headless (keytool ships with the JRE)",
};

export class ToolFailedError extends Error {
  readonly code = "toolFailed";
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

/** Runs `tool`; resolves with stdout+stderr, rejects with the output when it exits non-zero. */
export async function runTool(tool: "openssl" | "keytool", args: readonly string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(tool, [...args], { maxBuffer: 4 * 1024 * 1024 });
    return `${stdout}${stderr}`;
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (failure.code === "ENOENT") {
      throw new Error(`${tool} is not installed; these tests need it: ${installHints[tool]}`);
    }
    const output = `${failure.stdout ?? ""}${failure.stderr ?? ""}`;
    throw new ToolFailedError(`${tool} ${args.join(" ")} failed: ${output}`, output);
  }
}

/** `openssl pkcs12 -info -nodes`: every bag, keys and certificates in PEM. */
export function opensslPkcs12Info(
  file: string,
  password: string,
  options: { readonly legacy?: boolean } = {},
): Promise<string> {
  return runTool("openssl", [
    "pkcs12",
    "-in",
    file,
    "-passin",
    `pass:${password}`,
    "-info",
    "-nodes",
    ...(options.legacy ? ["-legacy"] : []),
  ]);
}

/** `keytool -list -v`: every entry with its type and chain. */
export function keytoolList(file: string, password: string): Promise<string> {
  return runTool("keytool", ["-list", "-v", "-keystore", file, "-storepass", password]);
}

/** The PEM blocks of one label in a tool's output, in order. */
export function pemBlocksIn(output: string, label: string): string[] {
  return output.match(new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`, "g")) ?? [];
}
