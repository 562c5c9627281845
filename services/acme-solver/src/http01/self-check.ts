import http from "node:http";

export interface Http01SelfCheck {
  readonly dnsName: string;
  readonly token: string;
  readonly key: string;
  /** host:port to connect to instead of `<dnsName>:80`; the Host header stays `dnsName`. */
  readonly address?: string;
}

export type SelfCheckResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** One GET of the challenge URL, as the ACME server will do it. */
export function checkHttp01Once(check: Http01SelfCheck, timeoutMs = 10_000): Promise<SelfCheckResult> {
  const target = check.address ?? `${check.dnsName.includes(":") ? `[${check.dnsName}]` : check.dnsName}:80`;
  const url = `http://${target}/.well-known/acme-challenge/${check.token}`;
  return new Promise((resolve) => {
    const request = http.get(
      url,
      { headers: { host: check.dnsName }, timeout: timeoutMs, agent: false },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          body += chunk;
        });
        response.on("end", () => {
          if (response.statusCode !== 200) {
            resolve({
              ok: false,
              reason: `wrong status code '${response.statusCode}', expected '200' from ${url}`,
            });
          } else if (body.trim() !== check.key) {
            resolve({ ok: false, reason: `did not get expected response when querying ${url}` });
          } else {
            resolve({ ok: true });
          }
        });
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no response within ${timeoutMs} ms`)));
    request.on("error", (error) => resolve({ ok: false, reason: `GET ${url}: ${error.message}` }));
  });
}
