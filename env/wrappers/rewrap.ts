import type { Env, Wrapper } from '../core';

/**
 * A shallow copy of `wrapper` (same class, same fields) around `env`: how a wrapper whose state is
 * immutable, or copied by its caller afterwards, forks (CompilerGym's `CompilerEnvWrapper.fork()`
 * is `type(self)(env=self.env.fork())`; a copy also keeps the constructor's arguments). Fields
 * holding mutable objects are shared with the original: a wrapper with such state overrides
 * `fork()` and copies it.
 */
export function rewrap<T extends Wrapper>(wrapper: T, env: Env): T {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(wrapper)) as T, wrapper);
  (copy as { env: Env }).env = env;
  return copy;
}
