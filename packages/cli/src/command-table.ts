import type { Command } from "./command.ts";
import { usageError } from "./command.ts";
import { adminCommand } from "./commands/admin.ts";
import { applyCommand } from "./commands/apply.ts";
import { approveCommand, denyCommand } from "./commands/approve-deny.ts";
import { auditCommand } from "./commands/audit.ts";
import { authCommand } from "./commands/auth.ts";
import { checkCommand } from "./commands/check.ts";
import { completionCommand } from "./commands/completion.ts";
import { createCommand } from "./commands/create.ts";
import { deleteCommand } from "./commands/delete.ts";
import { describeCommand } from "./commands/describe.ts";
import { getCommand } from "./commands/get.ts";
import { historyCommand } from "./commands/history.ts";
import { inspectCommand } from "./commands/inspect.ts";
import { renewCommand } from "./commands/renew.ts";
import { replayCommand } from "./commands/replay.ts";
import { statusCommand } from "./commands/status.ts";
import { versionCommand } from "./commands/version.ts";
import { waitCommand } from "./commands/wait.ts";

export const commands: readonly Command[] = [
  applyCommand,
  getCommand,
  describeCommand,
  waitCommand,
  deleteCommand,
  createCommand,
  inspectCommand,
  renewCommand,
  approveCommand,
  denyCommand,
  historyCommand,
  auditCommand,
  replayCommand,
  adminCommand,
  authCommand,
  statusCommand,
  checkCommand,
  versionCommand,
  completionCommand(() => commands),
];

export function findCommand(name: string | undefined): Command {
  const command = commands.find((c) => c.name === name);
  if (command !== undefined) return command;
  const accepted = commands.map((c) => c.name).join(", ");
  throw usageError(
    name === undefined
      ? `missing command; accepted: ${accepted}`
      : `unknown command "${name}"; accepted: ${accepted}`,
  );
}

export function usageText(): string {
  return [
    "certctl: kubectl-style client for the certplane control plane",
    "",
    "Usage:",
    ...commands.map((c) => `  ${c.usage}`),
    "",
    "Global flags:",
    "  --server URL   grpc://HOST:PORT (default grpc://127.0.0.1:7443, or $CERTPLANE_SERVER),",
    "                 grpcs://HOST:PORT (TLS) or nats://HOST:PORT",
    "  --certificate-authority FILE   CA that signed a grpcs:// server's certificate ($CERTPLANE_CA_FILE)",
    "  --client-certificate FILE --client-key FILE   for a server that requires client certificates",
    "  --token-file FILE   an API token for a gRPC server that takes them ($CERTPLANE_TOKEN_FILE)",
    "",
  ].join("\n");
}
