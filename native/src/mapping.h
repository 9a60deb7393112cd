// mapFile: a private copy-on-write mapping of a whole file, as a Buffer that
// unmaps itself when collected.
#pragma once
#include <napi.h>

namespace zerocopy {

// mapFile(fd, length, populate) -> Buffer, or -errno when mmap fails, or
// undefined when the runtime forbids external buffers (Electron's V8 sandbox).
Napi::Value MapFile(const Napi::CallbackInfo& info);
// recoveredPages() -> pages the SIGBUS guard replaced with zeros so far.
Napi::Value RecoveredPagesCount(const Napi::CallbackInfo& info);

}  // namespace zerocopy
