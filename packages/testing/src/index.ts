export type { AcmeDnsRegistration, AcmeDnsStandIn, AcmeDnsStandInOptions } from "./acme-dns-stand-in.ts";
export { startAcmeDnsStandIn } from "./acme-dns-stand-in.ts";
export type { AwsKey, Route53Call, Route53StandIn, Route53StandInOptions } from "./aws/route53-stand-in.ts";
export { startRoute53StandIn } from "./aws/route53-stand-in.ts";
export type { StoredRecordSet } from "./aws/route53-zones.ts";
export type { AzureDnsStandIn, AzureDnsStandInOptions, AzureTxtRecordSet } from "./azure-dns-stand-in.ts";
export { startAzureDnsStandIn } from "./azure-dns-stand-in.ts";
export type { Bind9Handle, Bind9Options, Bind9QueryType, Bind9TsigAlgorithm } from "./bind9.ts";
export { startBind9 } from "./bind9.ts";
export type { CfsslHandle } from "./cfssl.ts";
export { startCfssl } from "./cfssl.ts";
export type {
  DigitalOceanRecord,
  DigitalOceanStandIn,
  DigitalOceanStandInOptions,
} from "./digitalocean-stand-in.ts";
export { startDigitalOceanStandIn } from "./digitalocean-stand-in.ts";
export { FakeClock } from "./fake-clock.ts";
export type { DeciderThen, DeciderWhen } from "./given-when-then.ts";
export { given } from "./given-when-then.ts";
export type {
  GoogleCloudDnsStandIn,
  GoogleCloudDnsStandInOptions,
  GoogleManagedZone,
  GoogleRrset,
} from "./google-cloud-dns-stand-in.ts";
export { startGoogleCloudDnsStandIn } from "./google-cloud-dns-stand-in.ts";
export { killWithParent } from "./kill-with-parent.ts";
export type { NatsClusterHandle, NatsClusterNode } from "./nats-cluster.ts";
export { startNatsCluster } from "./nats-cluster.ts";
export type { NatsServerHandle } from "./nats-server.ts";
export { freePort, startNatsServer } from "./nats-server.ts";
export { opensslVerifyChain } from "./openssl-verify.ts";
export type { OtlpReceiverHandle, ReceivedSpan } from "./otlp-receiver.ts";
export { startOtlpReceiver } from "./otlp-receiver.ts";
export type { ChallTestSrv, PebbleHandle, PebbleOptions } from "./pebble.ts";
export { startPebble } from "./pebble.ts";
export type { PollUntilOptions } from "./poll-until.ts";
export { pollUntil } from "./poll-until.ts";
export type { PrometheusHandle, PrometheusOptions, PrometheusSample } from "./prometheus.ts";
export { startPrometheus } from "./prometheus.ts";
export { seededPrng } from "./seeded-prng.ts";
export type { MirroredTxt, TxtMirror } from "./txt-mirror.ts";
export { challTestSrvMirror } from "./txt-mirror.ts";
