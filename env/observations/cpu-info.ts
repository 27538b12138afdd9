/**
 * CpuInfo: the host CPU, with the keys of CompilerGym's CpuInfo observation (which it fills from
 * the cpuinfo library): `name`, `cores_count`, and for each cache level `l1i`, `l1d`, `l2`, `l3`,
 * `l4` its `_cache_size` (bytes of one cache) and `_cache_count` (caches of that kind in the
 * machine); size -1 and count 0 for a cache the machine does not have (as cpuinfo reports). Read from Linux's /proc/cpuinfo and
 * /sys/devices/system/cpu/cpu/N/cache (the kernel's `Documentation/ABI/testing/sysfs-devices-system-cpu`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Sequence } from '../spaces';
import type { ObservationSpaceSpec } from './spec';

const CACHES = ['l1i', 'l1d', 'l2', 'l3', 'l4'] as const;
const SYS_CPU = '/sys/devices/system/cpu';

const read = (file: string): string | null => {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
};

/** "32K" / "1024K" / "32M" as bytes. */
function sizeBytes(text: string): number {
  const m = /^(\d+)\s*([KMG]?)/.exec(text);
  if (!m) return -1;
  return Number(m[1]) * ({ '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as Record<string, number>)[m[2]];
}

/** The cache kind of a sysfs cache folder: l1i, l1d, l2, l3, l4, or null (e.g. a level-1 unified cache). */
function kindOf(dir: string): (typeof CACHES)[number] | null {
  const level = read(path.join(dir, 'level'));
  const type = read(path.join(dir, 'type'));
  if (level === '1') return type === 'Instruction' ? 'l1i' : type === 'Data' ? 'l1d' : null;
  return (['2', '3', '4'].includes(level ?? '') ? `l${level}` : null) as (typeof CACHES)[number] | null;
}

/** The CpuInfo value of this host. */
export function cpuInfo(): Record<string, number | string> {
  const cpuinfo = read('/proc/cpuinfo') ?? '';
  const name = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? /^Hardware\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown';
  const cpus = (fs.existsSync(SYS_CPU) ? fs.readdirSync(SYS_CPU) : []).filter((d) => /^cpu\d+$/.test(d));
  const cores = new Set<string>();
  const caches = new Map<string, { size: number; groups: Set<string> }>();
  for (const cpu of cpus) {
    const topology = path.join(SYS_CPU, cpu, 'topology');
    cores.add(`${read(path.join(topology, 'physical_package_id')) ?? 0}:${read(path.join(topology, 'core_id')) ?? cpu}`);
    const cacheDir = path.join(SYS_CPU, cpu, 'cache');
    for (const index of fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).filter((d) => d.startsWith('index')) : []) {
      const dir = path.join(cacheDir, index);
      const kind = kindOf(dir);
      if (!kind) continue;
      const entry = caches.get(kind) ?? { size: sizeBytes(read(path.join(dir, 'size')) ?? ''), groups: new Set() };
      entry.groups.add(read(path.join(dir, 'shared_cpu_list')) ?? `${cpu}/${index}`);
      caches.set(kind, entry);
    }
  }
  const out: Record<string, number | string> = { name, cores_count: cores.size || cpus.length };
  for (const kind of CACHES) {
    const c = caches.get(kind);
    out[`${kind}_cache_size`] = c ? c.size : -1;
    out[`${kind}_cache_count`] = c ? c.groups.size : 0;
  }
  return out;
}

export const CPU_INFO_SPACES: ObservationSpaceSpec[] = [
  {
    name: 'CpuInfo',
    space: new Sequence('json'),
    deterministic: true,
    platformDependent: true,
    description: 'The host CPU (of the machine that runs the session\'s worker): name, cores_count, and l1i/l1d/l2/l3/l4 _cache_size (bytes of one cache; -1 for a cache it does not have) and _cache_count (CompilerGym\'s keys).',
    compute: () => cpuInfo(),
  },
];
