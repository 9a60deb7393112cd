#include "file_info.h"

#include <atomic>
#include <cstdint>
#include <cerrno>
#include <string>

#ifndef _WIN32
#include <fcntl.h>
#include <sys/stat.h>
#endif
#if defined(__linux__)
#include <sys/uio.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#if defined(__linux__) && defined(SYS_openat2) && defined(RESOLVE_CACHED)
#define ZEROCOPY_OPEN_CACHED 1
#endif
#if defined(__linux__) && defined(RWF_NOWAIT)
#define ZEROCOPY_READ_CACHED 1
#endif

namespace zerocopy {
namespace {

#ifndef _WIN32

Napi::Value RegularFileSize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  struct stat st;
  if (fstat(info[0].As<Napi::Number>().Int32Value(), &st) == 0 && S_ISREG(st.st_mode)) {
    return Napi::Number::New(env, static_cast<double>(st.st_size));
  }
  return env.Undefined();
}

#endif

#ifdef ZEROCOPY_OPEN_CACHED

std::atomic<bool> g_openat2_missing{false};  // kernels before 5.12 (RESOLVE_CACHED)

Napi::Value OpenCached(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (g_openat2_missing.load(std::memory_order_relaxed)) return Napi::Number::New(env, -ENOSYS);
  const std::string path = info[0].As<Napi::String>().Utf8Value();
  struct open_how how = {};
  // O_NONBLOCK so that a FIFO cannot block the open. It is left set: on a
  // regular file it changes nothing, and sendfile(2) ignores it on its input
  // (do_sendfile keeps SPLICE_F_NONBLOCK for the input under "#if 0"), as
  // nginx relies on when it opens every file it sends with O_NONBLOCK.
  how.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK;
  how.resolve = RESOLVE_CACHED;
  const int fd = static_cast<int>(syscall(SYS_openat2, AT_FDCWD, path.c_str(), &how, sizeof how));
  if (fd < 0) {
    const int error = errno;
    if (error == ENOSYS || error == E2BIG || error == EINVAL) g_openat2_missing.store(true, std::memory_order_relaxed);
    return Napi::Number::New(env, -error);
  }
  // Only regular files take this path; their size goes back with the descriptor.
  struct stat st;
  int result = fd;
  if (fstat(fd, &st) != 0) {
    result = -errno;
  } else if (S_ISDIR(st.st_mode)) {
    result = -EISDIR;
  } else if (!S_ISREG(st.st_mode)) {
    result = kNotRegularFile;
  } else {
    info[1].As<Napi::TypedArrayOf<double>>()[0] = static_cast<double>(st.st_size);
  }
  if (result != fd) close(fd);
  return Napi::Number::New(env, result);
}

#endif

#ifdef ZEROCOPY_READ_CACHED

Napi::Value ReadCached(const Napi::CallbackInfo& info) {
  const int fd = info[0].As<Napi::Number>().Int32Value();
  Napi::Buffer<char> buffer = info[1].As<Napi::Buffer<char>>();
  int64_t position = info[2].As<Napi::Number>().Int64Value();
  size_t filled = 0;
  while (filled < buffer.Length()) {
    struct iovec part = {buffer.Data() + filled, buffer.Length() - filled};
    const ssize_t n = preadv2(fd, &part, 1, position, RWF_NOWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // end of file, EAGAIN (not cached), or an error the slow path reports
    filled += static_cast<size_t>(n);
    position += n;
  }
  return Napi::Number::New(info.Env(), static_cast<double>(filled));
}

#endif

}  // namespace

void ExportFileInfo(Napi::Env env, Napi::Object exports) {
#ifndef _WIN32
  exports.Set("regularFileSize", Napi::Function::New<RegularFileSize>(env, "regularFileSize"));
#endif
#ifdef ZEROCOPY_OPEN_CACHED
  exports.Set("openCached", Napi::Function::New<OpenCached>(env, "openCached"));
#endif
#ifdef ZEROCOPY_READ_CACHED
  exports.Set("readCached", Napi::Function::New<ReadCached>(env, "readCached"));
#endif
}

}  // namespace zerocopy
