import { issuerWith, type RuleRow, ruleTable } from "../testing/rule-table.ts";

const venafi = (patch: Record<string, unknown>) => issuerWith({ venafi: { zone: "devops\\web", ...patch } });
const tpp = (patch: Record<string, unknown> = {}) =>
  venafi({ tpp: { url: "https://tpp.example/vedsdk", credentialsRef: { name: "tpp" }, ...patch } });
const cloud = { cloud: { apiTokenSecretRef: { name: "vaas", key: "apikey" } } };
const ngts = (patch: Record<string, unknown> = {}) =>
  venafi({ ngts: { tsgID: "1234", credentialsRef: { name: "ngts" }, ...patch } });

const rules: Record<string, readonly RuleRow[]> = {
  venafiZoneMissing: [
    [
      "an empty zone is refused",
      venafi({ zone: "", ...cloud }),
      [{ field: "spec.venafi.zone", message: "must be specified" }],
    ],
  ],
  venafiConnectionNotExactlyOne: [
    ["tpp alone passes", tpp(), []],
    ["cloud alone passes", venafi(cloud), []],
    ["ngts alone passes", ngts(), []],
    [
      "no connection is refused",
      venafi({}),
      [{ field: "spec.venafi", message: "Required value: please supply one of: tpp, cloud, ngts" }],
    ],
    [
      "two connections are refused",
      venafi({ tpp: { url: "https://tpp.example/vedsdk" }, ...cloud }),
      [{ field: "spec.venafi", message: "Forbidden: please supply one of: tpp, cloud, ngts" }],
    ],
  ],
  venafiTppUrlMissing: [
    [
      "an empty TPP url is refused",
      tpp({ url: "" }),
      [{ field: "spec.venafi.tpp.url", message: "must be specified" }],
    ],
  ],
  venafiTppCaBundleNotUnique: [
    [
      "caBundle and caBundleSecretRef together are refused",
      tpp({ caBundle: "TUlJQg==", caBundleSecretRef: { name: "tpp-ca" } }),
      [
        {
          field: "spec.venafi.tpp",
          message: "may not specify more than one of caBundle/caBundleSecretRef as TPP CA Bundle",
        },
      ],
    ],
  ],
  venafiNgtsIncomplete: [
    [
      "an empty tsgID and credentials name are refused on each",
      ngts({ tsgID: "", credentialsRef: { name: "" } }),
      [
        { field: "spec.venafi.ngts.tsgID", message: "must be specified" },
        { field: "spec.venafi.ngts.credentialsRef.name", message: "must be specified" },
      ],
    ],
  ],
};

ruleTable(rules);
