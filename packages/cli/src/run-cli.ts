import { type ConnectedApi, connectApi, type ServerTarget } from "@certplane/api";
import type { CliIo } from "./cli-io.ts";
import { type Command, type CommandContext, usageError } from "./command.ts";
import { findCommand, usageText } from "./command-table.ts";
import { resolveConnection } from "./connection.ts";
import { explainConnectionError } from "./connection-errors.ts";
import { type CommandLine, connectionFlags, describeFlag, type FlagName, parseCommandLine } from "./flags.ts";
import { reportError } from "./report-error.ts";

/** Runs one certctl invocation and returns its exit code; nothing here touches process globals. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let connection: ConnectedApi | undefined;
  let target: ServerTarget | undefined;
  try {
    const line = parseCommandLine(argv);
    const [name, ...words] = line.words;
    if (line.flags.help === true || name === "help") {
      io.stdout.write(usageText());
      return 0;
    }
    const command = findCommand(name);
    rejectForeignFlags(command, line);
    const server = resolveConnection(line.flags, io.env);
    target = server.target;
    const context: CommandContext = {
      words,
      flags: line.flags,
      namespace: line.flags.namespace ?? "default",
      target: server.target,
      io,
      api: async () => {
        const nats = server.natsSecurity();
        const token = await server.token();
        connection ??= await connectApi(server.target, {
          clientName: "certctl",
          tls: await server.clientTls(),
          ...(nats === undefined ? {} : { nats }),
          ...(token === undefined ? {} : { token }),
        });
        return connection.api;
      },
    };
    return await command.run(context);
  } catch (error) {
    reportError(target === undefined ? error : explainConnectionError(error, target), io.stderr);
    return 1;
  } finally {
    await connection?.close();
  }
}

function rejectForeignFlags(command: Command, line: CommandLine): void {
  const allowed: readonly FlagName[] = [...command.flags, ...connectionFlags];
  const foreign = line.usedFlags.find((flag) => !(allowed as readonly string[]).includes(flag.name));
  if (foreign === undefined) return;
  const accepted = allowed.map((flag) => describeFlag(flag)).join(", ");
  throw usageError(`unknown flag ${foreign.rawName} for "${command.name}"; accepted: ${accepted}`);
}
