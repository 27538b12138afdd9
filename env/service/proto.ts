/**
 * The protobuf side of the service: `proto/passgym.proto` loaded with protobufjs at run time
 * (the same file the Python client compiles with protoc), and conversions between PassGym's
 * values and the proto messages (observations, spaces).
 */
import fs from 'node:fs';
import path from 'node:path';
import protobuf from 'protobufjs';
import { observationSpace, ObservationValue, OBSERVATION_SPACES } from '../observations';
import type { Box, Space } from '../spaces';
import type { ActionSpace } from '../actions/space';
import { REWARD_SPACES } from '../rewards';

/** Path of proto/passgym.proto, from the sources or from dist/. */
export function protoPath(): string {
  for (const up of ['..', '../..', '../../..']) {
    const p = path.resolve(__dirname, up, 'proto', 'passgym.proto');
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`proto/passgym.proto not found above ${__dirname}`);
}

let root: protobuf.Root | null = null;

/** The `passgym.v1.Request` and `passgym.v1.Response` message types. */
export function messageTypes(): { Request: protobuf.Type; Response: protobuf.Type } {
  root ??= protobuf.loadSync(protoPath());
  return { Request: root.lookupType('passgym.v1.Request'), Response: root.lookupType('passgym.v1.Response') };
}

/** Decoding options: int64 as JS numbers, bytes as Buffers, the set oneof named in `method`/`result`. */
export const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, bytes: Buffer, oneofs: true, defaults: false, arrays: true };

/** A decoded message as a plain object. */
export type Msg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Encodes a plain object as `type`. @throws Error when a field has the wrong type. */
export function encode(type: protobuf.Type, obj: Msg): Uint8Array {
  const err = type.verify(obj);
  if (err) throw new Error(`cannot encode ${type.name}: ${err}`);
  return type.encode(type.fromObject(obj)).finish();
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
export function uint64Long(decimal: string): protobuf.Long {
  return Long.fromString(decimal, true);
}

/** A decoded `passgym.v1.Request`: the plain object, its exact request id, and the methods set. */
export interface DecodedRequest {
  req: Msg;
  /** `request_id` as an exact decimal string (uint64: above 2^53 a JS number would round it). */
  requestId: string;
  /** The fields of the `method` oneof present on the wire (the proto allows exactly one). */
  methods: string[];
  /** `client_id` as hex ('' when not sent). */
  clientId: string;
}

/** Decodes a Request. @throws protobufjs errors on malformed bytes. */
export function decodeRequest(bytes: Uint8Array): DecodedRequest {
  const { Request } = messageTypes();
  const message = Request.decode(bytes) as unknown as Record<string, unknown>;
  const methods = Request.oneofs.method.oneof.filter((name) => message[name] !== null && message[name] !== undefined);
  const clientId = message.clientId instanceof Uint8Array ? Buffer.from(message.clientId).toString('hex') : '';
  return { req: Request.toObject(message as unknown as protobuf.Message, TO_OBJECT), requestId: uint64String(message.requestId), methods, clientId };
}

/** Decodes bytes as `type` into a plain object. @throws protobufjs errors on malformed bytes. */
export function decode(type: protobuf.Type, bytes: Uint8Array): Msg {
  return type.toObject(type.decode(bytes), TO_OBJECT);
}

function boxOf(name: string): Box | null {
  const s = observationSpace(name).space;
  return s.kind === 'Box' ? s : null;
}

/** An observation value as a `passgym.v1.Observation` object. */
export function observationToProto(name: string, value: ObservationValue): Msg {
  if (typeof value === 'string') return { stringValue: value };
  if (value instanceof Uint8Array) return { bytesValue: Buffer.from(value) };
  if (typeof value === 'boolean') return { boolValue: value };
  const box = boxOf(name);
  if (typeof value === 'number') return box?.dtype === 'int64' ? { int64Value: value } : { doubleValue: value };
  if (Array.isArray(value)) {
    const shape = box ? [...box.shape] : [value.length];
    if (box?.dtype === 'int64') return { int64Tensor: { shape, values: value } };
    return box?.dtype === 'float32' ? { floatTensor: { shape, values: value } } : { doubleTensor: { shape, values: value } };
  }
  return { int64Dict: { values: value } };
}

/** A `passgym.v1.Observation` object as a PassGym observation value. */
export function observationFromProto(o: Msg): ObservationValue {
  if (o.stringValue !== undefined) return o.stringValue;
  if (o.bytesValue !== undefined) return new Uint8Array(o.bytesValue);
  if (o.boolValue !== undefined) return o.boolValue;
  if (o.int64Value !== undefined) return o.int64Value;
  if (o.doubleValue !== undefined) return o.doubleValue;
  if (o.int64Tensor) return o.int64Tensor.values ?? [];
  if (o.doubleTensor) return o.doubleTensor.values ?? [];
  if (o.floatTensor) return o.floatTensor.values ?? [];
  if (o.int64Dict) return o.int64Dict.values ?? {};
  return '';
}

function spaceToProto(space: Space): Msg {
  if (space.kind === 'Box') return { box: { shape: [...space.shape], dtype: space.dtype, low: space.low, high: space.high } };
  if (space.kind === 'Sequence') {
    return { sequence: { dtype: space.dtype, minLength: space.minLength, maxLength: Number.isFinite(space.maxLength) ? space.maxLength : -1 } };
  }
  return { dict: { spaces: Object.fromEntries(Object.entries(space.spaces).map(([k, b]) => [k, { shape: [...b.shape], dtype: b.dtype, low: b.low, high: b.high }])) } };
}

/** An action space as a `passgym.v1.ActionSpace` object. */
export function actionSpaceToProto(a: ActionSpace): Msg {
  return { name: a.name, version: a.version, actions: [...a.names], llvmMajor: a.llvmMajor, metadata: a.metadata.map((m, k) => ({ ...m, aliases: a.aliases(k) })) };
}

/** The observation and reward space descriptions of GetSpacesReply. */
export function spaceInfos(): { observationSpaces: Msg[]; rewardSpaces: Msg[] } {
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
