/**
 * The five prebuilds `npm run package` ships (native/scripts/prebuilds.mjs, built here on Linux x64
 * from binding.gyp's sources and flags): each is the right format for the right CPU, exports the
 * N-API entry point, imports what the addon's work needs from the system (sendfile, mmap) and the
 * N-API and libuv functions from the node that loads it, and nothing a user's machine may lack:
 *
 * - Linux: only libc, libstdc++ (which node itself links), no glibc symbol version newer than
 *   GLIBC_FLOOR (the oldest glibc the prebuilds load on; older ones fall back, saying why), every
 *   N-API/libuv import exported by that architecture's node.
 * - macOS: only libSystem; N-API and libuv looked up in node (flat namespace, as node-gyp links);
 *   the minimum macOS no newer than Node 20's (10.15 on x86-64, 11 on arm64); arm64 signed (ad hoc),
 *   without which Apple silicon refuses to load it. Compiled only: nothing here runs macOS.
 * - Windows: node.exe (its N-API exports only) and Windows' own DLLs: no MSVC runtime, no mingw DLL.
 *
 * The prebuilds run here: linux-x64 in every native test, linux-arm64 under qemu (91.linux-arm64),
 * win32-x64 under Wine (90.windows).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { compareVersions, inspectBinary, type BinaryInfo } from './binaries';
import { arm64Node, ensurePrebuild, prebuildToolsMissing, skipUnless, windowsNodeExecutable, type PrebuildTarget } from './runtimes';

/** The newest glibc symbol version the Linux prebuilds may need: glibc 2.33 (fstat64 moved into libc there). */
export const GLIBC_FLOOR = '2.33';
/** libstdc++ of GCC 5 (the C++11 ABI's std::string) and its C++ ABI. */
const GLIBCXX_FLOOR = '3.4.21';
const CXXABI_FLOOR = '1.3.9';

const NODE_PROVIDES = /^(napi_|node_api_|uv_)/;
/** Weak hooks every GCC shared object references; absent is fine. */
const TOOLCHAIN_WEAK = /^(__gmon_start__|_ITM_registerTMCloneTable|_ITM_deregisterTMCloneTable)$/;

function names(info: BinaryInfo, from?: string): string[] {
  return info.imports.filter((i) => from === undefined || i.from === from).map((i) => i.name);
}

function assertImportsAll(info: BinaryInfo, wanted: (string | RegExp)[]): void {
  const imported = names(info);
  for (const want of wanted) {
    assert.ok(imported.some((n) => (typeof want === 'string' ? n === want : want.test(n))), `imports ${want}: ${imported.join(' ')}`);
  }
}

/** The dynamic symbols an ELF node binary exports. */
function elfExports(binary: string): Set<string> {
  return new Set(inspectBinary(binary).exports);
}

function checkLinux(info: BinaryInfo, machine: string, node: string | undefined): void {
  assert.equal(info.format, 'ELF');
  assert.equal(info.machine, machine);
  assert.ok(info.exports.includes('napi_register_module_v1'), 'exports the N-API entry point');
  assert.deepEqual(info.libraries.filter((l) => !['libc.so.6', 'libstdc++.so.6', 'libm.so.6', 'libgcc_s.so.1'].includes(l)), []);
  assertImportsAll(info, [/^sendfile(64)?$/, /^mmap(64)?$/, 'madvise', 'sigaction', 'napi_create_external_buffer', 'napi_define_class', 'uv_poll_start']);
  const floors: Record<string, string> = { GLIBC: GLIBC_FLOOR, GLIBCXX: GLIBCXX_FLOOR, CXXABI: CXXABI_FLOOR };
  for (const { name, version } of info.imports) {
    if (version === undefined) {
      assert.ok(NODE_PROVIDES.test(name) || TOOLCHAIN_WEAK.test(name), `${name} is unversioned, so only node could provide it`);
      continue;
    }
    const [, family, number] = /^(GLIBC|GLIBCXX|CXXABI)_([\d.]+)$/.exec(version) ?? [];
    assert.ok(family && number, `${name}@${version}: a symbol version of neither glibc nor libstdc++`);
    assert.ok(compareVersions(number, floors[family]!) <= 0, `${name}@${version} is newer than ${family}_${floors[family]}`);
  }
  if (node) {
    const provided = elfExports(node);
    const missing = names(info).filter((n) => NODE_PROVIDES.test(n) && !provided.has(n));
    assert.deepEqual(missing, [], `every N-API and libuv function it imports is exported by ${node}`);
  }
}

