// ARCHITECTURE.md's owner and command tables are the design; ownership.ts is the same tables as
// code. This keeps the two from drifting apart.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { StreamCategory } from "./model/streams.ts";
import {
  categoriesOwnedBy,
  categoryOwners,
  eventCategories,
  ownerCommandRoutes,
  ownerCommandSubject,
  services,
} from "./ownership.ts";

const architecture = readFileSync(new URL("../../../ARCHITECTURE.md", import.meta.url), "utf8");

function tableRows(marker: string): string[][] {
  const start = architecture.indexOf(`<!-- ${marker}:start -->`);
  const end = architecture.indexOf(`<!-- ${marker}:end -->`);
  assert.ok(start >= 0 && end > start, `ARCHITECTURE.md has the ${marker} markers`);
  return architecture
    .slice(start, end)
    .split("\n")
    .filter((line) => line.startsWith("|"))
    .slice(2)
    .map((line) =>
      line
        .slice(1, -1)
        .split("|")
        .map((cell) => cell.trim()),
    );
}

const unquote = (cell: string) => cell.replaceAll("`", "");
const list = (cell: string) => cell.split(",").map((item) => unquote(item.trim()));

describe("the owner table", () => {
  it("ARCHITECTURE.md names the same owner and event types for every category as the code", () => {
    const documented = tableRows("owner-table").map(([category, owner, events]) => ({
      category: unquote(category!),
      owner,
      events: list(events!).sort(),
    }));
    const coded = (Object.keys(categoryOwners) as StreamCategory[]).map((category) => ({
      category,
      owner: categoryOwners[category],
      events: Object.entries(eventCategories)
        .filter(([, categories]) => categories.includes(category))
        .map(([type]) => type)
        .sort(),
    }));
    assert.deepEqual(documented, coded);
  });

  it("ARCHITECTURE.md lists the same commands, subjects, owners and senders as the code", () => {
    const documented = tableRows("command-table").map(([command, subject, owner, senders]) => ({
      command: unquote(command!),
      subject: unquote(subject!),
      owner,
      senders: list(senders!),
    }));
    const coded = ownerCommandRoutes.map((route) => ({
      command: route.command,
      subject: ownerCommandSubject(route.category, route.command),
      owner: categoryOwners[route.category],
      senders: [...route.senders],
    }));
    assert.deepEqual(documented, coded);
  });

  it("gives every category exactly one owner, and no service a command to itself", () => {
    const owned = services.flatMap((service) => categoriesOwnedBy(service));
    assert.deepEqual([...owned].sort(), Object.keys(categoryOwners).sort());
    for (const route of ownerCommandRoutes) {
      assert.ok(
        !route.senders.includes(categoryOwners[route.category]),
        `${route.command} is sent by its owner`,
      );
    }
  });
});
