import type { Clock } from "@certplane/domain";
import { Gauge, type Registry } from "prom-client";

/**
 * cert-manager's clock gauge: alerts compare it with the certificate timestamps
 * (`certmanager_certificate_expiration_timestamp_seconds - certmanager_clock_time_seconds_gauge`),
 * so it reads the process's injected clock, the one its decisions use.
 */
export function registerClockMetric(registry: Registry, clock: Clock): void {
  new Gauge({
    name: "certmanager_clock_time_seconds_gauge",
    help: "The clock time given in seconds (from 1970/01/01 UTC).",
    registers: [registry],
    collect() {
      this.set(Math.floor(clock.now().getTime() / 1000));
    },
  });
}
