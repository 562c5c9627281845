import type { AcmeChallengeSolver } from "@certplane/domain";
import type { ChallengeKind } from "@certplane/domain/model";

export interface SolverQuery {
  /** Without `*.`. */
  readonly dnsName: string;
  readonly wildcard: boolean;
  /** Labels of the Certificate/Order that `matchLabels` selects on. */
  readonly labels: Readonly<Record<string, string>>;
  /** Challenge types the server offers for this authorization (`http-01`, `dns-01` …). */
  readonly offered: readonly string[];
}

export interface SelectedSolver {
  readonly solver: AcmeChallengeSolver;
  readonly type: ChallengeKind;
  readonly index: number;
}

/** Why no solver fits, for the Order's failure reason. */
export type NoSolver = { readonly reason: string };

interface Rank {
  readonly nameMatch: number;
  readonly zoneLength: number;
  readonly labelCount: number;
  readonly hasSelector: number;
}

function rankOf(solver: AcmeChallengeSolver, query: SolverQuery): Rank | undefined {
  const selector = solver.selector;
  if (!selector) return { nameMatch: 0, zoneLength: 0, labelCount: 0, hasSelector: 0 };
  const matchLabels = Object.entries(selector.matchLabels ?? {});
  if (matchLabels.some(([key, value]) => query.labels[key] !== value)) return undefined;
  const fullName = query.wildcard ? `*.${query.dnsName}` : query.dnsName;
  const nameMatch = (selector.dnsNames ?? []).includes(fullName) ? 1 : 0;
  const zones = (selector.dnsZones ?? []).filter(
    (zone) => query.dnsName === zone || query.dnsName.endsWith(`.${zone}`),
  );
  const zoneLength = Math.max(0, ...zones.map((zone) => zone.length));
  const restrictsNames = (selector.dnsNames?.length ?? 0) > 0 || (selector.dnsZones?.length ?? 0) > 0;
  if (restrictsNames && nameMatch === 0 && zoneLength === 0) return undefined;
  return { nameMatch, zoneLength, labelCount: matchLabels.length, hasSelector: 1 };
}

function compare(a: Rank, b: Rank): number {
  return (
    b.nameMatch - a.nameMatch ||
    b.zoneLength - a.zoneLength ||
    b.labelCount - a.labelCount ||
    b.hasSelector - a.hasSelector
  );
}

function typeOf(solver: AcmeChallengeSolver): ChallengeKind | undefined {
  if (solver.dns01) return "DNS-01";
  if (solver.http01) return "HTTP-01";
  return undefined;
}

/**
 * cert-manager's precedence (model §3.5): a dnsNames match beats a dnsZones match, the longest
 * zone wins, then the most matching labels, then any selector over none, then list order. A
 * solver also needs the server to offer its type, and HTTP-01 cannot prove a wildcard.
 */
export function selectSolver(
  solvers: readonly AcmeChallengeSolver[],
  query: SolverQuery,
): SelectedSolver | NoSolver {
  const name = query.wildcard ? `*.${query.dnsName}` : query.dnsName;
  if (solvers.length === 0) {
    return { reason: `no solvers configured on the issuer for "${name}"` };
  }
  let best: { selected: SelectedSolver; rank: Rank } | undefined;
  let wildcardNeedsDns = false;
  solvers.forEach((solver, index) => {
    const type = typeOf(solver);
    if (!type) return;
    if (!query.offered.includes(type.toLowerCase())) {
      if (query.wildcard && type === "HTTP-01") wildcardNeedsDns = true;
      return;
    }
    const rank = rankOf(solver, query);
    if (!rank) return;
    if (!best || compare(rank, best.rank) < 0) best = { selected: { solver, type, index }, rank };
  });
  if (best) return best.selected;
  if (wildcardNeedsDns || (query.wildcard && !solvers.some((s) => s.dns01))) {
    return {
      reason: `wildcard name "${name}" can only be validated with DNS-01, and no dns01 solver matches it`,
    };
  }
  return {
    reason: `no configured solver matches "${name}" (offered challenge types: ${query.offered.join(", ")})`,
  };
}
