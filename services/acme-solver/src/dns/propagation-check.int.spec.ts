import assert from "node:assert/strict";
import { createSocket, type Socket } from "node:dgram";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { AuthoritativePropagationChecker } from "./propagation-check.ts";
import { encodeName, encodeRecord, encodeTxtRdata, u16 } from "./rfc2136/wire.ts";

const cname = 5;
const txt = 16;

/** A DNS server answering from a fixed table, as a recursive resolver would after following nothing itself. */
async function startTableServer(table: Record<string, { cname?: string; txt?: string[] }>) {
  const socket: Socket = createSocket("udp4");
  socket.on("message", (query, peer) => {
    let offset = 12;
    const labels: string[] = [];
    for (let length = query[offset] ?? 0; length > 0; length = query[offset] ?? 0) {
      labels.push(
        query
          .subarray(offset + 1, offset + 1 + length)
          .toString("ascii")
          .toLowerCase(),
      );
      offset += length + 1;
    }
    const name = `${labels.join(".")}.`;
    const type = query.readUInt16BE(offset + 1);
    const question = query.subarray(12, offset + 5);
    const entry = table[name];
    const answers =
      type === cname && entry?.cname
        ? [encodeRecord({ name, type: cname, class: 1, ttl: 0, rdata: encodeName(entry.cname) })]
        : type === txt
          ? (entry?.txt ?? []).map((value) =>
              encodeRecord({ name, type: txt, class: 1, ttl: 0, rdata: encodeTxtRdata(value) }),
            )
          : [];
    // QR + AA + RD echoed, NXDOMAIN for names outside the table.
    const flags = 0x8400 | (query.readUInt16BE(2) & 0x0100) | (entry ? 0 : 3);
    const header = Buffer.concat([
      query.subarray(0, 2),
      u16(flags),
      u16(1),
      u16(answers.length),
      u16(0),
      u16(0),
    ]);
    socket.send(Buffer.concat([header, question, ...answers]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { address: `127.0.0.1:${(socket.address() as AddressInfo).port}`, close: () => socket.close() };
}

describe("the DNS-01 propagation check", () => {
  let server: Awaited<ReturnType<typeof startTableServer>>;
  before(async () => {
    server = await startTableServer({
      "_acme-challenge.example.test.": { cname: "d420c923.auth.example.test." },
      "d420c923.auth.example.test.": { txt: ["value-1"] },
      "_acme-challenge.direct.test.": { txt: ["value-2"] },
      "_acme-challenge.loop.test.": { cname: "_acme-challenge.loop.test." },
    });
  });
  after(() => server?.close());

  const checker = () =>
    new AuthoritativePropagationChecker({ recursiveNameservers: [server.address], recursiveOnly: true });

  it("follows a CNAME to where the value is, as cert-manager does for acme-dns", async () => {
    assert.equal(await checker().isPropagated("_acme-challenge.example.test.", "value-1"), true);
    assert.equal(await checker().isPropagated("_acme-challenge.example.test.", "other"), false);
  });

  it("checks a name without a CNAME where it is, and reports a CNAME loop", async () => {
    assert.equal(await checker().isPropagated("_acme-challenge.direct.test.", "value-2"), true);
    await assert.rejects(checker().isPropagated("_acme-challenge.loop.test.", "x"), /loop back/);
  });
});
