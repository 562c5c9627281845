import { usageError } from "../command.ts";

// kubectl's `-o jsonpath=` is a template language of its own (text around `{…}` actions,
// `range … end`, string literals, results joined by spaces, missing keys print nothing), which
// none of the npm JSONPath engines speak: they evaluate one RFC 9535 / Goessner expression and
// return a list. So this is the small subset kubectl users type, evaluated here.

type Segment =
  | { readonly kind: "field"; readonly name: string }
  | { readonly kind: "recursive"; readonly name: string }
  | { readonly kind: "wildcard" }
  | { readonly kind: "index"; readonly index: number }
  | { readonly kind: "slice"; readonly start?: number; readonly end?: number }
  | { readonly kind: "filter"; readonly path: readonly Segment[]; readonly test?: Comparison };

interface Comparison {
  readonly operator: "==" | "!=" | "<" | "<=" | ">" | ">=";
  readonly value: string | number | boolean;
}

type Node =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "path"; readonly path: readonly Segment[] }
  | { readonly kind: "range"; readonly path: readonly Segment[]; readonly body: readonly Node[] };

export interface JsonPathTemplate {
  readonly source: string;
  readonly nodes: readonly Node[];
}

/** Parses a kubectl JSONPath template such as `{range .items[*]}{.metadata.name}{"\n"}{end}`. */
export function parseJsonPath(source: string): JsonPathTemplate {
  const stack: Node[][] = [[]];
  const ranges: (readonly Segment[])[] = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf("{", at);
    if (open === -1) {
      current(stack).push({ kind: "text", text: source.slice(at) });
      break;
    }
    if (open > at) current(stack).push({ kind: "text", text: source.slice(at, open) });
    const close = closingBrace(source, open);
    if (close === -1) throw parseError(source, "unclosed action");
    const action = source.slice(open + 1, close).trim();
    at = close + 1;
    if (action === "end") {
      const path = ranges.pop();
      const body = stack.pop();
      if (path === undefined || body === undefined) throw parseError(source, "not in range, nothing to end");
      current(stack).push({ kind: "range", path, body });
    } else if (action.startsWith("range ")) {
      ranges.push(parsePath(action.slice("range ".length).trim(), source));
      stack.push([]);
    } else if (/^"(?:[^"\\]|\\.)*"$/.test(action)) {
      current(stack).push({ kind: "text", text: JSON.parse(action) as string });
    } else {
      current(stack).push({ kind: "path", path: parsePath(action, source) });
    }
  }
  if (ranges.length > 0) throw parseError(source, "unclosed range, missing {end}");
  return { source, nodes: current(stack) };
}

/** Runs the template against `root`: each action's results joined by a space, as kubectl prints them. */
export function executeJsonPath(template: JsonPathTemplate, root: unknown): string {
  return render(template.nodes, root);
}

function render(nodes: readonly Node[], root: unknown): string {
  return nodes
    .map((node) => {
      if (node.kind === "text") return node.text;
      const values = evaluate(node.path, [root]);
      if (node.kind === "path") return values.map(print).join(" ");
      return values.map((value) => render(node.body, value)).join("");
    })
    .join("");
}

function current(stack: Node[][]): Node[] {
  return stack.at(-1) ?? [];
}

// A string literal may hold a brace, e.g. {"}"}, so the action ends at the first brace outside one.
function closingBrace(source: string, open: number): number {
  let quoted = false;
  for (let i = open + 1; i < source.length; i++) {
    const char = source[i];
    if (quoted && char === "\\") i++;
    else if (char === '"') quoted = !quoted;
    else if (!quoted && char === "}") return i;
  }
  return -1;
}

function parseError(source: string, reason: string): Error {
  return usageError(`error parsing jsonpath ${source}, ${reason}`);
}

