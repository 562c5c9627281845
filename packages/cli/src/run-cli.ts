import { type ConnectedApi, connectApi, defaultGrpcAddress, parseServerUrl } from "@certplane/api";
import type { CliIo } from "./cli-io.ts";
import { type Command, type CommandContext, usageError } from "./command.ts";
import { findCommand, usageText } from "./command-table.ts";
import { type CommandLine, describeFlag, type FlagName, parseCommandLine } from "./flags.ts";
import { reportError } from "./report-error.ts";

const defaultServer = `grpc://${defaultGrpcAddress}`;

/** Runs one certctl invocation and returns its exit code; nothing here touches process globals. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let connection: ConnectedApi | undefined;
  try {
    const line = parseCommandLine(argv);
    const [name, ...words] = line.words;
    if (line.flags.help === true || name === "help") {
      io.stdout.write(usageText());
      return 0;
    }
    const command = findCommand(name);
    rejectForeignFlags(command, line);
    const target = parseServerUrl(line.flags.server ?? io.env.CERTPLANE_SERVER ?? defaultServer, "--server");
    const context: CommandContext = {
      words,
      flags: line.flags,
      namespace: line.flags.namespace ?? "default",
      target,
      io,
      api: async () => {
        connection ??= await connectApi(target, { clientName: "certctl" });
        return connection.api;
      },
    };
    return await command.run(context);
  } catch (error) {
    reportError(error, io.stderr);
    return 1;
  } finally {
    await connection?.close();
  }
}

function rejectForeignFlags(command: Command, line: CommandLine): void {
  const allowed: readonly string[] = command.flags;
  const foreign = line.usedFlags.find((flag) => !allowed.includes(flag.name));
  if (foreign === undefined) return;
  const accepted = command.flags.map((flag: FlagName) => describeFlag(flag)).join(", ");
  throw usageError(`unknown flag ${foreign.rawName} for "${command.name}"; accepted: ${accepted}`);
}
