// mapFile: a private copy-on-write mapping of a whole file, as a Buffer that
// unmaps itself when collected.
#pragma once
#include <napi.h>

namespace zerocopy {

// mapFile(fd, length, populate) -> Buffer, or -errno when mmap fails, or
// undefined when the runtime forbids external buffers (Electron's V8 sandbox).
Napi::Value MapFile(const Napi::CallbackInfo& info);
// mapFileAsync(path, fd, populate, maxLength, done): in the thread pool, opens
// `path` (a Buffer of its bytes, without NUL; or anything else to use `fd`)
// read-only without blocking on a FIFO, checks it is a regular file of at most
// maxLength bytes, maps it privately and, with `populate`, populates its pages
// there. Then, on the main thread, done(0, buffer); done(kMapEmpty) for a file
// of size 0 and done(kMapNoExternalBuffers) where external buffers are
// forbidden (the caller copies the file instead); done(-errno, syscall),
// done(kNotRegularFile, syscall) or done(kMapTooLarge, size) on failure.
// Linux and macOS only.
Napi::Value MapFileAsync(const Napi::CallbackInfo& info);
constexpr int kMapEmpty = 1;
constexpr int kMapNoExternalBuffers = 2;
constexpr int kMapTooLarge = -4098;  // beyond every errno, beside kNotRegularFile
// ensureSigbusGuard() -> whether the SIGBUS guard is in place, put back on top
// of a handler installed after it (see sigbus_guard.h).
Napi::Value EnsureSigbusGuardNow(const Napi::CallbackInfo& info);
// recoveredPages() -> pages the SIGBUS guard replaced with zeros so far.
Napi::Value RecoveredPagesCount(const Napi::CallbackInfo& info);

}  // namespace zerocopy
