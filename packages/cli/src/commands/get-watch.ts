import type { ResourceObject } from "@certplane/api";
import type { CliIo } from "../cli-io.ts";
import { pollSleep } from "../poll.ts";

/**
 * `get --watch`: reads the list again every poll interval and hands over each object that was
 * added, changed or deleted since the last read (a deleted one as it was last seen), until
 * `io.signal` aborts. Polling rather than the history long-poll, because history follows one
 * named object and a watch follows a whole list.
 */
export async function watchChanges(
  initial: readonly ResourceObject[],
  read: () => Promise<readonly ResourceObject[]>,
  io: CliIo,
  changed: (object: ResourceObject) => void,
): Promise<void> {
  const { sleep, interval } = pollSleep(io);
  const stopped = () => io.signal?.aborted === true;
  let seen = snapshot(initial);
  while (!stopped()) {
    await sleep(interval);
    if (stopped()) return;
    const next = snapshot(await read());
    for (const [key, entry] of next) if (seen.get(key)?.json !== entry.json) changed(entry.object);
    for (const [key, entry] of seen) if (!next.has(key)) changed(entry.object);
    seen = next;
  }
}

interface Seen {
  readonly object: ResourceObject;
  readonly json: string;
}

function snapshot(items: readonly ResourceObject[]): Map<string, Seen> {
  return new Map(
    items.map((object) => [
      `${object.kind}/${object.metadata.namespace ?? ""}/${object.metadata.name}`,
      { object, json: JSON.stringify(object) },
    ]),
  );
}
