import type {
  ApiOperation,
  CertificateDetails,
  CertplaneApi,
  InspectSecretResponse,
  ResourceObject,
} from "./operations.ts";

/** A message as proto-loader reads and writes it: camelCase fields, JSON-like values. */
export type WireMessage = Record<string, unknown>;

type RequestOf<Op extends ApiOperation> = Parameters<CertplaneApi[Op]>[0];
type ResponseOf<Op extends ApiOperation> = Awaited<ReturnType<CertplaneApi[Op]>>;

interface ResponseCodec<T> {
  encode(value: T): WireMessage;
  decode(wire: WireMessage): T;
}

// Requests are flat messages whose fields match the API types one to one.
export function encodeRequest<Op extends ApiOperation>(_operation: Op, request: RequestOf<Op>): WireMessage {
  return { ...request };
}

export function decodeRequest<Op extends ApiOperation>(_operation: Op, wire: WireMessage): RequestOf<Op> {
  return wire as unknown as RequestOf<Op>;
}

export function encodeResponse<Op extends ApiOperation>(
  operation: Op,
  response: ResponseOf<Op>,
): WireMessage {
  return (responseCodecs[operation] as ResponseCodec<ResponseOf<Op>>).encode(response);
}

export function decodeResponse<Op extends ApiOperation>(operation: Op, wire: WireMessage): ResponseOf<Op> {
  return (responseCodecs[operation] as ResponseCodec<ResponseOf<Op>>).decode(wire);
}

interface WireResource {
  readonly objectJson: string;
}

const toResource = (object: ResourceObject): WireResource => ({ objectJson: JSON.stringify(object) });
const fromResource = (wire: WireResource): ResourceObject => JSON.parse(wire.objectJson) as ResourceObject;

// proto field `is_ca` reads as `isCa`; the API spells it `isCA`.
const toWireDetails = ({ isCA, ...rest }: CertificateDetails): WireMessage => ({ ...rest, isCa: isCA });
const fromWireDetails = ({ isCa, ...rest }: WireMessage): CertificateDetails =>
  ({ ...rest, isCA: isCa }) as unknown as CertificateDetails;

function passThrough<T>(): ResponseCodec<T> {
  return { encode: (value) => ({ ...(value as WireMessage) }), decode: (wire) => wire as unknown as T };
}

const responseCodecs: { readonly [Op in ApiOperation]: ResponseCodec<ResponseOf<Op>> } = {
  apply: passThrough(),
  get: {
    encode: (response) => ({ items: response.items.map(toResource) }),
    decode: (wire) => ({ items: (wire.items as WireResource[]).map(fromResource) }),
  },
  describe: {
    encode: (response) => ({
      object: toResource(response.object),
      related: response.related.map(toResource),
      events: response.events,
    }),
    decode: (wire) => ({
      object: fromResource(wire.object as WireResource),
      related: (wire.related as WireResource[]).map(fromResource),
      events: wire.events as ResponseOf<"describe">["events"],
    }),
  },
  delete: passThrough(),
  createTlsSecret: passThrough(),
  inspectSecret: {
    encode: (response) => ({
      ...response,
      chain: response.chain.map(toWireDetails),
      ...(response.ca === undefined ? {} : { ca: toWireDetails(response.ca) }),
    }),
    decode: (wire) => {
      const { chain, ca, ...rest } = wire;
      return {
        ...(rest as unknown as Omit<InspectSecretResponse, "chain" | "ca">),
        chain: (chain as WireMessage[]).map(fromWireDetails),
        ...(ca === undefined ? {} : { ca: fromWireDetails(ca as WireMessage) }),
      };
    },
  },
  renew: passThrough(),
  history: passThrough(),
  rebuildReadModels: passThrough(),
  accessReview: passThrough(),
  judgeCertificateRequest: passThrough(),
  replay: {
    encode: (response) => ({ at: response.at, items: response.items.map(toResource) }),
    decode: (wire) => ({ at: wire.at as string, items: (wire.items as WireResource[]).map(fromResource) }),
  },
};
