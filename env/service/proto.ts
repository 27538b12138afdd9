/**
 * The protobuf side of the service: the typed message classes protobufjs's `pbjs`/`pbts`
 * generate from `proto/passgym.proto` at build time (`npm run proto`, into env/service/generated/;
 * the Python client compiles the same file with protoc), and conversions between PassGym's
 * values and the messages (observations, spaces).
 */
import protobuf from 'protobufjs';
import { passgym } from './generated/passgym';
import { isNumberArray, observationSpace, ObservationValue, OBSERVATION_SPACES, type JsonObject } from '../observations';
import type { ProgramGraph } from '../observations/programl-graph';
import { LEXED_IR_TOKEN_CATEGORY_OF, LEXED_IR_TOKEN_KINDS, type LexedIr } from '../observations/lexed-ir';
import { lexedTokens, type LexedToken } from '../observations/lexed';
import type { Box, Space } from '../spaces';
import type { ActionSpace } from '../actions/space';
import { REWARD_SPACES } from '../rewards';

/** The generated `passgym.v2` messages: `wire.Request`, `wire.IStepReply`, … */
export import wire = passgym.v2;

/** The protocol this build speaks (GetVersionReply.protocol). */
export const PROTOCOL = 'passgym.v2';

/** The method names of `Request.method`, which are also those of `Response.result`. */
export const METHODS = [
  'getVersion', 'getSpaces', 'startSession', 'step', 'forkSession', 'endSession',
  'addBenchmark', 'setParameter', 'validate', 'observe', 'listBenchmarks',
] as const;
/** A method of the protocol (`'step'`, `'startSession'`, …). */
export type Method = (typeof METHODS)[number];
/**
 * A message as `decode` gives it (`TO_OBJECT`): 64-bit integers as numbers, bytes as Buffers,
 * no nulls (an unset field is absent).
 */
export type Decoded<T> = T extends { low: number; high: number; unsigned: boolean }
  ? number
  : T extends Uint8Array
    ? Buffer
    : T extends (infer U)[]
      ? Decoded<U>[]
      : T extends object
        ? { [K in keyof T]: Decoded<NonNullable<T[K]>> }
        : T;
/** The body of a request of method `M` (e.g. `wire.IStepRequest`), as a client writes it. */
export type RequestOf<M extends Method> = NonNullable<wire.IRequest[M]>;
/** The body of a request of method `M` as the server decodes it. */
export type DecodedRequestOf<M extends Method> = Decoded<NonNullable<wire.IRequest[M]>>;
/** The body of a reply to method `M` (e.g. `wire.IStepReply`) as a client decodes it. */
export type ReplyOf<M extends Method> = Decoded<NonNullable<wire.IResponse[M]>>;
/** A whole decoded Response (`result` names the method of the result that is set). */
export type DecodedResponse = Decoded<wire.IResponse> & { result?: Method };
/** Compile-time check that METHODS lists exactly the generated `Request.method` fields. */
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const METHODS_MATCH_PROTO: Exact<Method, Exclude<keyof wire.IRequest, 'requestId' | 'clientId'>> = true;
void METHODS_MATCH_PROTO;

/** A generated message class: what `encode`/`decode` need of `wire.Request` or `wire.Response`. */
export interface MessageClass<T> {
  verify(message: { [k: string]: unknown }): string | null;
  fromObject(object: { [k: string]: unknown }): unknown;
  encode(message: never): protobuf.Writer;
  decode(reader: Uint8Array): unknown;
  toObject(message: never, options?: protobuf.IConversionOptions): { [k: string]: unknown };
  readonly _type?: T;
}

/** The `Request` and `Response` classes (kept for callers that name them). */
export function messageTypes(): { Request: MessageClass<wire.IRequest>; Response: MessageClass<wire.IResponse> } {
  return { Request: wire.Request as MessageClass<wire.IRequest>, Response: wire.Response as MessageClass<wire.IResponse> };
}

/** Decoding options: int64 as JS numbers, bytes as Buffers, the set oneof named in `method`/`result`. */
export const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, bytes: Buffer, oneofs: true, defaults: false, arrays: true };

/** Encodes a message object. @throws Error naming the field when one has the wrong type. */
export function encode<T>(type: MessageClass<T>, obj: T): Uint8Array {
  const plain = obj as { [k: string]: unknown };
  const err = type.verify(plain);
  if (err) throw new Error(`cannot encode ${type === (wire.Request as unknown) ? 'Request' : 'Response'}: ${err}`);
  return type.encode(type.fromObject(plain) as never).finish();
}

/** Decodes bytes into a plain object (see `TO_OBJECT`). @throws protobufjs errors on malformed bytes. */
export function decode<T>(type: MessageClass<T>, bytes: Uint8Array): Decoded<T> & { method?: Method; result?: Method } {
  return type.toObject(type.decode(bytes) as never, TO_OBJECT) as Decoded<T> & { method?: Method; result?: Method };
}

/** Encodes a Request. @throws Error naming the field when one has the wrong type. */
export function encodeRequest(request: wire.IRequest): Uint8Array {
  return encode(messageTypes().Request, request);
}

