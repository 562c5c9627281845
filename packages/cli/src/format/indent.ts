import { stringify } from "yaml";

export function indent(text: string, spaces: number): string {
  const pad = " ".repeat(spaces);
  return text
    .split("\n")
    .map((line) => (line === "" ? line : pad + line))
    .join("\n");
}

/** A value as YAML, indented under a heading; `<none>` when there is nothing to show. */
export function indentedYaml(value: unknown, spaces: number): string {
  if (value === undefined || value === null) return `${" ".repeat(spaces)}<none>\n`;
  if (typeof value === "object" && Object.keys(value).length === 0) return `${" ".repeat(spaces)}<none>\n`;
  return indent(stringify(value), spaces);
}
