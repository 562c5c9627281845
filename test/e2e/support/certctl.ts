import { runCli } from "@certplane/cli";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs certctl in this process, exactly as the binary would with these arguments. */
export function certctl(server: string, ...args: string[]): Promise<CliResult> {
  return certctlWithEnv({}, server, ...args);
}

/** certctl with these environment variables (CERTPLANE_NATS_USER …), as a user's shell would set them. */
export async function certctlWithEnv(
  env: Readonly<Record<string, string>>,
  server: string,
  ...args: string[]
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(["--server", server, ...args], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: (async function* () {})(),
    env,
    now: () => new Date(),
    pollIntervalMs: 100,
  });
  return { code, stdout, stderr };
}

/** `certctl wait certificate NAME -n NS --for=condition=Ready`, as the specs wait for issuance. */
export function waitReady(
  server: string,
  name: string,
  namespace: string,
  timeout = "90s",
): Promise<CliResult> {
  return certctl(
    server,
    "wait",
    "certificate",
    name,
    "-n",
    namespace,
    "--for=condition=Ready",
    `--timeout=${timeout}`,
  );
}
