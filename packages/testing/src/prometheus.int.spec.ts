import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { startPrometheus } from "./prometheus.ts";

describe("startPrometheus", () => {
  it("scrapes its targets and answers PromQL through the HTTP API", async () => {
    const target = createServer((_, response) => {
      response.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      response.end('# TYPE certplane_harness_gauge gauge\ncertplane_harness_gauge{side="left"} 42\n');
    });
    await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
    const prometheus = await startPrometheus({
      targets: [`127.0.0.1:${(target.address() as AddressInfo).port}`],
    });
    try {
      const samples = await prometheus.waitFor('certplane_harness_gauge{side="left"} == 42');
      assert.equal(samples[0]?.value, 42);
      assert.equal(samples[0]?.metric.job, "certplane");
      assert.deepEqual(await prometheus.query("certplane_harness_gauge > 100"), []);
    } finally {
      await prometheus.dispose();
      await new Promise((resolve) => target.close(resolve));
    }
  });

  it("fails, naming the package to install, when the binary is missing", async () => {
    await assert.rejects(
      startPrometheus({ binary: "/nonexistent/prometheus", targets: [] }),
      /cannot start \/nonexistent\/prometheus: .*ENOENT.*install it with apt-get install -y --no-install-recommends prometheus/,
    );
  });
});