/** Decodes a Response. @throws protobufjs errors on malformed bytes. */
export function decodeResponse(bytes: Uint8Array): DecodedResponse {
  return decode(messageTypes().Response, bytes) as DecodedResponse;
}

/** The static side of long.js, which protobufjs uses for 64-bit fields (`protobuf.util.Long`). */
interface LongStatic {
  fromValue(v: unknown): { toUnsigned(): { toString(): string } };
  fromString(s: string, unsigned: boolean): protobuf.Long;
}
const Long = protobuf.util.Long as unknown as LongStatic;

/** A uint64 as its exact decimal string (protobufjs gives a Long, or a number below 2^53). */
export function uint64String(v: unknown): string {
  if (v === null || v === undefined) return '0';
  if (typeof v === 'number') return String(v);
  return Long.fromValue(v).toUnsigned().toString();
}

/** A decimal uint64 string as the Long protobufjs encodes exactly. */
export function uint64Long(decimal: string): NonNullable<wire.IRequest['requestId']> {
  return Long.fromString(decimal, true) as unknown as NonNullable<wire.IRequest['requestId']>;
}

/** A decoded `Request`: the plain object, its exact request id, and the methods set. */
export interface DecodedRequest {
  req: Decoded<wire.IRequest> & { method?: Method };
  /** `request_id` as an exact decimal string (uint64: above 2^53 a JS number would round it). */
  requestId: string;
  /** The fields of the `method` oneof present on the wire (the proto allows exactly one). */
  methods: Method[];
  /** `client_id` as hex ('' when not sent). */
  clientId: string;
}

/** Decodes a Request. @throws protobufjs errors on malformed bytes. */
export function decodeRequest(bytes: Uint8Array): DecodedRequest {
  const message = wire.Request.decode(bytes);
  const methods = METHODS.filter((name) => message[name] !== null && message[name] !== undefined);
  const clientId = message.clientId instanceof Uint8Array && message.clientId.length ? Buffer.from(message.clientId).toString('hex') : '';
  const req = wire.Request.toObject(message, TO_OBJECT) as Decoded<wire.IRequest> & { method?: Method };
  return { req, requestId: uint64String(message.requestId), methods, clientId };
}

/** A session id (16 bytes on the wire) as the hex string that names it in messages and maps. */
export function sessionKey(id: Uint8Array | null | undefined): string {
  return id && id.length ? Buffer.from(id).toString('hex') : '';
}


/** A ProgramGraph as its message: node texts through a table (a few opcode and type names repeat). */
function programGraphToProto(g: ProgramGraph): wire.IProgramGraph {
  const table = new Map<string, number>();
  const nodeText = g.nodeText.map((t) => {
    let k = table.get(t);
    if (k === undefined) table.set(t, (k = table.size));
    return k;
  });
  return {
    textTable: [...table.keys()],
    nodeText,
    nodeFullText: g.nodeFullText,
    nodeType: g.nodeType,
    nodeFunction: g.nodeFunction,
    nodeBlock: g.nodeBlock,
    edgeFlow: g.edgeFlow,
    edgeSource: g.edgeSource,
    edgeTarget: g.edgeTarget,
    edgePosition: g.edgePosition,
    functions: g.functions,
    modules: g.modules,
  };
}

function programGraphFromProto(m: Decoded<wire.IProgramGraph>): ProgramGraph {
  const table = m.textTable ?? [];
  return {
    nodeType: m.nodeType ?? [],
    nodeText: (m.nodeText ?? []).map((k) => table[k]),
    nodeFullText: m.nodeFullText ?? [],
    nodeFunction: m.nodeFunction ?? [],
    nodeBlock: m.nodeBlock ?? [],
    edgeFlow: m.edgeFlow ?? [],
    edgeSource: m.edgeSource ?? [],
    edgeTarget: m.edgeTarget ?? [],
    edgePosition: m.edgePosition ?? [],
    functions: (m.functions ?? []).map((f) => ({ name: f.name ?? '', module: f.module ?? 0 })),
    modules: (m.modules ?? []).map((x) => ({ name: x.name ?? '', triple: x.triple ?? '', dataLayout: x.dataLayout ?? '' })),
  };
}

