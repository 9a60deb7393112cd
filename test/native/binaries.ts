// What a compiled addon is and what it needs, read from the file the way a loader reads it: ELF
// with binutils' readelf, PE with binutils' objdump (Debian's understands pei-x86-64), Mach-O with
// the small parser below (binutils here has no Mach-O, and LLVM's tools are not installed by the
// setup). Used by 96.prebuilds to check each prebuild's format, architecture, imports and floor.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

export interface BinaryInfo {
  /** `ELF`, `PE32+` or `Mach-O`. */
  format: string;
  /** `x86-64` or `aarch64`. */
  machine: string;
  /** Shared libraries or DLLs it names (DT_NEEDED, LC_LOAD_DYLIB, the import directory). */
  libraries: string[];
  /** Symbols it expects the loading process to provide, without Mach-O's leading underscore. */
  imports: Import[];
  /** Symbols it exports (only what the loader needs to see is checked). */
  exports: string[];
  /** Mach-O: the minimum macOS (LC_BUILD_VERSION) and whether it carries a code signature. */
  minimumOs?: string;
  codeSigned?: boolean;
}

export interface Import {
  name: string;
  /** ELF: the symbol version (`GLIBC_2.3`), absent for unversioned symbols (N-API, libuv: node's). */
  version?: string;
  /** PE: the DLL; Mach-O: `libSystem.B.dylib` or `flat` (looked up in the loading process, node). */
  from?: string;
}

function run(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, `${command} ${args.join(' ')}: ${r.error ?? r.stderr}`);
  return r.stdout;
}

/** Reads an addon of any of the three formats. */
export function inspectBinary(file: string): BinaryInfo {
  const head = Buffer.alloc(4);
  const fd = fs.openSync(file, 'r');
  fs.readSync(fd, head, 0, 4, 0);
  fs.closeSync(fd);
  if (head.toString('latin1') === '\x7fELF') return inspectElf(file);
  if (head.toString('latin1', 0, 2) === 'MZ') return inspectPe(file);
  if (head.readUInt32LE(0) === MH_MAGIC_64) return inspectMachO(fs.readFileSync(file));
  throw new Error(`${file}: not an ELF, PE or 64-bit Mach-O file`);
}

const ELF_MACHINES: Record<string, string> = { 'Advanced Micro Devices X86-64': 'x86-64', AArch64: 'aarch64' };

function inspectElf(file: string): BinaryInfo {
  const header = run('readelf', ['--file-header', '-W', file]);
  const elfClass = /Class:\s+(\S+)/.exec(header)?.[1];
  const machine = /Machine:\s+(.+)/.exec(header)?.[1]?.trim() ?? '';
  const dynamic = run('readelf', ['--dynamic', '-W', file]);
  const libraries = [...dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]!);
  const imports: Import[] = [];
  const exports: string[] = [];
  // "  12: 0000000000000000     0 FUNC    GLOBAL DEFAULT  UND sendfile64@GLIBC_2.3 (4)"
  for (const line of run('readelf', ['--dyn-syms', '-W', file]).split('\n')) {
    const m = /^\s*\d+:\s+\S+\s+\d+\s+\S+\s+(GLOBAL|WEAK)\s+\S+\s+(\S+)\s+(\S+)/.exec(line);
    if (!m) continue;
    const [name, version] = m[3]!.split(/@+/);
    if (m[2] === 'UND') imports.push({ name: name!, ...(version ? { version: version.replace(/ \(\d+\)$/, '') } : {}) });
    else exports.push(name!);
  }
  return { format: elfClass === 'ELF64' ? 'ELF' : `ELF (${elfClass})`, machine: ELF_MACHINES[machine] ?? machine, libraries, imports, exports };
}

