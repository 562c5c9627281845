import { CertplaneError } from "@certplane/domain";
import { type ApiOperation, apiOperations, type CertplaneApi } from "../operations.ts";

export interface RecordedCall {
  readonly operation: ApiOperation;
  readonly request: unknown;
}

/**
 * A CertplaneApi for transport and CLI tests: each operation runs the given script and every call
 * is recorded; an operation without a script fails loudly so a test never passes by accident.
 */
export class FakeCertplaneApi implements CertplaneApi {
  readonly calls: RecordedCall[] = [];
  declare apply: CertplaneApi["apply"];
  declare get: CertplaneApi["get"];
  declare describe: CertplaneApi["describe"];
  declare delete: CertplaneApi["delete"];
  declare createTlsSecret: CertplaneApi["createTlsSecret"];
  declare inspectSecret: CertplaneApi["inspectSecret"];
  declare renew: CertplaneApi["renew"];
  declare history: CertplaneApi["history"];
  declare replay: CertplaneApi["replay"];
  declare rebuildReadModels: CertplaneApi["rebuildReadModels"];
  declare accessReview: CertplaneApi["accessReview"];
  declare judgeCertificateRequest: CertplaneApi["judgeCertificateRequest"];

  constructor(scripts: Partial<CertplaneApi> = {}) {
    for (const operation of apiOperations) {
      const script = scripts[operation] as ((request: unknown) => Promise<unknown>) | undefined;
      Object.defineProperty(this, operation, {
        value: async (request: unknown) => {
          this.calls.push({ operation, request });
          if (script === undefined)
            throw new CertplaneError("INTERNAL", `fake api: ${operation} is not scripted`);
          return await script(request);
        },
      });
    }
  }

  callsTo(operation: ApiOperation): unknown[] {
    return this.calls.filter((call) => call.operation === operation).map((call) => call.request);
  }
}
