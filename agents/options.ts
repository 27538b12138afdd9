/** Parsing and checking of agent options (`--agent-options`). */
import type { AgentOptions } from './agent';

/**
 * Parses `--agent-options`: a JSON object, or `key=value` pairs separated by commas. Values that
 * look like numbers or booleans become numbers or booleans.
 * @throws Error naming the malformed part.
 */
export function parseAgentOptions(text: string | undefined): AgentOptions {
  if (!text || !text.trim()) return {};
  const t = text.trim();
  if (t.startsWith('{')) {
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch (e) {
      throw new Error(`--agent-options is not valid JSON: ${(e as Error).message}`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('--agent-options JSON must be an object');
    return v as AgentOptions;
  }
  const out: AgentOptions = {};
  for (const part of t.split(',')) {
    const m = /^\s*([A-Za-z_][\w.-]*)\s*=\s*(.*?)\s*$/.exec(part);
    if (!m) throw new Error(`--agent-options: "${part}" is not key=value`);
    const raw = m[2];
    out[m[1]] = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return out;
}

/**
 * Reads a numeric option with a default. @throws Error when the value is not a number in range.
 */
export function numberOption(options: AgentOptions, key: string, fallback: number, min = -Infinity, max = Infinity): number {
  const v = options[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new Error(`agent option ${key}=${String(v)} must be a number in [${min}, ${max}]`);
  }
  return v;
}

/** Throws if `options` has keys outside `known`. */
export function checkOptionKeys(agent: string, options: AgentOptions, known: readonly string[]): void {
  const bad = Object.keys(options).filter((k) => !known.includes(k));
  if (bad.length) throw new Error(`agent ${agent}: unknown option${bad.length > 1 ? 's' : ''} ${bad.join(', ')} (known: ${known.join(', ') || 'none'})`);
}
