// Opening and sizing a file on the event loop when that cannot block.
#pragma once
#include <napi.h>

namespace zerocopy {

// Sets on `exports` those of these functions this platform has (the wrapper
// does without the others):
//
// regularFileSize(fd) -> size in bytes, or undefined when fstat fails or the
// descriptor is not a regular file (the caller then asks fs for the details).
// Not on Windows.
//
// openCached(path) -> a read-only descriptor of a regular file, -EISDIR for a
// directory, kNotRegularFile for another kind of file, or -errno. Linux only:
// it uses openat2(RESOLVE_CACHED), which succeeds only when the path resolves
// from the dentry cache, i.e. without waiting on a disk; -EAGAIN says it was
// not cached, -ENOSYS that this kernel (before 5.12) cannot. On those and
// other errors the caller opens through the thread pool as usual, which also
// yields Node's own error for the path. The path must not contain NUL
// characters (the caller checks).
//
// readCached(fd, buffer, position) -> bytes read into buffer from position,
// reading only what is in the page cache (preadv2 with RWF_NOWAIT, Linux
// 4.14+): it stops early at end of file or at the first page that would need
// the disk. Linux only. The caller reads the rest through the thread pool.
void ExportFileInfo(Napi::Env env, Napi::Object exports);

constexpr int kNotRegularFile = -4097;  // what openCached returns for other kinds of file: beyond every errno

}  // namespace zerocopy
