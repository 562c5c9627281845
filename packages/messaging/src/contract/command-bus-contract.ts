import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { afterEach, describe, it } from "node:test";
import {
  CertplaneError,
  NoRespondersError,
  NotFoundError,
  TimeoutError,
  ValidationError,
} from "@certplane/domain";
import { parseTraceparent } from "@certplane/telemetry";
import { pollUntil } from "@certplane/testing";
import type { CommandBus, HandlerErrorListener, InboundRequest, MessageHeaders } from "../port.ts";

/** Returns a new, connected bus; buses from one factory must reach each other (same server or broker). */
export type CommandBusFactory = (options: { onHandlerError: HandlerErrorListener }) => Promise<CommandBus>;

/** Delivery is asynchronous and may cross a real server, so polls get more than pollUntil's default. */
const POLL_DEADLINE_MS = 10_000;

/** A promise the test resolves by hand, to hold a handler mid-flight. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** Every adapter runs this suite; the suite is the definition of the port's semantics. */
export function commandBusContract(adapter: string, connect: CommandBusFactory): void {
  describe(`command bus contract: ${adapter}`, () => {
    const opened: CommandBus[] = [];
    const handlerErrors: Array<{ error: unknown; subject: string }> = [];
    const open = async () => {
      const bus = await connect({
        onHandlerError: (error, subject) => handlerErrors.push({ error, subject }),
      });
      opened.push(bus);
      return bus;
    };
    // Subjects are unique per test so that tests sharing a server never see each other's traffic.
    const prefix = () => `contract.${randomUUID().slice(0, 8)}`;

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((bus) => bus.close()));
      handlerErrors.splice(0);
    });

    it("answers a request with the handler's reply", async () => {
      const [server, client] = [await open(), await open()];
      const subject = `${prefix()}.cmd.greet`;
      const seen: Array<InboundRequest<{ name: string }>> = [];
      await server.handle<{ name: string }, { greeting: string }>(subject, async (request) => {
        seen.push(request);
        return { greeting: `hello ${request.payload.name}` };
      });

      const reply = await client.request<{ name: string }, { greeting: string }>(subject, { name: "web" });

      assert.deepEqual(reply, { greeting: "hello web" });
      assert.equal(seen[0]?.subject, subject);
      assert.deepEqual(seen[0]?.payload, { name: "web" });
    });

    it("passes payloads as JSON copies, never by reference", async () => {
      const bus = await open();
      const subject = `${prefix()}.cmd.mutate`;
      await bus.handle<{ items: string[]; at: unknown }, { items: string[] }>(
        subject,
        async ({ payload }) => {
          payload.items.push("added by handler");
          return { items: payload.items };
        },
      );
      const sent = { items: ["a"], at: new Date("2030-01-01T00:00:00Z") };

      const reply = await bus.request<typeof sent, { items: string[] }>(subject, sent);

      assert.deepEqual(sent.items, ["a"]);
      assert.deepEqual(reply.items, ["a", "added by handler"]);
    });

    it("replies undefined for a handler that returns nothing", async () => {
      const bus = await open();
      const subject = `${prefix()}.cmd.void`;
      await bus.handle<string, void>(subject, async () => {});

      assert.equal(await bus.request(subject, "ping"), undefined);
    });

    it("fails with a TimeoutError naming the subject and timeout when no reply comes", async () => {
      const [server, client] = [await open(), await open()];
      const subject = `${prefix()}.cmd.slow`;
      const held = gate();
      await server.handle(subject, () => held.opened);
      try {
        await assert.rejects(client.request(subject, {}, { timeoutMs: 150 }), (error: unknown) => {
          assert.ok(error instanceof TimeoutError, `expected TimeoutError, got ${String(error)}`);
          assert.equal(error.code, "TIMEOUT");
          assert.match(error.message, new RegExp(`${subject.replaceAll(".", "\\.")}.*150 ms`));
          return true;
        });
      } finally {
        held.open();
      }
    });

    it("reports no responders at once, not as a timeout", async () => {
      const bus = await open();
      const subject = `${prefix()}.cmd.nobody`;
      // A generous timeout: an adapter that waited for it would fail this test with TIMEOUT instead.
      await assert.rejects(bus.request(subject, {}, { timeoutMs: 30_000 }), (error: unknown) => {
        assert.ok(!(error instanceof TimeoutError), "no responders must not surface as a timeout");
        assert.ok(error instanceof NoRespondersError, `expected NoRespondersError, got ${String(error)}`);
        assert.equal(error.code, "NO_RESPONDERS");
        assert.equal(error.subject, subject);
        return true;
      });
    });

    it("gives each request to exactly one member of a queue group and uses both members", async () => {
      const [first, second, client] = [await open(), await open(), await open()];
      const subject = `${prefix()}.cmd.work`;
      const handledBy = { first: [] as number[], second: [] as number[] };
      for (const [name, bus] of [
        ["first", first],
        ["second", second],
      ] as const) {
        await bus.handle<number, string>(
          subject,
          async ({ payload }) => {
            handledBy[name].push(payload);
            return `${name}:${payload}`;
          },
          { queue: "workers" },
        );
      }
      const ids = Array.from({ length: 40 }, (_, i) => i);

      const replies = await Promise.all(ids.map((id) => client.request<number, string>(subject, id)));

      assert.deepEqual(
        [...handledBy.first, ...handledBy.second].sort((a, b) => a - b),
        ids,
      );
      assert.ok(handledBy.first.length > 0 && handledBy.second.length > 0, JSON.stringify(handledBy));
      for (const [id, reply] of replies.entries()) assert.match(reply, new RegExp(`^(first|second):${id}$`));
    });

    it("rethrows a handler's ValidationError with its code, message, field and issues", async () => {
      const [server, client] = [await open(), await open()];
      const subject = `${prefix()}.cmd.validate`;
      const thrown = new ValidationError([
        { field: "spec.dnsNames[0]", rule: "dns1123Subdomain", message: "must be a DNS-1123 subdomain" },
        { field: "spec.duration", rule: "minimum", message: "must be at least 1h" },
      ]);
      await server.handle(subject, async () => {
        throw thrown;
      });

      await assert.rejects(client.request(subject, {}), (error: unknown) => {
        assert.ok(error instanceof ValidationError, `expected ValidationError, got ${String(error)}`);
        assert.equal(error.code, "VALIDATION");
        assert.equal(error.message, thrown.message);
        assert.equal(error.field, "spec.dnsNames[0]");
        assert.deepEqual(error.issues, thrown.issues);
        return true;
      });
      assert.deepEqual(handlerErrors, [], "typed errors are answers, not handler failures");
    });

    it("rethrows other typed errors with the same code, message and field", async () => {
      const bus = await open();
      const subject = `${prefix()}.cmd.find`;
      await bus.handle(subject, async () => {
        throw new NotFoundError("certificate default/web not found", { field: "metadata.name" });
      });

      await assert.rejects(bus.request(subject, {}), (error: unknown) => {
        assert.ok(error instanceof CertplaneError);
        assert.deepEqual(
          [error.code, error.message, error.field],
          ["NOT_FOUND", "certificate default/web not found", "metadata.name"],
        );
        return true;
      });
    });

    it("turns an unknown exception into INTERNAL without its message or stack, and reports it", async () => {
      const bus = await open();
      const subject = `${prefix()}.cmd.crash`;
      const secret = "-----BEGIN PRIVATE KEY----- at /var/lib/certplane/keys";
      await bus.handle(subject, async () => {
        throw new Error(secret);
      });

      await assert.rejects(bus.request(subject, {}), (error: unknown) => {
        assert.ok(error instanceof CertplaneError);
        assert.equal(error.code, "INTERNAL");
        assert.ok(!error.message.includes("PRIVATE KEY"), error.message);
        assert.ok(!error.message.includes("at /var/lib"), error.message);
        return true;
      });
      assert.equal(handlerErrors.length, 1);
      assert.deepEqual(handlerErrors[0], { error: new Error(secret), subject });
    });

    it("carries the caller's traceparent and headers to the handler", async () => {
      const [server, client] = [await open(), await open()];
      const subject = `${prefix()}.cmd.trace`;
      const seen: MessageHeaders[] = [];
      await server.handle(subject, async ({ headers }) => {
        seen.push(headers);
      });
      const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

      await client.request(subject, {}, { headers: { traceparent, "correlation-id": "corr-1" } });

      assert.equal(parseTraceparent(seen[0]?.traceparent ?? "")?.traceId, "4bf92f3577b34da6a3ce929d0e0e4736");
      assert.equal(seen[0]?.["correlation-id"], "corr-1");
    });

    it("starts a trace for a caller that has none", async () => {
      const bus = await open();
      const subject = `${prefix()}.cmd.untraced`;
      const seen: MessageHeaders[] = [];
      await bus.handle(subject, async ({ headers }) => {
        seen.push(headers);
      });

      await bus.request(subject, {});

      assert.ok(parseTraceparent(seen[0]?.traceparent ?? ""), `got ${seen[0]?.traceparent}`);
    });

    it("delivers a publish to every matching subscriber, wildcards included, and to no other", async () => {
      const [subscriber, publisher] = [await open(), await open()];
      const root = prefix();
      const received = new Map<string, string[]>();
      for (const pattern of [`${root}.cert.issued`, `${root}.cert.*`, `${root}.>`, `${root}.other.*`]) {
        received.set(pattern, []);
        await subscriber.subscribe<string>(pattern, async ({ subject }) => {
          received.get(pattern)?.push(subject);
        });
      }

      await publisher.publish(`${root}.cert.issued`, { name: "web" });
      // Order per subscription is kept, so once the marker arrives anything misrouted would be there too.
      await publisher.publish(`${root}.other.marker`, {});

      await pollUntil(() => received.get(`${root}.>`)?.length === 2, {
        what: "the marker to reach its subscribers",
        timeoutMs: POLL_DEADLINE_MS,
      });
      await pollUntil(() => received.get(`${root}.other.*`)?.length === 1, {
        what: "the marker to reach other.*",
        timeoutMs: POLL_DEADLINE_MS,
      });
      assert.deepEqual(received.get(`${root}.cert.issued`), [`${root}.cert.issued`]);
      assert.deepEqual(received.get(`${root}.cert.*`), [`${root}.cert.issued`]);
      assert.deepEqual(received.get(`${root}.other.*`), [`${root}.other.marker`]);
    });

    it("shares published messages within a queue group and copies them to plain subscribers", async () => {
      const [first, second, watcher, publisher] = [await open(), await open(), await open(), await open()];
      const subject = `${prefix()}.notify.issued`;
      const mailed: number[] = [];
      const watched: number[] = [];
      for (const bus of [first, second]) {
        await bus.subscribe<number>(subject, async ({ payload }) => void mailed.push(payload), {
          queue: "mailer",
        });
      }
      await watcher.subscribe<number>(subject, async ({ payload }) => void watched.push(payload));

      for (let i = 0; i < 20; i++) await publisher.publish(subject, i);

      await pollUntil(() => watched.length === 20, {
        what: "all 20 to be watched",
        timeoutMs: POLL_DEADLINE_MS,
      });
      await pollUntil(() => mailed.length >= 20, {
        what: "all 20 to be mailed",
        timeoutMs: POLL_DEADLINE_MS,
      });
      assert.deepEqual(
        [...mailed].sort((a, b) => a - b),
        [...watched].sort((a, b) => a - b),
      );
    });

    it("reports a subscriber's failure to the error listener", async () => {
      const bus = await open();
      const subject = `${prefix()}.notify.broken`;
      await bus.subscribe(subject, async () => {
        throw new Error("subscriber broke");
      });

      await bus.publish(subject, {});

      await pollUntil(() => handlerErrors.length === 1, {
        what: "the failure to be reported",
        timeoutMs: POLL_DEADLINE_MS,
      });
      assert.equal(handlerErrors[0]?.subject, subject);
    });

    it("rejects wildcard subjects for requests and publishes", async () => {
      const bus = await open();
      await assert.rejects(bus.publish("contract.*.x", {}), ValidationError);
      await assert.rejects(bus.request("contract.>", {}), ValidationError);
      await assert.rejects(
        bus.handle("contract..x", async () => {}),
        ValidationError,
      );
    });

    it("has no responders once the only registration stopped", async () => {
      const [server, client] = [await open(), await open()];
      const subject = `${prefix()}.cmd.stop`;
      const registration = await server.handle(subject, async () => "up");
      assert.equal(await client.request(subject, {}), "up");

      await registration.stop();

      await assert.rejects(client.request(subject, {}, { timeoutMs: 30_000 }), NoRespondersError);
    });

    it("lets a running handler reply while closing, then refuses new work", async () => {
      const [server, client] = [await open(), await open()];
      const subject = `${prefix()}.cmd.drain`;
      const entered = gate();
      const held = gate();
      await server.handle(subject, async () => {
        entered.open();
        await held.opened;
        return "finished";
      });

      const reply = client.request(subject, {});
      await entered.opened;
      const closed = server.close();
      held.open();

      assert.equal(await reply, "finished");
      await closed;
      await server.close();
      await assert.rejects(server.request(subject, {}), (error: unknown) => {
        assert.ok(error instanceof CertplaneError);
        assert.equal(error.code, "UNAVAILABLE");
        return true;
      });
      await assert.rejects(client.request(subject, {}, { timeoutMs: 30_000 }), NoRespondersError);
    });
  });
}
