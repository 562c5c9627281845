export type { AcmeRequestObserver } from "./acme-client-metrics.ts";
export { certificateFactsFromApi } from "./certificate-facts.ts";
export { parseMetricsAddress } from "./listen-address.ts";
export { runObservedServiceProcess } from "./observed-service-process.ts";
export { ProcessObservability } from "./process-observability.ts";
