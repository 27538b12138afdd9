/**
 * One loaded LLVM: the shared library through koffi, an `LLVMContext`, the native feature
 * helper, and target machines for object emission. One instance per process (a worker
 * process or a benchmark script); modules are created from it with `parse()`.
 */
import koffi from 'koffi';
import { bindCApi, bindTargetInitializers, CApi, CPointer, Handle } from './capi';
import { findLlvm, LlvmInstallation } from './library';
import { loadNativeFeatures, NativeFeatures } from './native';
import { InvalidIrError, PassGymError } from '../errors';
import * as C from './capi';
import { IrModule } from './module';

const ARCH_TARGETS: Record<string, string> = { x64: 'X86', arm64: 'AArch64' };

/** A target machine and the data layout string it implies, for one triple. */
interface Target {
  tm: Handle;
  dataLayout: string;
}

/** A loaded libLLVM with its context; see module TSDoc. */
export class Llvm {
  readonly capi: CApi;
  readonly native: NativeFeatures;
  readonly context: Handle;
  readonly passBuilderOptions: Handle;
  readonly hostTriple: string;
  private readonly targets = new Map<string, Target>();

  private constructor(readonly installation: LlvmInstallation) {
    const lib = koffi.load(installation.libraryPath);
    this.capi = bindCApi(lib);
    const arch = ARCH_TARGETS[process.arch];
    if (!arch) throw new PassGymError('UNSUPPORTED_PLATFORM', `no LLVM target known for process.arch=${process.arch}`);
    for (const init of bindTargetInitializers(lib, arch)) init();
    this.native = loadNativeFeatures(installation.libraryPath);
    this.context = this.capi.LLVMContextCreate();
    this.passBuilderOptions = this.capi.LLVMCreatePassBuilderOptions();
    this.hostTriple = this.takeMessage(this.capi.LLVMGetDefaultTargetTriple());
  }

  private static instance: Llvm | null = null;

  /** The process's LLVM (loaded on first call). @throws LlvmNotFoundError */
  static get(): Llvm {
    if (!Llvm.instance) Llvm.instance = new Llvm(findLlvm());
    return Llvm.instance;
  }

  /** Major version, e.g. 14. */
  get major(): number {
    return this.installation.major;
  }

  /** Full version, e.g. "14.0.6". */
  get version(): string {
    return this.installation.version;
  }

  /** Copies a C string that LLVM allocated and frees it with `LLVMDisposeMessage`. */
  takeMessage(ptr: CPointer): string {
    if (!ptr) return '';
    const s = koffi.decode(ptr, 'char', -1) as string;
    this.capi.LLVMDisposeMessage(ptr);
    return s;
  }

  /** Copies a memory buffer's bytes into a Node Buffer and disposes of the LLVM buffer. */
  takeBuffer(buf: Handle): Buffer {
    const size = this.capi.LLVMGetBufferSize(buf);
    const bytes = size === 0 ? Buffer.alloc(0) : Buffer.from(koffi.view(this.capi.LLVMGetBufferStart(buf), size).slice(0));
    this.capi.LLVMDisposeMemoryBuffer(buf);
    return bytes;
  }

  /**
   * Parses IR text or bitcode (detected by its magic) and runs the verifier.
   * @param bytes `.ll` text or `.bc` bitcode.
   * @param name buffer name shown in LLVM's messages (e.g. the benchmark URI).
   * @throws InvalidIrError with LLVM's message when parsing or verification fails.
   */
  parse(bytes: Uint8Array, name: string): IrModule {
    const buf = this.capi.LLVMCreateMemoryBufferWithMemoryRangeCopy(bytes, bytes.length, name);
    const out: Handle[] = [0];
    const msg: CPointer[] = [null];
    if (this.capi.LLVMParseIRInContext(this.context, buf, out, msg) !== 0) {
      throw new InvalidIrError(`${name}: LLVM ${this.major} could not parse it: ${this.takeMessage(msg[0]).trim()}`);
    }
    const verifyMsg: CPointer[] = [null];
    if (this.capi.LLVMVerifyModule(out[0], C.LLVMReturnStatusAction, verifyMsg) !== 0) {
      const text = this.takeMessage(verifyMsg[0]).trim();
      this.capi.LLVMDisposeModule(out[0]);
      throw new InvalidIrError(`${name}: the module is not valid IR: ${text}`);
    }
    this.takeMessage(verifyMsg[0]);
    return new IrModule(this, out[0]);
  }

  /**
   * A target machine for `triple` with the generic CPU and no extra features (as stock `opt`
   * and `llc` create one when no `-mcpu`/`-mattr` is given), cached per triple.
   * @throws PassGymError when the triple's target is not compiled into this libLLVM.
   */
  target(triple: string): Target {
    let t = this.targets.get(triple);
    if (!t) {
      const target: Handle[] = [0];
      const msg: CPointer[] = [null];
      if (this.capi.LLVMGetTargetFromTriple(triple, target, msg) !== 0) {
        throw new PassGymError('UNSUPPORTED_TARGET', `no LLVM target for triple ${triple}: ${this.takeMessage(msg[0])}`);
      }
      const tm = this.capi.LLVMCreateTargetMachine(
        target[0],
        triple,
        '',
        '',
        C.LLVMCodeGenLevelDefault,
        C.LLVMRelocDefault,
        C.LLVMCodeModelDefault,
      );
      const td = this.capi.LLVMCreateTargetDataLayout(tm);
      const dataLayout = this.takeMessage(this.capi.LLVMCopyStringRepOfTargetData(td));
      this.capi.LLVMDisposeTargetData(td);
      t = { tm, dataLayout };
      this.targets.set(triple, t);
    }
    return t;
  }
}
