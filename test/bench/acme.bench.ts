// ACME issuance at scale: run with `npx tsx test/bench/acme.bench.ts`. 50 orders at once through
// the acme-solver (in-memory store, HTTP-01, real pebble), beside a bare acme-client loop placing the
// same 50 orders at once against the same pebble in the same run, and their ratio. JSON lines on stdout.
import http from "node:http";
import https from "node:https";
import { performance } from "node:perf_hooks";
import { startPebble } from "@certplane/testing";
import * as acme from "acme-client";
import { SolverHarness } from "../../services/acme-solver/src/testing/acme-solver-harness.ts";

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
  // The baseline is the plain acme-client loop a script would run: no events, no store, no retries
  // beyond acme-client's own, polling as fast as the solver is configured to.
  acme.axios.defaults.httpsAgent = new https.Agent({ ca: pebble.caPem, keepAlive: true });
  (
    acme.axios.defaults as unknown as { acmeSettings: { retryMaxAttempts: number } }
  ).acmeSettings.retryMaxAttempts = 1;
  const client = new acme.Client({
    directoryUrl: pebble.directoryUrl,
    accountKey: await acme.crypto.createPrivateEcdsaKey("P-256"),
    backoffMin: 20,
    backoffMax: 200,
    backoffAttempts: 100,
  });
  await client.createAccount({ termsOfServiceAgreed: true });
  const bareStarted = performance.now();
  await Promise.all(
    Array.from({ length: ORDERS }, async (_, i) => {
      const name = `b${i}.example.test`;
      const order = await client.createOrder({ identifiers: [{ type: "dns", value: name }] });
      for (const authz of await client.getAuthorizations(order)) {
        if (authz.status === "valid") continue;
        const challenge = authz.challenges.find((c) => c.type === "http-01");
        if (!challenge) throw new Error("no http-01");
        tokens.set(challenge.token, await client.getChallengeKeyAuthorization(challenge));
        await client.completeChallenge(challenge);
        await client.waitForValidStatus(challenge);
      }
      const [, csr] = await acme.crypto.createCsr(
        { commonName: name, altNames: [name] },
        await acme.crypto.createPrivateEcdsaKey("P-256"),
      );
      await client.getCertificate(await client.finalizeOrder(order, csr));
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
