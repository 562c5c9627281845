// ACME issuance at scale: run with `npx tsx test/bench/acme.bench.ts`. 50 orders at once through
// the acme-solver (in-memory store, HTTP-01, real pebble), beside a bare loop that drives the same
// pebble through the same ACME client with no events, and their ratio. JSON lines on stdout.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { createCsr, encodePrivateKeyPem, generatePrivateKey } from "@certplane/pki";
import { startPebble } from "@certplane/testing";
import { SolverHarness } from "../../services/acme-solver/src/acme-solver-harness.ts";
import { createAcmeHttpClient } from "../../services/acme-solver/src/adapters/acme-http-client.ts";

const ORDERS = 50;
const report = (figure: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: "acme", ...figure })}\n`);
const progress = (message: string) => process.stderr.write(`[acme bench] ${message}\n`);

const pebble = await startPebble();
try {
  progress("solver run");
  const harness = new SolverHarness();
  await harness.start({
    config: SolverHarness.config({
      CERTPLANE_ACME_HTTP01_LISTEN: `127.0.0.1:${pebble.httpPort}`,
      CERTPLANE_ACME_HTTP01_SELF_CHECK_ADDRESS: `127.0.0.1:${pebble.httpPort}`,
    }),
  });
  await harness.applyIssuer("pebble", {
    server: pebble.directoryUrl,
    caPem: pebble.caPem,
    solvers: [{ http01: { ingress: {} } }],
  });
  const started = performance.now();
  const requests = await Promise.all(
    Array.from({ length: ORDERS }, (_, i) =>
      harness.request(`bench-${i}`, "pebble", { dnsNames: [`s${i}.example.test`] }),
    ),
  );
  const perOrder = await Promise.all(
    requests.map(async ({ stream }) => {
      const request = await harness.settled(stream, 120_000);
      if (request.phase !== "issued") throw new Error(`${stream}: ${JSON.stringify(request.conditions)}`);
      return performance.now() - started;
    }),
  );
  const solverMs = performance.now() - started;
  await harness.stopAll();
  perOrder.sort((a, b) => a - b);
  report({
    figure: "solver",
    orders: ORDERS,
    totalMs: Math.round(solverMs),
    p50Ms: Math.round(perOrder[ORDERS >> 1] ?? 0),
    maxMs: Math.round(perOrder.at(-1) ?? 0),
  });

  progress("bare client run");
  const tokens = new Map<string, string>();
  const responder = http.createServer((req, res) => {
    const key = tokens.get((req.url ?? "").split("/").pop() ?? "");
    res.writeHead(key ? 200 : 404).end(key ?? "");
  });
  await new Promise<void>((resolve) => responder.listen(pebble.httpPort, "127.0.0.1", resolve));
  const client = createAcmeHttpClient({
    directoryUrl: pebble.directoryUrl,
    accountKeyPem: encodePrivateKeyPem(await generatePrivateKey({ algorithm: "ECDSA", size: 256 }), "PKCS8"),
    caBundlePem: pebble.caPem,
  });
  await client.register({});
  const pause = () => new Promise((r) => setTimeout(r, 20));
  const bareStarted = performance.now();
  await Promise.all(
    Array.from({ length: ORDERS }, async (_, i) => {
      const name = `b${i}.example.test`;
      const order = await client.newOrder({ identifiers: [{ type: "dns", value: name }] });
      for (const url of order.authorizationUrls) {
        const authz = await client.getAuthorization(url);
        if (authz.status === "valid") continue;
        const challenge = authz.challenges.find((c) => c.type === "http-01");
        if (!challenge) throw new Error("no http-01");
        tokens.set(challenge.token, await client.keyAuthorization(challenge));
        await client.acceptChallenge(challenge.url);
        while ((await client.getAuthorization(url)).status === "pending") await pause();
      }
      const csr = await createCsr(
        { dnsNames: [name] },
        await generatePrivateKey({ algorithm: "ECDSA", size: 256 }),
      );
      while ((await client.getOrder(order.url)).status === "pending") await pause();
      let current = await client.finalize(order.finalizeUrl, csr);
      while (current.status !== "valid") {
        await pause();
        current = await client.getOrder(order.url);
      }
      await client.downloadCertificate(current.certificateUrl ?? "");
    }),
  );
  const bareMs = performance.now() - bareStarted;
  responder.closeAllConnections();
  responder.close();
  report({ figure: "bare-client", orders: ORDERS, totalMs: Math.round(bareMs) });
  report({ figure: "ratio", solverOverBare: Number((solverMs / bareMs).toFixed(2)) });
} finally {
  await pebble.dispose();
}
