/**
 * Z85 encoding (ZeroMQ RFC 32, https://rfc.zeromq.org/spec/32/): the text form of CURVE keys.
 * ZAP hands the server a client's public key as 32 raw bytes; the allow-list holds Z85 text.
 */
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';

/**
 * Encodes bytes (a multiple of 4 long) as Z85 text (5 characters per 4 bytes, big-endian).
 * @throws RangeError when the length is not a multiple of 4.
 */
export function z85Encode(data: Uint8Array): string {
  if (data.length % 4 !== 0) throw new RangeError(`Z85 encodes multiples of 4 bytes, got ${data.length}`);
  let out = '';
  for (let i = 0; i < data.length; i += 4) {
    let value = ((data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]) >>> 0;
    const chunk: string[] = [];
    for (let k = 0; k < 5; k++) {
      chunk.unshift(ALPHABET[value % 85]);
      value = Math.floor(value / 85);
    }
    out += chunk.join('');
  }
  return out;
}