function checkMacos(info: BinaryInfo, machine: string, newestMinimum: string): void {
  assert.equal(info.format, 'Mach-O');
  assert.equal(info.machine, machine);
  assert.ok(info.exports.includes('napi_register_module_v1'), 'exports the N-API entry point');
  assert.deepEqual(info.libraries, ['/usr/lib/libSystem.B.dylib']);
  assert.ok(info.minimumOs && compareVersions(info.minimumOs, newestMinimum) <= 0, `minimum macOS ${info.minimumOs} ≤ ${newestMinimum}`);
  // The BSD sendfile and mmap from the system; N-API and libuv from node at load time.
  assertImportsAll(info, ['sendfile', 'mmap', 'madvise', 'sigaction', 'napi_create_external_buffer', 'napi_define_class', 'uv_poll_start']);
  for (const name of ['sendfile', 'mmap']) assert.ok(names(info, 'libSystem.B.dylib').includes(name), `${name} from libSystem`);
  assert.deepEqual(names(info, 'flat').filter((n) => !NODE_PROVIDES.test(n)), [], 'only N-API and libuv are looked up in node');
  assert.deepEqual(info.imports.filter((i) => i.from !== 'flat' && i.from !== 'libSystem.B.dylib'), []);
  assert.ok(names(info, 'flat').includes('napi_create_external_buffer'));
}

function checkWindows(info: BinaryInfo, nodeExe: string | undefined): void {
  assert.equal(info.format, 'PE32+');
  assert.equal(info.machine, 'x86-64');
  assert.ok(info.exports.includes('napi_register_module_v1'), 'exports the N-API entry point');
  // node.exe, and DLLs every Windows has (msvcrt.dll is Windows' own C runtime, not the MSVC redistributable).
  const windowsOwn = ['kernel32.dll', 'msvcrt.dll', 'ws2_32.dll', 'advapi32.dll', 'ntdll.dll'];
  assert.deepEqual(info.libraries.filter((l) => l !== 'node.exe' && !windowsOwn.includes(l.toLowerCase())), []);
  assert.ok(info.libraries.includes('node.exe'));
  assert.deepEqual(info.libraries.filter((l) => /^(vcruntime|msvcp|ucrtbase|api-ms-win-crt|libstdc\+\+|libgcc|libwinpthread)/i.test(l)), []);
  const fromNode = names(info, 'node.exe');
  assert.deepEqual(fromNode.filter((n) => !/^(napi_|node_api_)/.test(n)), [], 'only N-API from node.exe');
  // The module's functions (no Transfer class and no mapping on Windows: the addon leaves them out).
  for (const name of ['napi_create_function', 'napi_define_properties', 'napi_get_cb_info']) assert.ok(fromNode.includes(name), `imports ${name} from node.exe`);
  if (nodeExe) {
    const exported = new Set(inspectBinary(nodeExe).exports);
    assert.deepEqual(fromNode.filter((n) => !exported.has(n)), [], `every N-API function it imports is exported by ${nodeExe}`);
  }
}

const CHECKS: Record<PrebuildTarget, (info: BinaryInfo) => void> = {
  'linux-x64': (info) => checkLinux(info, 'x86-64', process.platform === 'linux' && process.arch === 'x64' ? process.execPath : undefined),
  'linux-arm64': (info) => checkLinux(info, 'aarch64', arm64Node()?.executable),
  'darwin-x64': (info) => checkMacos(info, 'x86-64', '10.15'),
  'darwin-arm64': (info) => {
    checkMacos(info, 'aarch64', '11.0');
    assert.equal(info.codeSigned, true, 'signed: Apple silicon loads no unsigned code');
  },
  'win32-x64': (info) => checkWindows(info, windowsNodeExecutable()),
};

describe('the prebuilds npm run package ships', () => {
  for (const [target, check] of Object.entries(CHECKS) as [PrebuildTarget, (info: BinaryInfo) => void][]) {
    const missing = prebuildToolsMissing(target);
    test(`${target}: the right format and CPU, imports what it must and nothing a user's machine may lack`, { skip: skipUnless(missing.length === 0, `the ${target} toolchain (${missing.join(', ')})`) }, () => {
      const file = ensurePrebuild(target);
      assert.equal(path.basename(path.dirname(file)), target, 'in node-gyp-build\'s <platform>-<arch> folder');
      const info = inspectBinary(file);
      check(info);
      console.log(`# ${target}: ${info.format} ${info.machine}, ${info.libraries.join(' ')}; ${info.imports.length} imports${info.minimumOs ? `, macOS ${info.minimumOs}+` : ''}`);
    });
  }

  test('file(1) agrees on every format and CPU', { skip: skipUnless(spawnSync('file', ['--version']).status === 0, 'file') }, () => {
    const expected: Record<PrebuildTarget, RegExp> = {
      'linux-x64': /ELF 64-bit LSB shared object, x86-64/,
      'linux-arm64': /ELF 64-bit LSB shared object, ARM aarch64/,
      'darwin-x64': /Mach-O 64-bit x86_64 dynamically linked shared library/,
      'darwin-arm64': /Mach-O 64-bit arm64 dynamically linked shared library/,
      'win32-x64': /PE32\+ executable \(DLL\).* x86-64.*MS Windows/,
    };
    for (const [target, pattern] of Object.entries(expected) as [PrebuildTarget, RegExp][]) {
      if (prebuildToolsMissing(target).length > 0) continue;
      const r = spawnSync('file', ['-b', ensurePrebuild(target)], { encoding: 'utf8' });
      assert.match(r.stdout, pattern, target);
    }
  });
});