function inspectPe(file: string): BinaryInfo {
  const headers = run('objdump', ['-p', file]);
  const magic = /^Magic\s+(\w+)/m.exec(headers)?.[1];
  const architecture = /architecture: (\S+),/.exec(run('objdump', ['-f', file]))?.[1];
  const libraries: string[] = [];
  const imports: Import[] = [];
  // "\tDLL Name: node.exe" then "\tvma:  Hint/Ord Member-Name Bound-To" then "\t 1a2b3c   123  napi_create_object"
  let dll: string | undefined;
  for (const line of headers.split('\n')) {
    const name = /^\s*DLL Name: (\S+)/.exec(line);
    if (name) {
      dll = name[1]!;
      libraries.push(dll);
      continue;
    }
    if (/^\s*$/.test(line)) dll = undefined;
    const member = dll && /^\s+[0-9a-f]+\s+\d+\s+(\S+)/.exec(line);
    if (member) imports.push({ name: member[1]!, from: dll });
  }
  const exportTable = headers.slice(headers.indexOf('[Ordinal/Name Pointer] Table'));
  const exports = [...exportTable.matchAll(/^\s+\[\s*\d+\] (\S+)$/gm)].map((m) => m[1]!);
  return { format: magic === '020b' ? 'PE32+' : `PE (magic ${magic})`, machine: architecture === 'i386:x86-64' ? 'x86-64' : (architecture ?? ''), libraries, imports, exports };
}

// mach-o/loader.h and mach-o/nlist.h
const MH_MAGIC_64 = 0xfeedfacf;
const CPU_TYPES: Record<number, string> = { 0x01000007: 'x86-64', 0x0100000c: 'aarch64' };
const LC_SYMTAB = 0x2;
const LC_LOAD_DYLIB = 0xc;
const LC_CODE_SIGNATURE = 0x1d;
const LC_BUILD_VERSION = 0x32;
const N_STAB = 0xe0;
const N_TYPE = 0x0e;
const N_EXT = 0x01;
const N_UNDF = 0x0;
/** The library ordinal of an undefined symbol looked up in every loaded image (flat namespace). */
const DYNAMIC_LOOKUP_ORDINAL = 0xfe;

function inspectMachO(data: Buffer): BinaryInfo {
  const cpuType = data.readUInt32LE(4);
  const commands = data.readUInt32LE(16);
  const libraries: string[] = [];
  let symtab: { symoff: number; nsyms: number; stroff: number } | undefined;
  let minimumOs: string | undefined;
  let codeSigned = false;
  let at = 32;
  for (let i = 0; i < commands; i++) {
    const cmd = data.readUInt32LE(at);
    const size = data.readUInt32LE(at + 4);
    if (cmd === LC_LOAD_DYLIB) {
      const nameAt = at + data.readUInt32LE(at + 8);
      libraries.push(data.toString('latin1', nameAt, data.indexOf(0, nameAt)));
    } else if (cmd === LC_SYMTAB) {
      symtab = { symoff: data.readUInt32LE(at + 8), nsyms: data.readUInt32LE(at + 12), stroff: data.readUInt32LE(at + 16) };
    } else if (cmd === LC_BUILD_VERSION) {
      const v = data.readUInt32LE(at + 12); // X.Y.Z as xxxx.yy.zz
      minimumOs = `${v >>> 16}.${(v >>> 8) & 0xff}`;
    } else if (cmd === LC_CODE_SIGNATURE) {
      codeSigned = true;
    }
    at += size;
  }
  const imports: Import[] = [];
  const exports: string[] = [];
  for (let i = 0; symtab && i < symtab.nsyms; i++) {
    const entry = symtab.symoff + i * 16; // struct nlist_64
    const type = data.readUInt8(entry + 4);
    if (type & N_STAB || !(type & N_EXT)) continue;
    const nameAt = symtab.stroff + data.readUInt32LE(entry);
    const name = data.toString('latin1', nameAt, data.indexOf(0, nameAt)).replace(/^_/, '');
    if ((type & N_TYPE) === N_UNDF) {
      const ordinal = data.readUInt16LE(entry + 6) >> 8;
      const from = ordinal === DYNAMIC_LOOKUP_ORDINAL ? 'flat' : (libraries[ordinal - 1]?.split('/').pop() ?? `ordinal ${ordinal}`);
      imports.push({ name, from });
    } else {
      exports.push(name);
    }
  }
  return { format: 'Mach-O', machine: CPU_TYPES[cpuType] ?? `cpu ${cpuType.toString(16)}`, libraries, imports, exports, minimumOs, codeSigned };
}

/** Compares dotted versions (`2.33` < `2.34`, `3.4.21` < `3.4.30`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
