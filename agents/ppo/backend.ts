/**
 * The TensorFlow.js backend, chosen once per process: `@tensorflow/tfjs-node` (libtensorflow)
 * when it is installed (an optional peer dependency), else `@tensorflow/tfjs-backend-wasm` (SIMD,
 * its `.wasm` files loaded from node_modules, no download), else the pure-JavaScript cpu backend.
 * The choice is logged. `PASSGYM_TF_BACKEND=tensorflow|wasm|cpu` forces one.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's node bundle registers no gradients; tfjs-layers' node bundle registers all of them
// (tfjs-core's own `register_all_gradients` is an ES module with extension-less imports that
// Node cannot load).
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let chosen: Promise<string> | null = null;

/** Tries to load tfjs-node, which registers the `tensorflow` backend. False when absent. */
function loadTfjsNode(): boolean {
  try {
    require('@tensorflow/tfjs-node');
    return tf.findBackend('tensorflow') !== undefined;
  } catch {
    return false;
  }
}

async function trySet(name: string): Promise<boolean> {
  try {
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * Selects the backend (tensorflow > wasm > cpu, or `PASSGYM_TF_BACKEND`) on first call and
 * returns its name; later calls return the same name.
 * @param log receives one line naming the backend chosen and why the better ones were not.
 * @throws Error when `PASSGYM_TF_BACKEND` names a backend that cannot start.
 */
export function selectBackend(log: (message: string) => void = () => undefined): Promise<string> {
  chosen ??= (async () => {
    const forced = process.env.PASSGYM_TF_BACKEND;
    const skipped: string[] = [];
    if (forced) {
      if (forced === 'tensorflow') loadTfjsNode();
      if (forced === 'wasm') setWasmPaths(wasmDir());
      if (!(await trySet(forced))) throw new Error(`PASSGYM_TF_BACKEND=${forced}: that TensorFlow.js backend could not start (known: tensorflow, wasm, cpu)`);
      log(`tfjs backend: ${forced} (PASSGYM_TF_BACKEND)`);
      return forced;
    }
    if (loadTfjsNode() && (await trySet('tensorflow'))) {
      log('tfjs backend: tensorflow (@tensorflow/tfjs-node)');
      return 'tensorflow';
    }
    skipped.push('tfjs-node not installed');
    setWasmPaths(wasmDir());
    if (await trySet('wasm')) {
      log(`tfjs backend: wasm (${skipped.join('; ')})`);
      return 'wasm';
    }
    skipped.push('wasm failed to start');
    await tf.setBackend('cpu');
    log(`tfjs backend: cpu (${skipped.join('; ')})`);
    return 'cpu';
  })();
  return chosen;
}

/** Folder of the wasm backend's `.wasm` files, with a trailing slash (setWasmPaths wants one). */
function wasmDir(): string {
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep;
}

export { tf };
