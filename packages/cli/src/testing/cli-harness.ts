import { type CertplaneApi, serveGrpcApi } from "@certplane/api";
import type { CliIo } from "../cli-io.ts";
import { runCli } from "../run-cli.ts";

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly stdin?: string;
  readonly now?: Date;
  readonly env?: Readonly<Record<string, string>>;
  /** Replaces waiting between polls; the harness's clock moves forward by the waited time. */
  readonly pollIntervalMs?: number;
  /** Ends `history --follow`. */
  readonly signal?: AbortSignal;
}

export const testNow = new Date("2026-01-10T12:00:00Z");

/** Runs certctl in-process against `api` served over real gRPC on a free loopback port. */
export async function runAgainst(
  api: CertplaneApi,
  argv: readonly string[],
  options: RunOptions = {},
): Promise<CliRun> {
  const server = await serveGrpcApi(api, { address: "127.0.0.1:0" });
  try {
    return await runCertctl([...argv, `--server=grpc://${server.address}`], options);
  } finally {
    await server.stop();
  }
}

export async function runCertctl(argv: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  let clock = (options.now ?? testNow).getTime();
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: (async function* () {
      if (options.stdin !== undefined) yield options.stdin;
    })(),
    env: options.env ?? {},
    now: () => new Date(clock),
    sleep: async (ms) => {
      clock += ms;
    },
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}
