import type { CertplaneApi, ServerTarget } from "@certplane/api";
import { ValidationError } from "@certplane/domain";
import type { CliIo } from "./cli-io.ts";
import type { FlagName, Flags } from "./flags.ts";

export interface CommandContext {
  /** Positional words after the command name. */
  readonly words: readonly string[];
  readonly flags: Flags;
  /** `-n`, or `default` as in kubectl. */
  readonly namespace: string;
  readonly target: ServerTarget;
  readonly io: CliIo;
  /** Connects on first use, so usage errors never wait for a server. */
  api(): Promise<CertplaneApi>;
}

export interface Command {
  readonly name: string;
  readonly usage: string;
  readonly flags: readonly FlagName[];
  /** Returns the exit code. */
  run(context: CommandContext): Promise<number>;
}

/** A mistake on the command line: printed as one line, without a field prefix. */
export function usageError(message: string): ValidationError {
  return ValidationError.of("", "usage", message);
}

export function requireWord(context: CommandContext, index: number, what: string, usage: string): string {
  const word = context.words[index];
  if (word === undefined) throw usageError(`missing ${what}; usage: ${usage}`);
  return word;
}

export function rejectExtraWords(context: CommandContext, count: number, usage: string): void {
  const extra = context.words[count];
  if (extra !== undefined) throw usageError(`unexpected argument "${extra}"; usage: ${usage}`);
}
