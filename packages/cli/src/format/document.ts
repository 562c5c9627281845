import { stringify } from "yaml";

/** An object as `-o json` (two-space indent, as kubectl) or `-o yaml` prints it. */
export function renderDocument(format: "json" | "yaml", document: unknown): string {
  return format === "json" ? `${JSON.stringify(document, null, 2)}\n` : stringify(document);
}
