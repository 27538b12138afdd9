/**
 * `IrModule`: one LLVM module owned by PassGym, with the operations an environment step needs:
 * run a new-pass-manager pipeline, fork, print, write bitcode, count instructions, extract
 * features and emit object code. Created by `Llvm.parse()`.
 */
import crypto from 'node:crypto';
import koffi from 'koffi';
import type { Llvm } from './llvm';
import type { CPointer, Handle } from './capi';
import * as C from './capi';
import { PassPipelineError, PassGymError } from '../errors';
import { executableSectionBytes } from './elf';

/**
 * A module handle plus the `Llvm` that loaded it. A module made by `Llvm.parse()` or `fork()` owns
 * its `LLVMContext` (`context`, freed with it); a same-context copy (`copyInContext`) does not.
 * Call `dispose()` when done.
 */
export class IrModule {
  private disposed = false;
  /** `emitObject()`'s output for the current IR; dropped by `runPasses`. */
  private object: Buffer | null = null;

  constructor(
    private readonly llvm: Llvm,
    readonly handle: Handle,
    /** The context this module owns and frees, or 0 when it lives in another module's context. */
    private readonly context: Handle = 0,
  ) {}

  private live(): Handle {
    if (this.disposed) throw new PassGymError('INTERNAL', 'IrModule used after dispose()');
    return this.handle;
  }

  /** The module's target triple ("" when it has none). */
  get triple(): string {
    return this.llvm.capi.LLVMGetTarget(this.live());
  }

  /**
   * The target machine `opt` would give the passes: one for the module's triple (generic CPU) when
   * it has a triple, none otherwise (0), as LLVM 14's `opt` does.
   */
  private passTargetMachine(): Handle {
    const triple = this.triple;
    if (!triple) return 0;
    try {
      return this.llvm.target(triple).tm;
    } catch {
      return 0;
    }
  }

  /**
   * Runs a new-pass-manager pipeline in place (`LLVMRunPasses`), e.g. `module(instcombine,gvn)`,
   * then resets intrinsic declarations' attributes to the intrinsics' own, as reading the module
   * back would (`native/canonical.c`), so that a state is what its bitcode holds.
   * @throws PassPipelineError when the pipeline does not parse; the module is then unchanged.
   * A pass that crashes LLVM takes the process with it: callers run this in a worker process.
   */
  runPasses(pipeline: string): void {
    this.object = null;
    const err = this.llvm.capi.LLVMRunPasses(this.live(), pipeline, this.passTargetMachine(), this.llvm.passBuilderOptions);
    if (err) {
      const ptr: CPointer = this.llvm.capi.LLVMGetErrorMessage(err);
      const text = ptr ? String(koffi.decode(ptr, 'char', -1)) : 'unknown error';
      if (ptr) this.llvm.capi.LLVMDisposeErrorMessage(ptr);
      throw new PassPipelineError(`LLVM ${this.llvm.major} rejected the pipeline '${pipeline}': ${text}`);
    }
    this.llvm.native.canonicalIntrinsicAttributes(this.handle);
  }

  /**
   * An independent copy in a context of its own (a fork): the module goes through bitcode into a
   * new context (`Llvm.parse`, so the copy discards new local names as its original does), and
   * the original's use-list order is then copied onto it (`native/uselists.c`). Bitcode does not
   * keep use-list order unless asked to (`-preserve-bc-uselistorder`, which the C API cannot ask
   * for), and without it some passes (GVN among them) give the copy different IR from the
   * original, so that forks would disagree with stock `opt`.
   * @throws PassGymError when the copy does not have the original's shape (an LLVM bug).
   */
  fork(): IrModule {
    const copy = this.llvm.parse(this.bitcode(), this.identifier());
    try {
      this.llvm.native.fixClone(this.live(), copy.handle);
    } catch (e) {
      copy.dispose();
      throw e;
    }
    return copy;
  }

  /**
   * A copy in this module's own context (`LLVMCloneModule`, then repaired by `native/uselists.c`):
   * block addresses in global initializers are pointed at the copy's own blocks (LLVM 14 leaves
   * them on the original's, which breaks code generation of computed-goto programs) and the
   * original's use-list order is copied. Cheaper than `fork()`, but the two share the context's
   * types, so a pass that renames types (`strip`) on one renames them on both: only for
   * short-lived copies that no pass but code generation touches (`emitObject`).
   */
  copyInContext(): IrModule {
    const copy = this.llvm.capi.LLVMCloneModule(this.live());
    try {
      this.llvm.native.fixClone(this.handle, copy);
    } catch (e) {
      this.llvm.capi.LLVMDisposeModule(copy);
      throw e;
    }
    return new IrModule(this.llvm, copy);
  }

