/**
 * Reads the size of executable code from an ELF64 object file: the sum of `sh_size` over the
 * sections whose flags include `SHF_EXECINSTR` (0x4). Layout from the System V ABI, "ELF-64
 * Object File Format" (e_shoff at 0x28, e_shentsize at 0x3A, e_shnum at 0x3C; sh_flags at +8,
 * sh_size at +32 of each section header). Little-endian objects only (x86-64, AArch64 Linux).
 */
import { PassGymError } from '../errors';

const SHF_EXECINSTR = 0x4n;

/**
 * @param object an ELF64 little-endian relocatable object.
 * @returns bytes of executable sections (.text and any .text.* sections).
 * @throws PassGymError (code INTERNAL) when the bytes are not an ELF64 little-endian file.
 */
export function executableSectionBytes(object: Uint8Array): number {
  const view = new DataView(object.buffer, object.byteOffset, object.byteLength);
  const isElf = object[0] === 0x7f && object[1] === 0x45 && object[2] === 0x4c && object[3] === 0x46;
  if (!isElf || object[4] !== 2 || object[5] !== 1) {
    throw new PassGymError('INTERNAL', 'object file is not ELF64 little-endian');
  }
  const shoff = Number(view.getBigUint64(0x28, true));
  const shentsize = view.getUint16(0x3a, true);
  const shnum = view.getUint16(0x3c, true);
  let total = 0;
  for (let k = 0; k < shnum; ++k) {
    const base = shoff + k * shentsize;
    const flags = view.getBigUint64(base + 8, true);
    if (flags & SHF_EXECINSTR) total += Number(view.getBigUint64(base + 32, true));
  }
  return total;
}
