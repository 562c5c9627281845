import type { ResourceObject } from "@certplane/api";
import { usageError } from "../command.ts";
import { type KindInfo, qualifiedKind } from "../kinds.ts";
import { renderDocument } from "./document.ts";
import { executeJsonPath, type JsonPathTemplate, parseJsonPath } from "./jsonpath.ts";
import { columnsFor } from "./resource-columns.ts";
import { formatTable, withoutHeader } from "./table.ts";

const named = ["wide", "yaml", "json", "name"] as const;

/** What `get -o` asked for; `table` is kubectl's default without `-o`. */
export type GetOutput =
  | { readonly kind: "table" | (typeof named)[number] }
  | { readonly kind: "jsonpath"; readonly template: JsonPathTemplate };

export function readGetOutput(value: string | undefined): GetOutput {
  if (value === undefined) return { kind: "table" };
  if ((named as readonly string[]).includes(value)) return { kind: value as (typeof named)[number] };
  if (value === "jsonpath" || value === "jsonpath=") {
    throw usageError("template format specified but no template given, e.g. -o jsonpath='{.metadata.name}'");
  }
  if (value.startsWith("jsonpath=")) {
    return { kind: "jsonpath", template: parseJsonPath(value.slice("jsonpath=".length)) };
  }
  throw usageError(
    `unknown output format "${value}" for -o; accepted: ${[...named, "jsonpath=TEMPLATE"].join(", ")}`,
  );
}

export interface RenderOptions {
  readonly info: KindInfo;
  /** A NAME was given: kubectl prints the object itself rather than a List. */
  readonly single: boolean;
  readonly allNamespaces: boolean;
  /** Ages are counted from it. */
  readonly now: Date;
  /** False for the rows `--watch` prints after the first table. */
  readonly header?: boolean;
}

export function renderItems(
  items: readonly ResourceObject[],
  output: GetOutput,
  options: RenderOptions,
): string {
  const document =
    options.single && items.length === 1 ? items[0] : { apiVersion: "v1", kind: "List", items };
  switch (output.kind) {
    case "json":
    case "yaml":
      return renderDocument(output.kind, document);
    case "name":
      return items.map((item) => `${qualifiedKind(item.kind)}/${item.metadata.name}\n`).join("");
    case "jsonpath":
      return executeJsonPath(output.template, document);
    default: {
      const columns = columnsFor(options.info.kind, {
        wide: output.kind === "wide",
        allNamespaces: options.allNamespaces,
      });
      const table = formatTable(
        columns.map((column) => column.header),
        items.map((item) => columns.map((column) => column.value(item, options.now))),
      );
      return options.header === false ? withoutHeader(table) : table;
    }
  }
}
