/**
 * One loaded LLVM: the shared library through koffi, the native feature helper, and target
 * machines for object emission. One instance per process (a worker process or a benchmark
 * script); modules are created from it with `parse()`, each in an `LLVMContext` of its own.
 *
 * Why a context per module: LLVM uniques identified struct types by name
 * within a context, so a second module with a `%struct.S` parsed into a shared context gets
 * `%struct.S.0`, and a pass that renames types (`strip`) renames them for every module of the
 * context. With one context each, a module's IR does not depend on what else the process holds.
 */
import koffi from 'koffi';
import { bindCApi, bindTargetInitializers, CApi, CPointer, Handle, loadLibrary } from './capi';
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

/** A loaded libLLVM; see module TSDoc. */
export class Llvm {
  readonly capi: CApi;
  readonly native: NativeFeatures;
  readonly passBuilderOptions: Handle;
  readonly hostTriple: string;
  private readonly targets = new Map<string, Target>();

  private constructor(readonly installation: LlvmInstallation) {
    const lib = loadLibrary(installation.libraryPath);
    this.capi = bindCApi(lib);
    const arch = ARCH_TARGETS[process.arch];
    if (!arch) throw new PassGymError('UNSUPPORTED_PLATFORM', `no LLVM target known for process.arch=${process.arch}`);
    for (const init of bindTargetInitializers(lib, arch)) init();
    this.native = loadNativeFeatures(installation.libraryPath);
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
   * Parses IR text or bitcode (detected by its magic) into a new context of its own and runs the
   * verifier. The module's identifier and `source_filename` are set to `name`, so that its IR
   * does not carry the host's paths. After parsing, the context discards the names of new local
   * values (`LLVMContextSetDiscardValueNames`), as clang does: a name that a pass gives a new
   * value would otherwise get a uniquing suffix from a per-function counter that a copy of the
   * module does not share, and a fork's IR would then differ from its parent's in names alone.
   * Local names that came with the input are removed first (`native/canonical.c` says why), so the
   * printed IR numbers local values (`%0`, `%1`, …) as clang's output does.
   * @param bytes `.ll` text or `.bc` bitcode.
   * @param name the module's identity, e.g. the benchmark URI; shown in LLVM's messages too.
   * @throws InvalidIrError with LLVM's message when parsing or verification fails.
   */
  parse(bytes: Uint8Array, name: string): IrModule {
    const context = this.capi.LLVMContextCreate();
    const buf = this.capi.LLVMCreateMemoryBufferWithMemoryRangeCopy(bytes, bytes.length, name);
    const out: Handle[] = [0];
    const msg: CPointer[] = [null];
    if (this.capi.LLVMParseIRInContext(context, buf, out, msg) !== 0) {
      this.capi.LLVMContextDispose(context);
      throw new InvalidIrError(`${name}: LLVM ${this.major} could not parse it: ${this.takeMessage(msg[0]).trim()}`);
    }
    const verifyMsg: CPointer[] = [null];
    if (this.capi.LLVMVerifyModule(out[0], C.LLVMReturnStatusAction, verifyMsg) !== 0) {
      const text = this.takeMessage(verifyMsg[0]).trim();
      this.capi.LLVMDisposeModule(out[0]);
      this.capi.LLVMContextDispose(context);
      throw new InvalidIrError(`${name}: the module is not valid IR: ${text}`);
    }
    this.takeMessage(verifyMsg[0]);
    const length = Buffer.byteLength(name);
    this.capi.LLVMSetModuleIdentifier(out[0], name, length);
    this.capi.LLVMSetSourceFileName(out[0], name, length);
    this.native.stripLocalNames(out[0]);
    this.capi.LLVMContextSetDiscardValueNames(context, 1);
    return new IrModule(this, out[0], context);
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
