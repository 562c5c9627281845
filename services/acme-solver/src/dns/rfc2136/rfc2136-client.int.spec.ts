import assert from "node:assert/strict";
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { connect, createServer, type Server, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { TimeoutError } from "@certplane/domain";
import { type Bind9Handle, startBind9 } from "@certplane/testing";
import { Rfc2136Client } from "./rfc2136-client.ts";
import { DnsUpdateRejectedError } from "./update-rejected-error.ts";
import { encodeARdata, encodeTxtRdata } from "./wire.ts";

const zone = "example.test";

describe("RFC 2136 client against bind9", () => {
  let bind: Bind9Handle;
  before(async () => {
    bind = await startBind9({ zones: [zone], tsig: { name: "acme-key", algorithm: "hmac-sha512" } });
  });
  after(async () => await bind.dispose());

  const txt = (value: string) => encodeTxtRdata(value);

  for (const protocol of ["UDP", "TCP"] as const) {
    it(`adds two values, deletes one, then deletes the RRset over ${protocol}`, async () => {
      const name = `_acme-challenge.${protocol.toLowerCase()}.${zone}`;
      const client = new Rfc2136Client({ nameserver: bind.address, tsig: bind.tsig, protocol });
      const long = "v".repeat(300);
      await client.update(zone, [
        { action: "add", name, type: "TXT", ttl: 60, rdata: txt("first") },
        { action: "add", name, type: "TXT", ttl: 60, rdata: txt(long) },
      ]);
      assert.deepEqual((await bind.dig(name, "TXT")).sort(), ["first", long]);
      await client.update(zone, [{ action: "deleteValue", name, type: "TXT", rdata: txt("first") }]);
      assert.deepEqual(await bind.dig(name, "TXT"), [long]);
      await client.update(zone, [{ action: "deleteRRset", name, type: "TXT" }]);
      assert.deepEqual(await bind.dig(name, "TXT"), []);
    });
  }

  it("reports a wrong secret as NOTAUTH/BADSIG", async () => {
    const client = new Rfc2136Client({
      nameserver: bind.address,
      tsig: { ...bind.tsig, secret: Buffer.from("not the secret").toString("base64") },
    });
    const add = { action: "add", name: `x.${zone}`, type: "TXT", ttl: 60, rdata: txt("x") } as const;
    await assert.rejects(client.update(zone, [add]), (error: unknown) => {
      assert.ok(error instanceof DnsUpdateRejectedError);
      assert.equal(error.rcode, "NOTAUTH");
      assert.equal(error.tsigError, "BADSIG");
      assert.match(error.message, /secret of TSIG key acme-key does not match/);
      return true;
    });
  });

  it("reports an unknown key name as BADKEY", async () => {
    const client = new Rfc2136Client({ nameserver: bind.address, tsig: { ...bind.tsig, name: "other-key" } });
    const add = { action: "add", name: `x.${zone}`, type: "TXT", ttl: 60, rdata: txt("x") } as const;
    await assert.rejects(client.update(zone, [add]), { tsigError: "BADKEY" });
  });

  it("reports an unsigned update as REFUSED", async () => {
    const client = new Rfc2136Client({ nameserver: bind.address });
    const add = { action: "add", name: `x.${zone}`, type: "TXT", ttl: 60, rdata: txt("x") } as const;
    await assert.rejects(client.update(zone, [add]), { rcode: "REFUSED", tsigError: undefined });
  });

  it("reports an A record as REFUSED by the update policy, and leaves the zone unchanged", async () => {
    const client = new Rfc2136Client({ nameserver: bind.address, tsig: bind.tsig });
    const add = {
      action: "add",
      name: `evil.${zone}`,
      type: "A",
      ttl: 60,
      rdata: encodeARdata("10.0.0.1"),
    } as const;
    await assert.rejects(client.update(zone, [add]), { rcode: "REFUSED" });
    assert.deepEqual(await bind.dig(`evil.${zone}`, "A"), ["127.0.0.1"]);
  });

  describe("when UDP answers are lost", () => {
    let blackHole: UdpSocket;
    let proxy: Server;
    let port = 0;
    before(async () => {
      // UDP on this port swallows everything; TCP on the same port forwards to bind.
      proxy = createServer((socket) => {
        const upstream = connect(bind.port, "127.0.0.1");
        socket.pipe(upstream).pipe(socket);
        upstream.on("error", () => socket.destroy());
        socket.on("error", () => upstream.destroy());
      });
      await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
      port = (proxy.address() as { port: number }).port;
      blackHole = createSocket("udp4");
      await new Promise<void>((resolve) => blackHole.bind(port, "127.0.0.1", resolve));
    });
    after(async () => {
      blackHole.close();
      await new Promise((resolve) => proxy.close(resolve));
    });

    it("retries once over TCP", async () => {
      const name = `_acme-challenge.retry.${zone}`;
      const client = new Rfc2136Client({ nameserver: `127.0.0.1:${port}`, tsig: bind.tsig, timeoutMs: 300 });
      await client.update(zone, [{ action: "add", name, type: "TXT", ttl: 60, rdata: txt("via-tcp") }]);
      assert.deepEqual(await bind.dig(name, "TXT"), ["via-tcp"]);
    });

    it("gives up with a TimeoutError when TCP does not answer either", async () => {
      const accepted: Socket[] = [];
      const silent = createServer((socket) => accepted.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
      try {
        const silentPort = (silent.address() as { port: number }).port;
        const client = new Rfc2136Client({
          nameserver: `127.0.0.1:${silentPort}`,
          tsig: bind.tsig,
          timeoutMs: 200,
        });
        await assert.rejects(client.update(zone, []), TimeoutError);
      } finally {
        for (const socket of accepted) socket.destroy();
        await new Promise((resolve) => silent.close(resolve));
      }
    });
  });
});
