// Random and mutated manifests for the apply fuzz spec: a seeded PRNG (so a failure replays from
// its seed) and mutations an attacker would try, on parsed values and on the YAML text itself.
import { seededPrng } from "@certplane/testing";
import { stringify } from "yaml";

export class Fuzzer {
  readonly #next: () => number;

  constructor(seed: number) {
    this.#next = seededPrng(seed);
  }

  int(below: number): number {
    return Math.floor(this.#next() * below);
  }

  chance(probability: number): boolean {
    return this.#next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Strings an attacker reaches for: controls, NUL, bidi overrides, lone surrogates, huge, empty. */
  hostileString(): string {
    const ordinary = "myapp.example.com";
    return this.pick<() => string>([
      () => `${ordinary}\u0000.evil.com`,
      () => `line\nforged: entry`,
      () => "\u001b[2J\u0007",
      () => "\u202eexample.com\u202c",
      () => "\ud800lone",
      () => "bücher.例え.テスト",
      () => "👩‍👩‍👧".repeat(this.int(40) + 1),
      () => "x".repeat(this.pick([64, 65, 253, 254, 100_000])),
      () => "",
      () => " ",
      () => "../../etc/passwd",
      () => "*.",
      () => "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
      () => String.fromCharCode(...Array.from({ length: 20 }, () => this.int(0x80))),
      () => String.fromCodePoint(...Array.from({ length: 10 }, () => this.int(0x110000))),
    ])();
  }

  /** A value of a random type, to put where another was. */
  hostileValue(depth = 0): unknown {
    return this.pick<() => unknown>([
      () => this.hostileString(),
      () => this.pick([0, -1, 1.5, 2 ** 53 + 1, -0, 1e308]),
      () => this.chance(0.5),
      () => null,
      () => [],
      () => ({}),
      () => (depth < 2 ? [this.hostileValue(depth + 1)] : "nested"),
      () => (depth < 2 ? { [this.hostileString()]: this.hostileValue(depth + 1) } : "nested"),
      () => this.nested(this.int(130)),
    ])();
  }

  /** `depth` levels of alternating lists and maps around a string. */
  nested(depth: number): unknown {
    let value: unknown = "leaf";
    for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { k: value };
    return value;
  }

  /** A structural mutation of a parsed document, in place on a copy. */
  mutateValue(document: unknown): unknown {
    const copy = structuredClone(document);
    const rounds = 1 + this.int(3);
    for (let i = 0; i < rounds; i++) this.#mutateAt(copy);
    return copy;
  }

  #mutateAt(root: unknown): void {
    // Walk down a random path, then change what is there.
    let parent: Record<string | number, unknown> | undefined;
    let key: string | number | undefined;
    let node: unknown = root;
    while (node !== null && typeof node === "object" && this.chance(0.8)) {
      const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
      if (keys.length === 0) break;
      parent = node as Record<string | number, unknown>;
      key = this.pick(keys);
      node = parent[key];
    }
    if (parent === undefined || key === undefined) return;
    const target = parent;
    const at = key;
    this.pick<() => void>([
      () => {
        target[at] = this.hostileValue();
      },
      () => {
        target[at] = typeof node === "string" ? `${node}${this.hostileString()}` : this.hostileString();
      },
      () => {
        if (Array.isArray(target)) target.splice(Number(at), 1);
        else delete target[at];
      },
      () => {
        if (Array.isArray(target)) {
          target.push(...Array.from({ length: this.pick([1, 50, 150]) }, (_, i) => `h${i}.example.com`));
        } else target[`unknown${this.int(9)}`] = this.hostileValue();
      },
      () => {
        target[at] = Array.isArray(node) ? [...node, ...node] : [node];
      },
      () => {
        target[at] = this.nested(this.int(130));
      },
    ])();
  }

  /** A textual mutation of YAML: what no parsed value can express. */
  mutateText(text: string): string {
    const lines = text.split("\n");
    const line = this.int(Math.max(1, lines.length));
    return this.pick<() => string>([
      // duplicated keys
      () => [...lines.slice(0, line + 1), lines[line] ?? "", ...lines.slice(line + 1)].join("\n"),
      // an anchor and aliases to it, sometimes a bomb, sometimes an alias inside its own anchor
      () => `${text}\nextra: &a [${Array(this.int(12)).fill('"x"').join(",")}]\nmore: [*a, *a, *a]\n`,
      () => aliasBomb(2 + this.int(8)),
      () => "a: &x [*x]\n",
      () => "a: *undefined\n",
      // explicit tags that build non-JSON values
      () => text.replace(/: ([^\n]+)$/m, ": !!binary aGVsbG8="),
      () => text.replace(/: ([^\n]+)$/m, (_, value) => `: !!set {${value}}`),
      () => text.replace(/: ([^\n]+)$/m, ": .inf"),
      // broken syntax, truncation, byte noise, deep flow nesting, many documents
      () => text.slice(0, this.int(text.length + 1)),
      () => {
        const at = this.int(text.length + 1);
        return (
          text.slice(0, at) +
          this.pick(["\u0000", "\t", "[", "{", "}", ":", "&", "*", "!", "%", "`", "\r"]) +
          text.slice(at)
        );
      },
      () => `${"[".repeat(this.pick([50, 150, 100_000]))}`,
      () => `${"- ".repeat(this.pick([50, 150, 10_000]))}x`,
      () => `---\n${text}\n`.repeat(this.pick([2, 20])),
      () => "---\n".repeat(this.pick([10, 1001])),
      () => JSON.stringify({ text }),
      () => `"${"\\u0000".repeat(10)}"`,
    ])();
  }

  /** The YAML text of `value`, written without anchors so aliases come only from mutateText. */
  yaml(value: unknown): string {
    return stringify(value, { aliasDuplicateObjects: false, lineWidth: 0 });
  }
}

function aliasBomb(levels: number): string {
  const lines = ['l0: &l0 ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < levels; i++)
    lines.push(
      `l${i}: &l${i} [${Array(9)
        .fill(`*l${i - 1}`)
        .join(",")}]`,
    );
  return `${lines.join("\n")}\n`;
}

/** Mutations of a base64 PEM CSR: bit flips in the DER, truncation, other PEM types, not base64. */
export function mutateCsr(fuzzer: Fuzzer, csrPem: string): string {
  const der = Buffer.from(csrPem.replace(/-----[^-]+-----|\s/g, ""), "base64");
  const pem = (body: Uint8Array, label = "CERTIFICATE REQUEST") =>
    `-----BEGIN ${label}-----\n${Buffer.from(body).toString("base64")}\n-----END ${label}-----\n`;
  const flipped = Buffer.from(der);
  for (let i = 0; i < 1 + fuzzer.int(8); i++) flipped[fuzzer.int(flipped.length)]! ^= 1 << fuzzer.int(8);
  return fuzzer.pick<() => string>([
    () => btoa(pem(flipped)),
    () => btoa(pem(der.subarray(0, fuzzer.int(der.length)))),
    () => btoa(pem(Buffer.from(Array.from({ length: fuzzer.int(600) }, () => fuzzer.int(256))))),
    () => btoa(pem(der, "CERTIFICATE")),
    () => btoa(pem(der, "NEW CERTIFICATE REQUEST")),
    () => btoa(`${pem(der)}${pem(der)}`),
    () => Buffer.from(pem(der)).toString("base64url"),
    () => pem(der),
    () => btoa(pem(der)).slice(0, fuzzer.int(40)),
    () => `${btoa(pem(der))}\u0000`,
    () => btoa(pem(der)),
  ])();
}
