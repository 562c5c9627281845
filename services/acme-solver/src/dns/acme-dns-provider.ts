import { ValidationError } from "@certplane/domain";
import type { Dns01Provider, Dns01Record } from "./dns01-provider.ts";
import { httpCall, httpRefusal } from "./http-call.ts";
import { bare } from "./zone-candidates.ts";

/** One acme-dns account, as its `/register` answers and goacmedns stores it. */
export interface AcmeDnsAccount {
  readonly username: string;
  readonly password: string;
  readonly subdomain: string;
  readonly fulldomain?: string;
}

export interface AcmeDnsProviderOptions {
  /** The acme-dns API, e.g. `https://auth.acme-dns.io`. */
  readonly host: string;
  /** By the domain being validated (`example.test` for `*.example.test` too), as in cert-manager's JSON. */
  readonly accounts: Readonly<Record<string, AcmeDnsAccount>>;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

const field = "dns01.acmeDNS";
const challengePrefix = "_acme-challenge.";

/**
 * DNS-01 through acme-dns (joohoi/acme-dns): `_acme-challenge.<domain>` is a CNAME the user made to the
 * account's `fulldomain`, and `POST /update` sets its TXT. acme-dns keeps the two newest values per account,
 * which covers a wildcard and its apex, and has no delete: clean-up has nothing to do, as in cert-manager.
 */
export class AcmeDnsProvider implements Dns01Provider {
  readonly name = "acmeDNS";
  private readonly options: AcmeDnsProviderOptions;

  constructor(options: AcmeDnsProviderOptions) {
    this.options = options;
  }

  async present(record: Dns01Record): Promise<void> {
    const name = bare(record.fqdn).toLowerCase();
    const domain = name.startsWith(challengePrefix) ? name.slice(challengePrefix.length) : name;
    const account = this.options.accounts[domain];
    if (!account) {
      throw ValidationError.of(
        `${field}.accountSecretRef`,
        "account",
        `account credentials not found for domain ${domain}: add it to the accounts JSON ` +
          `(it has ${Object.keys(this.options.accounts).join(", ") || "none"})`,
      );
    }
    const url = `${this.options.host.replace(/\/$/, "")}/update`;
    const what = `acme-dns update of ${domain} at ${url}`;
    const answer = await httpCall(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-api-user": account.username,
          "x-api-key": account.password,
        },
        body: JSON.stringify({ subdomain: account.subdomain, txt: record.value }),
      },
      what,
      this.options,
    );
    if (answer.status === 200) return;
    // acme-dns answers {"error": "forbidden" | "bad_subdomain" | "bad_txt" | …}; it never echoes the key.
    throw httpRefusal(
      answer.status,
      `${what} answered ${answer.status}: ${answer.text.slice(0, 200)}`,
      field,
    );
  }

  async cleanUp(): Promise<void> {}
}

/** cert-manager's account JSON: `{"<domain>": {"username", "password", "subdomain", "fulldomain", …}}`. */
export function parseAcmeDnsAccounts(json: string, secretField: string): Record<string, AcmeDnsAccount> {
  const fail = (why: string) =>
    ValidationError.of(
      secretField,
      "accounts",
      `the acme-dns accounts JSON ${why}; it maps each domain to an account`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw fail("does not parse");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw fail("is not an object");
  return Object.fromEntries(
    Object.entries(parsed).map(([domain, raw]) => {
      // goacmedns reads these with Go's case-insensitive JSON field matching.
      const fields = new Map(Object.entries((raw ?? {}) as object).map(([k, v]) => [k.toLowerCase(), v]));
      const text = (name: string) =>
        typeof fields.get(name) === "string" ? (fields.get(name) as string) : "";
      const account = {
        username: text("username"),
        password: text("password"),
        subdomain: text("subdomain"),
      };
      if (!account.username || !account.password || !account.subdomain) {
        throw fail(`has no username, password and subdomain for ${domain}`);
      }
      return [bare(domain).toLowerCase(), { ...account, fulldomain: text("fulldomain") }];
    }),
  );
}