function parsePath(text: string, source: string): Segment[] {
  const segments: Segment[] = [];
  let rest = text.replace(/^[$@]/, "");
  while (rest.length > 0) {
    const match =
      /^\.\.((?:[^.[\]\\]|\\.)+)/.exec(rest) ??
      /^\.((?:[^.[\]\\]|\\.)*)/.exec(rest) ??
      /^\[((?:'[^']*'|"[^"]*"|\?\((?:[^()]|\([^()]*\))*\)|[^\]])*)\]/.exec(rest);
    if (match === null) throw parseError(source, `unrecognized identifier ${rest}`);
    const [whole, body = ""] = match;
    rest = rest.slice(whole.length);
    if (whole.startsWith("..")) segments.push({ kind: "recursive", name: unescapeKey(body) });
    else if (whole.startsWith(".")) {
      if (body === "") continue;
      segments.push(body === "*" ? { kind: "wildcard" } : { kind: "field", name: unescapeKey(body) });
    } else segments.push(parseBracket(body.trim(), source));
  }
  return segments;
}

function unescapeKey(name: string): string {
  return name.replace(/\\(.)/g, "$1");
}

function parseBracket(body: string, source: string): Segment {
  if (body === "*") return { kind: "wildcard" };
  if (/^-?\d+$/.test(body)) return { kind: "index", index: Number(body) };
  const slice = /^(-?\d+)?:(-?\d+)?$/.exec(body);
  if (slice !== null) {
    return {
      kind: "slice",
      ...(slice[1] === undefined ? {} : { start: Number(slice[1]) }),
      ...(slice[2] === undefined ? {} : { end: Number(slice[2]) }),
    };
  }
  const quoted = /^'([^']*)'$|^"([^"]*)"$/.exec(body);
  if (quoted !== null) return { kind: "field", name: quoted[1] ?? quoted[2] ?? "" };
  const filter = /^\?\((.*)\)$/.exec(body);
  if (filter !== null) return parseFilter((filter[1] ?? "").trim(), source);
  throw parseError(source, `unrecognized subscript [${body}]`);
}

function parseFilter(text: string, source: string): Segment {
  const match = /^(@[^\s=!<>]*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+))?$/.exec(text);
  if (match === null) throw parseError(source, `unrecognized filter ?(${text})`);
  const path = parsePath(match[1] ?? "@", source);
  if (match[2] === undefined) return { kind: "filter", path };
  return {
    kind: "filter",
    path,
    test: {
      operator: match[2] as Comparison["operator"],
      value: parseLiteral((match[3] ?? "").trim(), source),
    },
  };
}

function parseLiteral(text: string, source: string): string | number | boolean {
  const quoted = /^'([^']*)'$|^"([^"]*)"$/.exec(text);
  if (quoted !== null) return quoted[1] ?? quoted[2] ?? "";
  if (text === "true" || text === "false") return text === "true";
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  throw parseError(source, `unrecognized literal ${text}`);
}

function evaluate(path: readonly Segment[], values: readonly unknown[]): unknown[] {
  return path.reduce<unknown[]>((current, segment) => current.flatMap((v) => step(segment, v)), [...values]);
}

function step(segment: Segment, value: unknown): unknown[] {
  switch (segment.kind) {
    case "field":
      return isRecord(value) && segment.name in value ? [value[segment.name]] : [];
    case "recursive":
      return descendants(value).flatMap((v) => (isRecord(v) && segment.name in v ? [v[segment.name]] : []));
    case "wildcard":
      return Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : [];
    case "index": {
      if (!Array.isArray(value)) return [];
      const item = value.at(segment.index);
      return item === undefined ? [] : [item];
    }
    case "slice":
      return Array.isArray(value) ? value.slice(segment.start, segment.end) : [];
    case "filter":
      return (Array.isArray(value) ? value : []).filter((item) => passes(segment, item));
  }
}

function passes(filter: Extract<Segment, { kind: "filter" }>, item: unknown): boolean {
  const found = evaluate(filter.path, [item]);
  const { test } = filter;
  if (test === undefined) return found.length > 0;
  return found.some((value) => compare(value, test));
}

function compare(value: unknown, { operator, value: wanted }: Comparison): boolean {
  switch (operator) {
    case "==":
      return value === wanted;
    case "!=":
      return value !== wanted;
    default: {
      if (typeof value !== typeof wanted || typeof value === "boolean") return false;
      const [left, right] = [value as string | number, wanted as string | number];
      if (operator === "<") return left < right;
      if (operator === "<=") return left <= right;
      if (operator === ">") return left > right;
      return left >= right;
    }
  }
}

function descendants(value: unknown): unknown[] {
  const children = Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : [];
  return [value, ...children.flatMap(descendants)];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Strings as they are, everything else as JSON, as kubectl prints a result. */
function print(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
