import { readFile } from "node:fs/promises";
import type { CliIo } from "./cli-io.ts";
import { usageError } from "./command.ts";

/** A file named by a flag; a missing or unreadable file is the user's mistake, named by that flag. */
export async function readTextFile(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (cause) {
    throw usageError(
      `cannot read ${flag} ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`,
    );
  }
}

export async function readStdin(io: CliIo): Promise<string> {
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of io.stdin)
    text += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}
