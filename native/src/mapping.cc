#include "mapping.h"

#include <cerrno>

#include "sigbus_guard.h"

#if defined(__linux__) || defined(__APPLE__)
#include <sys/mman.h>
#endif

namespace zerocopy {

#if defined(__linux__) || defined(__APPLE__)

namespace {

// Not MAP_POPULATE: on a private writable mapping it write-faults every page,
// which copies the whole file into anonymous memory. MADV_POPULATE_READ
// (Linux 5.14) maps the page cache read-only instead; older kernels get a
// read-ahead hint.
void Prefault(void* address, size_t length) {
#if defined(__linux__)
  constexpr int kPopulateRead = 22;  // MADV_POPULATE_READ, absent from older headers
  if (madvise(address, length, kPopulateRead) == 0) return;
#endif
  madvise(address, length, MADV_WILLNEED);
}

void Unmap(napi_env env, void* data, void* hint) {
  const size_t length = reinterpret_cast<size_t>(hint);
  UnregisterMapping(data);
  munmap(data, length);
  int64_t adjusted = 0;
  napi_adjust_external_memory(env, -static_cast<int64_t>(length), &adjusted);
}

}  // namespace

Napi::Value MapFile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int fd = info[0].As<Napi::Number>().Int32Value();
  const size_t length = static_cast<size_t>(info[1].As<Napi::Number>().Int64Value());
  const bool populate = info[2].ToBoolean();
  // PROT_WRITE on a private mapping of a read-only descriptor: writes land in
  // private copies of the pages and never reach the file.
  void* address = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  if (address == MAP_FAILED) return Napi::Number::New(env, -errno);
  RegisterMapping(address, length);
  if (populate) Prefault(address, length);

  napi_value buffer = nullptr;
  napi_status status = napi_create_external_buffer(
      env, length, address, Unmap, reinterpret_cast<void*>(length), &buffer);
  if (status != napi_ok) {
    UnregisterMapping(address);
    munmap(address, length);
    if (status == napi_no_external_buffers_allowed) return env.Undefined();
    Napi::Error::New(env, "napi_create_external_buffer failed").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  // Tell V8 how much memory the Buffer holds so that GC pressure unmaps it.
  int64_t adjusted = 0;
  napi_adjust_external_memory(env, static_cast<int64_t>(length), &adjusted);
  return Napi::Value(env, buffer);
}

#else

Napi::Value MapFile(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), -ENOSYS);
}

#endif

Napi::Value RecoveredPagesCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(RecoveredPages()));
}

}  // namespace zerocopy
