/**
 * The LLVM C API functions PassGym calls, each declared once, as koffi foreign functions.
 *
 * Signatures follow LLVM's `llvm-c/Core.h`, `IRReader.h`, `BitWriter.h`, `Analysis.h`,
 * `TargetMachine.h`, `Target.h`, `Error.h` and `Transforms/PassBuilder.h` (LLVM 13 and later;
 * `LLVMRunPasses` first appears in LLVM 13). Opaque references (`LLVMModuleRef`, …) are passed
 * as `uintptr_t` numbers, which koffi converts faster than pointer objects; C strings that the
 * caller must free, and memory-buffer contents, are returned as koffi pointers so that they can
 * be decoded and then disposed of.
 *
 * Nothing clever lives here: `llvm.ts` and `module.ts` build on these declarations.
 */
import koffi from 'koffi';
import { PassGymError } from '../errors';

/** A library loaded by koffi. */
export type KoffiLib = ReturnType<typeof koffi.load>;

/**
 * Bytes of stack that synchronous foreign calls (every LLVM call PassGym makes) run on: 8 MiB,
 * the default main-thread stack (`ulimit -s`) that stock `opt` runs with. koffi runs synchronous
 * calls on a stack of its own, 2 MiB by default (koffi 3.3's `sync_stack_size`, which may be
 * 64 KiB..16 MiB), and LLVM 14 recurses deeply in places: ScalarEvolution's `createSCEV` takes
 * about 1.1 KiB a link of a chain of dependent instructions, so `indvars` on a loop bounded by a
 * chain of 3,000 `udiv`s segfaults on 2 MiB and succeeds on 8 MiB, in `opt` as in PassGym.
 */
export const LLVM_STACK_BYTES = 8 * 1024 * 1024;

/**
 * Loads a shared library with koffi, first giving synchronous calls `LLVM_STACK_BYTES` of stack.
 * @throws PassGymError when another part of the process loaded a library through koffi first
 *   with a smaller stack (koffi's configuration is fixed by the first load).
 */
export function loadLibrary(file: string): KoffiLib {
  const config = koffi.config();
  if ((config.sync_stack_size ?? 0) < LLVM_STACK_BYTES) {
    try {
      koffi.config({ ...config, sync_stack_size: LLVM_STACK_BYTES });
    } catch (e) {
      throw new PassGymError(
        'INTERNAL',
        `cannot give LLVM calls an ${LLVM_STACK_BYTES >> 20} MiB stack: koffi was configured by an earlier library load (${(e as Error).message})`,
      );
    }
  }
  return koffi.load(file);
}

/** An opaque LLVM reference (`LLVMContextRef`, `LLVMModuleRef`, `LLVMMemoryBufferRef`, …) as an address. */
export type Handle = number;
/** A koffi pointer object for C memory that PassGym reads and then frees. */
export type CPointer = unknown;

/** `LLVMVerifierFailureAction::LLVMReturnStatusAction` (Analysis.h). */
export const LLVMReturnStatusAction = 2;
/** `LLVMCodeGenFileType::LLVMObjectFile` (TargetMachine.h). */
export const LLVMObjectFile = 1;
/** `LLVMCodeGenOptLevel::LLVMCodeGenLevelDefault` (TargetMachine.h). */
export const LLVMCodeGenLevelDefault = 2;
/** `LLVMRelocMode::LLVMRelocDefault` (TargetMachine.h). */
export const LLVMRelocDefault = 0;
/** `LLVMCodeModel::LLVMCodeModelDefault` (TargetMachine.h). */
export const LLVMCodeModelDefault = 0;