/** An observation value as an `Observation` message, by the kind of its space. */
export function observationToProto(name: string, value: ObservationValue): wire.IObservation {
  const space = observationSpace(name).space;
  if (space.kind === 'Sequence') {
    switch (space.dtype) {
      case 'graph':
        return { programGraph: programGraphToProto(value as ProgramGraph) };
      case 'json':
        return { jsonValue: JSON.stringify(value) };
      case 'lexed':
      case 'lexed_tuple': {
        const tokens = space.dtype === 'lexed' ? (value as LexedIr) : null;
        const list = tokens ? null : (value as LexedToken[]);
        return {
          lexedIr: {
            tokenId: tokens ? tokens.token_id : list!.map((t) => t.ID),
            tokenValue: tokens ? tokens.token_value : list!.map((t) => t.value),
            tuples: space.dtype === 'lexed_tuple',
            kindNames: [...LEXED_IR_TOKEN_KINDS],
            categoryOfKind: [...LEXED_IR_TOKEN_CATEGORY_OF],
          },
        };
      }
      case 'str_list':
        return { stringList: { values: value as string[] } };
      case 'int64':
        return { int64Tensor: { shape: [(value as number[]).length], values: value as number[] } };
      case 'float32_rows': {
        const rows = value as ArrayLike<number>[];
        const d = rows[0]?.length ?? 0;
        const flat = new Array<number>(rows.length * d);
        rows.forEach((r, i) => {
          for (let k = 0; k < d; k++) flat[i * d + k] = r[k];
        });
        return { floatTensor: { shape: [rows.length, d], values: flat } };
      }
      default:
        break;
    }
  }
  if (typeof value === 'string') return { stringValue: value };
  if (value instanceof Uint8Array) return { bytesValue: Buffer.from(value) };
  if (typeof value === 'boolean') return { boolValue: value };
  const box = space.kind === 'Box' ? space : null;
  if (typeof value === 'number') return box?.dtype === 'int64' ? { int64Value: value } : { doubleValue: value };
  if (isNumberArray(value)) {
    const shape = box ? [...box.shape] : [value.length];
    if (box?.dtype === 'int64') return { int64Tensor: { shape, values: value } };
    return box?.dtype === 'float32' ? { floatTensor: { shape, values: value } } : { doubleTensor: { shape, values: value } };
  }
  const floats = space.kind === 'Dict' && Object.values(space.spaces).some((b) => b.dtype !== 'int64');
  const dict = value as Record<string, number>;
  return floats ? { doubleDict: { values: dict } } : { int64Dict: { values: dict } };
}

/** An `Observation` message (decoded with `TO_OBJECT`) as a PassGym observation value. */
export function observationFromProto(o: Decoded<wire.IObservation>): ObservationValue {
  if (o.stringValue !== undefined) return o.stringValue;
  if (o.bytesValue !== undefined) return new Uint8Array(o.bytesValue);
  if (o.boolValue !== undefined) return o.boolValue;
  if (o.int64Value !== undefined) return o.int64Value;
  if (o.doubleValue !== undefined) return o.doubleValue;
  if (o.int64Tensor) return o.int64Tensor.values ?? [];
  if (o.doubleTensor) return o.doubleTensor.values ?? [];
  if (o.floatTensor) {
    const values = o.floatTensor.values ?? [];
    const shape = o.floatTensor.shape ?? [];
    if (shape.length !== 2) return values;
    const [n, d] = shape;
    return Array.from({ length: n }, (_, k) => Float32Array.from(values.slice(k * d, (k + 1) * d)));
  }
  if (o.int64Dict) return o.int64Dict.values ?? {};
  if (o.doubleDict) return o.doubleDict.values ?? {};
  if (o.programGraph) return programGraphFromProto(o.programGraph);
  if (o.jsonValue !== undefined) return JSON.parse(o.jsonValue) as JsonObject;
  if (o.stringList) return o.stringList.values ?? [];
  if (o.lexedIr) {
    const ids = o.lexedIr.tokenId ?? [];
    const values = o.lexedIr.tokenValue ?? [];
    const kinds = o.lexedIr.kindNames ?? [];
    const categories = o.lexedIr.categoryOfKind ?? [];
    const lexed: LexedIr = { token_id: ids, token_kind: ids.map((k) => kinds[k]), token_category: ids.map((k) => categories[k]), token_value: values };
    return o.lexedIr.tuples ? lexedTokens(lexed) : lexed;
  }
  return '';
}

function spaceToProto(space: Space): wire.ISpace {
  if (space.kind === 'Box') return { box: { shape: [...space.shape], dtype: space.dtype, low: space.low, high: space.high } };
  if (space.kind === 'Sequence') {
    return { sequence: { dtype: space.dtype, minLength: space.minLength, maxLength: Number.isFinite(space.maxLength) ? space.maxLength : -1 } };
  }
  return { dict: { spaces: Object.fromEntries(Object.entries(space.spaces).map(([k, b]) => [k, { shape: [...b.shape], dtype: b.dtype, low: b.low, high: b.high }])) } };
}

/** An action space as an `ActionSpace` message. */
export function actionSpaceToProto(a: ActionSpace): wire.IActionSpace {
  return { name: a.name, version: a.version, actions: [...a.names], llvmMajor: a.llvmMajor, metadata: a.metadata.map((m, k) => ({ ...m, aliases: a.aliases(k) })) };
}

/** The observation and reward space descriptions of GetSpacesReply. */
export function spaceInfos(): { observationSpaces: wire.IObservationSpaceInfo[]; rewardSpaces: wire.IRewardSpaceInfo[] } {
  return {
    observationSpaces: [...OBSERVATION_SPACES.values()].map((o) => ({
      name: o.name,
      space: spaceToProto(o.space),
      deterministic: o.deterministic,
      platformDependent: o.platformDependent,
      description: o.description,
    })),
    rewardSpaces: [...REWARD_SPACES.values()].map((r) => ({ name: r.name, deterministic: r.deterministic, platformDependent: r.platformDependent })),
  };
}
