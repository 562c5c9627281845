import { parseArgs } from "node:util";
import { ValidationError } from "@certplane/domain";

// One table for every command: each command then says which of these it accepts, so a flag
// another command knows is still rejected with a message naming what this one takes.
const flagSpecs = {
  server: { type: "string" },
  "certificate-authority": { type: "string" },
  "client-certificate": { type: "string" },
  "client-key": { type: "string" },
  "token-file": { type: "string" },
  namespace: { type: "string", short: "n" },
  "all-namespaces": { type: "boolean", short: "A" },
  output: { type: "string", short: "o" },
  filename: { type: "string", short: "f", multiple: true },
  "dry-run": { type: "boolean" },
  for: { type: "string" },
  timeout: { type: "string" },
  cert: { type: "string" },
  key: { type: "string" },
  ca: { type: "string" },
  all: { type: "boolean" },
  related: { type: "boolean" },
  revisions: { type: "boolean" },
  correlation: { type: "string" },
  at: { type: "string" },
  follow: { type: "boolean" },
  out: { type: "string" },
  checkpoints: { type: "string" },
  "public-key": { type: "string" },
  store: { type: "string" },
  wait: { type: "boolean" },
  watch: { type: "boolean", short: "w" },
  client: { type: "boolean" },
  reason: { type: "string" },
  message: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

// Booleans that may also carry a value, as cmctl's `check api --wait=2m` beside `apply --wait`.
const valueOptional: ReadonlySet<string> = new Set(["wait"]);

export type FlagName = keyof typeof flagSpecs;

/** How to reach the server: accepted by every command. */
export const connectionFlags: readonly FlagName[] = [
  "server",
  "certificate-authority",
  "client-certificate",
  "client-key",
  "token-file",
];

export interface Flags {
  readonly server?: string;
  readonly "certificate-authority"?: string;
  readonly "client-certificate"?: string;
  readonly "client-key"?: string;
  readonly "token-file"?: string;
  readonly namespace?: string;
  readonly "all-namespaces"?: boolean;
  readonly output?: string;
  readonly filename?: readonly string[];
  readonly "dry-run"?: boolean;
  readonly for?: string;
  readonly timeout?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly ca?: string;
  readonly all?: boolean;
  readonly related?: boolean;
  readonly revisions?: boolean;
  readonly correlation?: string;
  readonly at?: string;
  readonly follow?: boolean;
  readonly out?: string;
  readonly checkpoints?: string;
  readonly "public-key"?: string;
  readonly store?: string;
  /** `true` for a bare `--wait`, the text for `--wait=VALUE`. */
  readonly wait?: boolean | string;
  readonly watch?: boolean;
  readonly client?: boolean;
  readonly reason?: string;
  readonly message?: string;
  readonly help?: boolean;
}

export interface CommandLine {
  /** Positional words, the command name first. */
  readonly words: readonly string[];
  readonly flags: Flags;
  readonly usedFlags: readonly { readonly name: string; readonly rawName: string }[];
}

export function parseCommandLine(argv: readonly string[]): CommandLine {
  const { values, positionals, tokens } = parseArgs({
    // kubectl (pflag) reads `-o=json` as `-o json`; parseArgs would take "=json" for the value.
    args: argv.flatMap((arg) => (/^-[A-Za-z]=/.test(arg) ? [arg.slice(0, 2), arg.slice(3)] : [arg])),
    options: flagSpecs,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const usedFlags = [];
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const spec = (flagSpecs as Record<string, { type: string }>)[token.name];
    if (
      spec?.type === "string" &&
      (token.value === undefined || (!token.inlineValue && isFlagLike(token.value)))
    ) {
      throw ValidationError.of(
        token.rawName,
        "needsValue",
        `flag needs a value, e.g. ${token.rawName} VALUE`,
      );
    }
    if (spec?.type === "boolean" && token.inlineValue && !valueOptional.has(token.name)) {
      throw ValidationError.of(token.rawName, "noValue", "flag takes no value");
    }
    usedFlags.push({ name: token.name, rawName: token.rawName });
  }
  return { words: positionals, flags: values as Flags, usedFlags };
}

function isFlagLike(value: string): boolean {
  return value.startsWith("-") && value !== "-";
}

export function describeFlag(name: FlagName): string {
  const short = shortOf(name);
  return short === undefined ? `--${name}` : `-${short}/--${name}`;
}

/** How a flag may be typed (`--namespace`, `-n`), and whether a value follows: for shell completion. */
export function flagSpellings(name: FlagName): {
  readonly words: readonly string[];
  readonly takesValue: boolean;
} {
  const short = shortOf(name);
  return {
    words: short === undefined ? [`--${name}`] : [`--${name}`, `-${short}`],
    takesValue: flagSpecs[name].type === "string",
  };
}

function shortOf(name: FlagName): string | undefined {
  return (flagSpecs[name] as { short?: string }).short;
}
