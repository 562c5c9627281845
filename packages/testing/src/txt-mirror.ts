import type { ChallTestSrv } from "./pebble.ts";

/** A TXT record as the DNS-01 providers name it: owner with the trailing dot, zone when known. */
export interface MirroredTxt {
  readonly fqdn: string;
  readonly zone?: string;
  readonly value: string;
}

/**
 * Where a DNS provider stand-in publishes the TXT values it holds, so that resolvers (pebble's VA, the
 * solver's propagation check) see them. An RFC 2136 provider into bind9 fits this shape as it is.
 */
export interface TxtMirror {
  present(record: MirroredTxt): Promise<void>;
  cleanUp(record: MirroredTxt): Promise<void>;
}

/**
 * Mirrors into pebble-challtestsrv. Its management API can only clear every value of a name, so removing
 * one value clears the name and sets the others again (a wildcard and its apex share the name).
 */
export function challTestSrvMirror(srv: ChallTestSrv): TxtMirror {
  const values = new Map<string, string[]>();
  return {
    async present({ fqdn, value }) {
      const held = values.get(fqdn) ?? [];
      if (held.includes(value)) return;
      values.set(fqdn, [...held, value]);
      await srv.setTxt(fqdn, value);
    },
    async cleanUp({ fqdn, value }) {
      const left = (values.get(fqdn) ?? []).filter((v) => v !== value);
      values.set(fqdn, left);
      await srv.clearTxt(fqdn);
      for (const v of left) await srv.setTxt(fqdn, v);
    },
  };
}