  /** The module identifier (`ModuleID`), e.g. the benchmark URI. */
  identifier(): string {
    return this.llvm.capi.LLVMGetModuleIdentifier(this.live(), [0]);
  }

  /** Frees the module and the context it owns; further use throws. Idempotent. */
  dispose(): void {
    if (!this.disposed) {
      this.llvm.capi.LLVMDisposeModule(this.handle);
      if (this.context) this.llvm.capi.LLVMContextDispose(this.context);
      this.disposed = true;
    }
  }

  /** The module as LLVM assembly text (`LLVMPrintModuleToString`). */
  print(): string {
    return this.llvm.takeMessage(this.llvm.capi.LLVMPrintModuleToString(this.live()));
  }

  /** The module as bitcode (`LLVMWriteBitcodeToMemoryBuffer`). */
  bitcode(): Buffer {
    return this.llvm.takeBuffer(this.llvm.capi.LLVMWriteBitcodeToMemoryBuffer(this.live()));
  }

  /** Hex SHA-1 of `print()`, CompilerGym's IrSha1. */
  irSha1(): string {
    return crypto.createHash('sha1').update(this.print()).digest('hex');
  }

  /** Instructions in all function bodies (`Module::getInstructionCount()`). */
  instructionCount(): number {
    return this.llvm.native.instructionCount(this.live());
  }

  /** 70 InstCount features in CompilerGym's order. */
  instCount(): number[] {
    return this.llvm.native.instCount(this.live());
  }

  /** 56 Autophase features in CompilerGym's order. */
  autophase(): number[] {
    return this.llvm.native.autophase(this.live());
  }

  /** The ProGraML graph's raw columns (`NativeFeatures.programl`). */
  programl(): ReturnType<Llvm['native']['programl']> {
    return this.llvm.native.programl(this.live());
  }

  /** True when the module defines (not just declares) a function named `name`. */
  defines(name: string): boolean {
    const fn = this.llvm.capi.LLVMGetNamedFunction(this.live(), name);
    return fn !== 0 && this.llvm.capi.LLVMIsDeclaration(fn) === 0;
  }

  /**
   * Emits object code for a same-context copy of this module (code generation rewrites IR, so the module
   * itself is left alone) with the target machine of its triple, or of the host's triple and
   * data layout when it has none. The object is kept until the IR changes (`runPasses`).
   * @returns the object file bytes (ELF on Linux).
   * @throws PassGymError (code OBJECT_EMIT_FAILED) with LLVM's message when code generation fails.
   */
  emitObject(options: { fresh?: boolean } = {}): Buffer {
    // One state's object serves ObjectTextSizeBytes and the semantic check's build; `fresh`
    // redoes code generation (Buildtime times it).
    if (this.object && !options.fresh) return this.object;
    this.object = this.emitObjectUncached();
    return this.object;
  }

  private emitObjectUncached(): Buffer {
    const copy = this.copyInContext();
    try {
      let triple = copy.triple;
      if (!triple) {
        triple = this.llvm.hostTriple;
        this.llvm.capi.LLVMSetTarget(copy.handle, triple);
        this.llvm.capi.LLVMSetDataLayout(copy.handle, this.llvm.target(triple).dataLayout);
      }
      const msg: CPointer[] = [null];
      const out: Handle[] = [0];
      const { tm } = this.llvm.target(triple);
      if (this.llvm.capi.LLVMTargetMachineEmitToMemoryBuffer(tm, copy.handle, C.LLVMObjectFile, msg, out) !== 0) {
        throw new PassGymError('OBJECT_EMIT_FAILED', `code generation failed: ${this.llvm.takeMessage(msg[0])}`);
      }
      return this.llvm.takeBuffer(out[0]);
    } finally {
      copy.dispose();
    }
  }

  /** Bytes of executable sections in `emitObject()`'s output (CompilerGym's ObjectTextSizeBytes). */
  objectTextSizeBytes(): number {
    return executableSectionBytes(this.emitObject());
  }
}