/** Builds the typed foreign-function table for one loaded libLLVM. */
export function bindCApi(lib: KoffiLib) {
  const H = 'uintptr_t';
  return {
    LLVMContextCreate: lib.func(`${H} LLVMContextCreate()`) as () => Handle,
    /** Frees a context; every module in it must be disposed of first. */
    LLVMContextDispose: lib.func(`void LLVMContextDispose(${H} ctx)`) as (ctx: Handle) => void,
    /** When set, `Value::setName` drops the names of local values (instructions, arguments, blocks), as clang does. */
    LLVMContextSetDiscardValueNames: lib.func(`void LLVMContextSetDiscardValueNames(${H} ctx, int discard)`) as (
      ctx: Handle,
      discard: number,
    ) => void,

    LLVMCreateMemoryBufferWithMemoryRangeCopy: lib.func(
      `${H} LLVMCreateMemoryBufferWithMemoryRangeCopy(const uint8_t* data, size_t length, const char* name)`,
    ) as (data: Uint8Array, length: number, name: string) => Handle,
    LLVMGetBufferStart: lib.func(`void* LLVMGetBufferStart(${H} buf)`) as (buf: Handle) => CPointer,
    LLVMGetBufferSize: lib.func(`size_t LLVMGetBufferSize(${H} buf)`) as (buf: Handle) => number,
    LLVMDisposeMemoryBuffer: lib.func(`void LLVMDisposeMemoryBuffer(${H} buf)`) as (buf: Handle) => void,

    /** Parses textual IR or bitcode; takes ownership of the buffer; returns non-zero on error. */
    LLVMParseIRInContext: lib.func(
      `int LLVMParseIRInContext(${H} ctx, ${H} buf, _Out_ ${H}* module, _Out_ void** message)`,
    ) as (ctx: Handle, buf: Handle, module: Handle[], message: CPointer[]) => number,
    LLVMVerifyModule: lib.func(`int LLVMVerifyModule(${H} module, int action, _Out_ void** message)`) as (
      module: Handle,
      action: number,
      message: CPointer[],
    ) => number,
    LLVMCloneModule: lib.func(`${H} LLVMCloneModule(${H} module)`) as (module: Handle) => Handle,
    LLVMDisposeModule: lib.func(`void LLVMDisposeModule(${H} module)`) as (module: Handle) => void,
    LLVMPrintModuleToString: lib.func(`void* LLVMPrintModuleToString(${H} module)`) as (module: Handle) => CPointer,
    LLVMWriteBitcodeToMemoryBuffer: lib.func(`${H} LLVMWriteBitcodeToMemoryBuffer(${H} module)`) as (
      module: Handle,
    ) => Handle,
    LLVMDisposeMessage: lib.func(`void LLVMDisposeMessage(void* message)`) as (message: CPointer) => void,
    /** The identifier is a copy of LLVM's string (koffi decodes `const char*`); `len` receives its length. */
    LLVMGetModuleIdentifier: lib.func(`const char* LLVMGetModuleIdentifier(${H} module, _Out_ size_t* len)`) as (
      module: Handle,
      len: number[],
    ) => string,
    LLVMSetModuleIdentifier: lib.func(`void LLVMSetModuleIdentifier(${H} module, const char* ident, size_t len)`) as (
      module: Handle,
      ident: string,
      len: number,
    ) => void,
    LLVMSetSourceFileName: lib.func(`void LLVMSetSourceFileName(${H} module, const char* name, size_t len)`) as (
      module: Handle,
      name: string,
      len: number,
    ) => void,
    LLVMGetTarget: lib.func(`const char* LLVMGetTarget(${H} module)`) as (module: Handle) => string,
    LLVMSetTarget: lib.func(`void LLVMSetTarget(${H} module, const char* triple)`) as (
      module: Handle,
      triple: string,
    ) => void,
    LLVMSetDataLayout: lib.func(`void LLVMSetDataLayout(${H} module, const char* layout)`) as (
      module: Handle,
      layout: string,
    ) => void,
    LLVMGetNamedFunction: lib.func(`${H} LLVMGetNamedFunction(${H} module, const char* name)`) as (
      module: Handle,
      name: string,
    ) => Handle,
    LLVMIsDeclaration: lib.func(`int LLVMIsDeclaration(${H} global)`) as (global: Handle) => number,

    LLVMCreatePassBuilderOptions: lib.func(`${H} LLVMCreatePassBuilderOptions()`) as () => Handle,
    /** Parses and runs a new-pass-manager pipeline; returns an `LLVMErrorRef` (0 on success). */
    LLVMRunPasses: lib.func(`${H} LLVMRunPasses(${H} module, const char* passes, ${H} tm, ${H} options)`) as (
      module: Handle,
      passes: string,
      tm: Handle,
      options: Handle,
    ) => Handle,
    /** Consumes the error; the message must be freed with `LLVMDisposeErrorMessage`. */
    LLVMGetErrorMessage: lib.func(`void* LLVMGetErrorMessage(${H} error)`) as (error: Handle) => CPointer,
    LLVMDisposeErrorMessage: lib.func(`void LLVMDisposeErrorMessage(void* message)`) as (message: CPointer) => void,

    LLVMGetDefaultTargetTriple: lib.func(`void* LLVMGetDefaultTargetTriple()`) as () => CPointer,
    LLVMGetTargetFromTriple: lib.func(
      `int LLVMGetTargetFromTriple(const char* triple, _Out_ ${H}* target, _Out_ void** message)`,
    ) as (triple: string, target: Handle[], message: CPointer[]) => number,
    LLVMCreateTargetMachine: lib.func(
      `${H} LLVMCreateTargetMachine(${H} target, const char* triple, const char* cpu, const char* features, int level, int reloc, int codeModel)`,
    ) as (target: Handle, triple: string, cpu: string, features: string, level: number, reloc: number, codeModel: number) => Handle,
    LLVMCreateTargetDataLayout: lib.func(`${H} LLVMCreateTargetDataLayout(${H} tm)`) as (tm: Handle) => Handle,
    LLVMCopyStringRepOfTargetData: lib.func(`void* LLVMCopyStringRepOfTargetData(${H} td)`) as (td: Handle) => CPointer,
    LLVMDisposeTargetData: lib.func(`void LLVMDisposeTargetData(${H} td)`) as (td: Handle) => void,
    /** Emits an object file into a new memory buffer; returns non-zero on error. */
    LLVMTargetMachineEmitToMemoryBuffer: lib.func(
      `int LLVMTargetMachineEmitToMemoryBuffer(${H} tm, ${H} module, int codegen, _Out_ void** message, _Out_ ${H}* buf)`,
    ) as (tm: Handle, module: Handle, codegen: number, message: CPointer[], buf: Handle[]) => number,
  };
}

/** The typed C API of one loaded libLLVM. */
export type CApi = ReturnType<typeof bindCApi>;

/**
 * Declares the per-target initialisers (`LLVMInitialize<Arch>TargetInfo`, `…Target`, `…TargetMC`,
 * `…AsmPrinter`), which `llvm-c/Target.h` wraps as `LLVMInitializeNativeTarget`, an inline
 * function that a foreign-function interface cannot call.
 */
export function bindTargetInitializers(lib: KoffiLib, arch: string): Array<() => void> {
  return ['TargetInfo', 'Target', 'TargetMC', 'AsmPrinter'].map(
    (part) => lib.func(`void LLVMInitialize${arch}${part}()`) as () => void,
  );
}
