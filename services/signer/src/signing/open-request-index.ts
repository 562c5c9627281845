import type { CertificateRequestEvent } from "@certplane/domain/model";
import { issuerStreamFor, parseStreamName } from "@certplane/domain/model";
import { Projection } from "@certplane/runtime";

/** Approved requests not yet final, by the stream of the issuer they wait on. */
export class OpenRequestIndex {
  readonly #byIssuer = new Map<string, Set<string>>();
  readonly #issuerOf = new Map<string, string>();

  open(requestStream: string, issuerStream: string): void {
    this.close(requestStream);
    const requests = this.#byIssuer.get(issuerStream) ?? new Set<string>();
    requests.add(requestStream);
    this.#byIssuer.set(issuerStream, requests);
    this.#issuerOf.set(requestStream, issuerStream);
  }

  close(requestStream: string): void {
    const issuerStream = this.#issuerOf.get(requestStream);
    if (issuerStream === undefined) return;
    this.#issuerOf.delete(requestStream);
    const requests = this.#byIssuer.get(issuerStream);
    requests?.delete(requestStream);
    if (requests?.size === 0) this.#byIssuer.delete(issuerStream);
  }

  waitingOn(issuerStream: string): readonly string[] {
    return [...(this.#byIssuer.get(issuerStream) ?? [])];
  }

  /** Every open request, whatever it waits on. */
  all(): readonly string[] {
    return [...this.#issuerOf.keys()];
  }
}

/** Just enough of a request to index it; full request states would hold every CSR and certificate. */
interface RequestStage {
  readonly issuerStream: string;
  readonly stage: "awaitingApproval" | "open" | "closed";
}

function evolveStage(state: RequestStage, event: CertificateRequestEvent, stream: string): RequestStage {
  switch (event.type) {
    case "CertificateRequestCreated":
      return {
        issuerStream: issuerStreamFor(parseStreamName(stream).namespace ?? "", event.data.spec.issuerRef),
        stage: "awaitingApproval",
      };
    case "CertificateRequestApproved":
      return state.stage === "closed" ? state : { ...state, stage: "open" };
    case "CertificateRequestPending":
      return state;
    case "CertificateRequestDenied":
    case "CertificateRequestMarkedInvalid":
    case "CertificateRequestFailed":
    case "CertificateRequestIssued":
    case "CertificateRequestDeleted":
      return { ...state, stage: "closed" };
  }
}

/**
 * Fills the index from history and keeps it current. It only opens on approval and closes on a
 * final event, never closes on anything else, so the signing reactor's own `open` calls (made
 * while this projection may still lag) are not undone.
 */
export function openRequestProjection(index: OpenRequestIndex): Projection<RequestStage> {
  const projection = new Projection<RequestStage>({
    categories: ["certificateRequest"],
    initialState: () => ({ issuerStream: "", stage: "awaitingApproval" }),
    evolve: (state, event, recorded) => evolveStage(state, event as CertificateRequestEvent, recorded.stream),
  });
  projection.onChange((stream, state) => {
    if (state.stage === "open") index.open(stream, state.issuerStream);
    if (state.stage === "closed") index.close(stream);
  });
  return projection;
}
