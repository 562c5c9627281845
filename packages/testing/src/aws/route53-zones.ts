// The record-set rules of Route 53's ChangeResourceRecordSets as its API reference documents them: a batch is
// all-or-nothing, DELETE must name the record set exactly as it is, TXT values must be quoted, and a record set
// with a SetIdentifier (weighted, multivalue …) is its own set next to others of the same name and type.
import { randomBytes } from "node:crypto";
import type { TxtMirror } from "../txt-mirror.ts";

export interface HostedZone {
  /** Without the `/hostedzone/` prefix. */
  readonly id: string;
  /** Lower case with the trailing dot, as Route 53 answers. */
  readonly name: string;
  readonly privateZone: boolean;
}

export interface StoredRecordSet {
  readonly zoneId: string;
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  readonly setIdentifier?: string;
  readonly multiValueAnswer?: boolean;
  readonly values: readonly string[];
}

export interface RecordSetChange {
  readonly action: string;
  readonly recordSet: Omit<StoredRecordSet, "zoneId">;
}

/** A batch Route 53 refuses, with the message it gives. */
export class InvalidChangeBatch extends Error {}

export const absolute = (name: string) => (name.endsWith(".") ? name : `${name}.`).toLowerCase();
const newId = (prefix: string) => `${prefix}${randomBytes(10).toString("hex").toUpperCase()}`;
const describe = (set: { name: string; type: string; setIdentifier?: string }) =>
  `[name='${set.name}', type='${set.type}'${set.setIdentifier ? `, set-identifier='${set.setIdentifier}'` : ""}]`;

/** A TXT value in zone-file form: one or more quoted strings of at most 255 characters. */
function txtStrings(value: string): string[] | undefined {
  const parts = [...value.matchAll(/"((?:[^"\\]|\\.){0,255})"\s*/g)];
  if (
    parts
      .map((p) => p[0])
      .join("")
      .trim() !== value.trim() ||
    parts.length === 0
  )
    return undefined;
  return parts.map((p) => (p[1] ?? "").replace(/\\(.)/g, "$1"));
}

export class Route53Zones {
  readonly zones: readonly HostedZone[];
  private readonly sets: StoredRecordSet[] = [];
  private readonly mirror: TxtMirror | undefined;

  constructor(zones: readonly { name: string; id?: string; privateZone?: boolean }[], mirror?: TxtMirror) {
    this.zones = zones.map((z) => ({
      id: z.id ?? newId("Z"),
      name: absolute(z.name),
      privateZone: !!z.privateZone,
    }));
    this.mirror = mirror;
  }

  recordSets(): readonly StoredRecordSet[] {
    return [...this.sets];
  }

  zone(id: string): HostedZone | undefined {
    return this.zones.find((z) => z.id === id);
  }

  /** Validates the whole batch first, then applies it, so a refused batch changes nothing. */
  async apply(zone: HostedZone, changes: readonly RecordSetChange[]): Promise<void> {
    const next = [...this.sets];
    const effects: { kind: "present" | "cleanUp"; set: StoredRecordSet }[] = [];
    for (const change of changes) {
      const set: StoredRecordSet = {
        ...change.recordSet,
        zoneId: zone.id,
        name: absolute(change.recordSet.name),
      };
      this.check(zone, set);
      const at = next.findIndex(
        (s) =>
          s.zoneId === zone.id &&
          s.name === set.name &&
          s.type === set.type &&
          s.setIdentifier === set.setIdentifier,
      );
      const existing = at === -1 ? undefined : next[at];
      if (change.action === "DELETE") {
        if (!existing)
          throw new InvalidChangeBatch(
            `Tried to delete resource record set ${describe(set)} but it was not found`,
          );
        if (existing.ttl !== set.ttl || existing.values.join("\n") !== set.values.join("\n")) {
          throw new InvalidChangeBatch(
            `Tried to delete resource record set ${describe(set)} but the values provided do not match the current values`,
          );
        }
        next.splice(at, 1);
        effects.push({ kind: "cleanUp", set: existing });
        continue;
      }
      if (change.action === "CREATE" && existing) {
        throw new InvalidChangeBatch(
          `Tried to create resource record set ${describe(set)} but it already exists`,
        );
      }
      if (change.action !== "CREATE" && change.action !== "UPSERT") {
        throw new InvalidChangeBatch(`Unknown change action ${change.action}`);
      }
      const conflicting = next.find(
        (s) =>
          s.zoneId === zone.id &&
          s.name === set.name &&
          s.type === set.type &&
          (s.setIdentifier === undefined) !== (set.setIdentifier === undefined),
      );
      // Guess: real Route 53's wording for mixing a simple and a set-identified record set.
      if (conflicting) {
        throw new InvalidChangeBatch(
          `RRSet of type ${set.type} with DNS name ${set.name} is not permitted because a conflicting RRSet of type ${set.type} with the same DNS name already exists in zone ${zone.name}.`,
        );
      }
      if (existing) {
        next.splice(at, 1);
        effects.push({ kind: "cleanUp", set: existing });
      }
      next.push(set);
      effects.push({ kind: "present", set });
    }
    this.sets.splice(0, this.sets.length, ...next);
    for (const { kind, set } of effects) {
      if (set.type !== "TXT") continue;
      for (const value of set.values) {
        await this.mirror?.[kind]({
          fqdn: set.name,
          zone: zone.name,
          value: (txtStrings(value) ?? []).join(""),
        });
      }
    }
  }

  private check(zone: HostedZone, set: StoredRecordSet): void {
    if (set.name !== zone.name && !set.name.endsWith(`.${zone.name}`)) {
      throw new InvalidChangeBatch(`RRSet with DNS name ${set.name} is not permitted in zone ${zone.name}`);
    }
    // Guess: the wording of this and the next refusal; the conditions are the documented ones.
    if (set.multiValueAnswer && set.setIdentifier === undefined) {
      throw new InvalidChangeBatch(
        `Invalid request: Missing field 'SetIdentifier' in Change with ${describe(set)}`,
      );
    }
    if (set.values.length === 0) {
      throw new InvalidChangeBatch(
        `Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords]], but found none in Change with ${describe(set)}`,
      );
    }
    for (const value of set.type === "TXT" ? set.values : []) {
      if (txtStrings(value) === undefined) {
        throw new InvalidChangeBatch(
          `Invalid Resource Record: 'FATAL problem: InvalidCharacterString (Value should be enclosed in quotation marks) encountered with '${value}''`,
        );
      }
    }
  }
}
