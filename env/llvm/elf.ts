/**
 * Reads the size of executable code from an ELF64 object file: the sum of `sh_size` over the
 * sections whose flags include `SHF_EXECINSTR` (0x4). Layout from the System V ABI, "ELF-64
 * Object File Format" (e_shoff at 0x28, e_shentsize at 0x3A, e_shnum at 0x3C; sh_flags at +8,
 * sh_size at +32 of each section header). Little-endian objects only (x86-64, AArch64 Linux).
 */
import { PassGymError } from '../errors';

const SHF_EXECINSTR = 0x4n;

/** The section-header table of an ELF64 little-endian file. @throws PassGymError INTERNAL otherwise. */
function sectionHeaders(elf: Uint8Array): { view: DataView; shoff: number; shentsize: number; shnum: number } {
  const isElf = elf[0] === 0x7f && elf[1] === 0x45 && elf[2] === 0x4c && elf[3] === 0x46;
  if (!isElf || elf[4] !== 2 || elf[5] !== 1) throw new PassGymError('INTERNAL', 'file is not ELF64 little-endian');
  const view = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  return { view, shoff: Number(view.getBigUint64(0x28, true)), shentsize: view.getUint16(0x3a, true), shnum: view.getUint16(0x3c, true) };
}

/**
 * @param object an ELF64 little-endian relocatable object.
 * @returns bytes of executable sections (.text and any .text.* sections).
 * @throws PassGymError (code INTERNAL) when the bytes are not an ELF64 little-endian file.
 */
export function executableSectionBytes(object: Uint8Array): number {
  const { view, shoff, shentsize, shnum } = sectionHeaders(object);
  let total = 0;
  for (let k = 0; k < shnum; ++k) {
    const base = shoff + k * shentsize;
    const flags = view.getBigUint64(base + 8, true);
    if (flags & SHF_EXECINSTR) total += Number(view.getBigUint64(base + 32, true));
  }
  return total;
}

/**
 * @param elf an ELF64 little-endian file (object or executable).
 * @returns `sh_size` of the section called `name` (e.g. `.text`), or 0 when there is none. Names
 *   come from the section-name string table (`e_shstrndx` at 0x3E; `sh_name` at +0 and
 *   `sh_offset` at +24 of each section header).
 * @throws PassGymError (code INTERNAL) when the bytes are not an ELF64 little-endian file.
 */
export function sectionBytes(elf: Uint8Array, name: string): number {
  const { view, shoff, shentsize, shnum } = sectionHeaders(elf);
  const strtab = Number(view.getBigUint64(shoff + view.getUint16(0x3e, true) * shentsize + 24, true));
  const wanted = Buffer.from(`${name}\0`, 'latin1');
  for (let k = 0; k < shnum; ++k) {
    const base = shoff + k * shentsize;
    const at = strtab + view.getUint32(base, true);
    if (Buffer.from(elf.buffer, elf.byteOffset + at, wanted.length).equals(wanted)) return Number(view.getBigUint64(base + 32, true));
  }
  return 0;
}
