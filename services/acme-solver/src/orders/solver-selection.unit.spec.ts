import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AcmeChallengeSolver } from "@certplane/domain";
import { type SolverQuery, selectSolver } from "./solver-selection.ts";

const http = (selector?: AcmeChallengeSolver["selector"]): AcmeChallengeSolver => ({
  http01: { ingress: {} },
  ...(selector ? { selector } : {}),
});
const dns = (selector?: AcmeChallengeSolver["selector"]): AcmeChallengeSolver => ({
  dns01: { webhook: { groupName: "g", solverName: "s" } },
  ...(selector ? { selector } : {}),
});
const query = (q: Partial<SolverQuery> = {}): SolverQuery => ({
  dnsName: "www.example.test",
  wildcard: false,
  labels: {},
  offered: ["http-01", "dns-01", "tls-alpn-01"],
  ...q,
});
const pick = (solvers: AcmeChallengeSolver[], q?: Partial<SolverQuery>) => {
  const result = selectSolver(solvers, query(q));
  return "index" in result ? result.index : result.reason;
};

describe("solver selection follows cert-manager's precedence", () => {
  it("a dnsNames match beats a dnsZones match", () => {
    assert.equal(pick([dns({ dnsZones: ["example.test"] }), http({ dnsNames: ["www.example.test"] })]), 1);
  });
  it("the longest matching zone wins", () => {
    assert.equal(pick([http({ dnsZones: ["test"] }), http({ dnsZones: ["example.test"] })]), 1);
  });
  it("more matching labels win a tie", () => {
    const labels = { team: "a", env: "prod" };
    assert.equal(pick([http({ matchLabels: { team: "a" } }), http({ matchLabels: labels })], { labels }), 1);
  });
  it("any matching selector beats the default solver, and list order breaks the remaining ties", () => {
    assert.equal(pick([http(), http({ matchLabels: {}, dnsZones: ["example.test"] })]), 1);
    assert.equal(pick([http(), dns()]), 0);
  });
  it("a selector whose labels do not match is skipped", () => {
    assert.equal(pick([http({ matchLabels: { team: "b" } }), dns()], { labels: { team: "a" } }), 1);
  });
  it("a wildcard can only be solved by DNS-01, and says so", () => {
    assert.equal(pick([http(), dns()], { wildcard: true, offered: ["dns-01"] }), 1);
    assert.match(
      String(pick([http()], { wildcard: true, offered: ["dns-01"] })),
      /only be validated with DNS-01/,
    );
  });
  it("a type the server does not offer is not chosen", () => {
    assert.match(String(pick([dns()], { offered: ["http-01"] })), /no configured solver matches/);
  });
});
