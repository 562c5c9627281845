export type { CliIo, CliWriter } from "./cli-io.ts";
export { formatAge } from "./format/age.ts";
export { runCli } from "./run-cli.ts";
