#include "mapping.h"

#include <cerrno>
#include <string>

#include "file_info.h"
#include "sigbus_guard.h"

#if defined(__linux__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
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

// The thread pool may wait on the disk: besides asking the kernel, touch one
// byte per page where MADV_POPULATE_READ is missing, so the main thread does
// not take the faults later.
void PrefaultInBackground(void* address, size_t length) {
#if defined(__linux__)
  constexpr int kPopulateRead = 22;
  if (madvise(address, length, kPopulateRead) == 0) return;
  if (errno != EINVAL) return;  // EFAULT: the file shrank meanwhile; the SIGBUS guard covers the rest
#endif
  madvise(address, length, MADV_WILLNEED);
  const long page = sysconf(_SC_PAGESIZE);
  const volatile unsigned char* bytes = static_cast<const volatile unsigned char*>(address);
  for (size_t offset = 0; offset < length; offset += static_cast<size_t>(page)) (void)bytes[offset];
}

void Unmap(napi_env env, void* data, void* hint) {
  const size_t length = reinterpret_cast<size_t>(hint);
  UnregisterMapping(data);
  munmap(data, length);
  int64_t adjusted = 0;
  napi_adjust_external_memory(env, -static_cast<int64_t>(length), &adjusted);
}

// A Buffer over the mapping that unmaps it when collected; nullptr (mapping
// left to the caller) when the runtime forbids external buffers.
napi_value WrapMapping(napi_env env, void* address, size_t length, bool* forbidden) {
  napi_value buffer = nullptr;
  const napi_status status = napi_create_external_buffer(
      env, length, address, Unmap, reinterpret_cast<void*>(length), &buffer);
  *forbidden = status == napi_no_external_buffers_allowed;
  if (status != napi_ok) return nullptr;
  // Tell V8 how much memory the Buffer holds so that GC pressure unmaps it.
  int64_t adjusted = 0;
  napi_adjust_external_memory(env, static_cast<int64_t>(length), &adjusted);
  return buffer;
}

// Opens (when given a path), checks and maps a file in the thread pool; the
// callback gets the outcome on the main thread. Outcomes are numbers so that
// TypeScript shapes the errors as fs does (see mapping.h).
class MapWorker : public Napi::AsyncWorker {
 public:
  MapWorker(Napi::Function done, std::string path, bool has_path, int fd, bool populate, double max_length)
      : Napi::AsyncWorker(done, "zerocopy.mapFile"),
        path_(std::move(path)),
        has_path_(has_path),
        fd_(fd),
        populate_(populate),
        max_length_(max_length) {}

  ~MapWorker() override {
    // Never handed to a Buffer (cancelled at teardown, or no Buffer could be made).
    if (address_ != nullptr) {
      UnregisterMapping(address_);
      munmap(address_, length_);
    }
  }

  void Execute() override {
    int fd = fd_;
    if (has_path_) {
      // O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOCTTY: a
      // terminal must not become ours. Neither changes a regular file.
      do {
        fd = open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
      } while (fd < 0 && errno == EINTR);
      if (fd < 0) return Fail(-errno, "open");
    }
    MapOpened(fd);
    if (has_path_) close(fd);
  }

  void OnOK() override {
    Napi::Env env = Env();
    if (address_ == nullptr) {
      Callback().Call({Napi::Number::New(env, kMapEmpty)});
      return;
    }
    bool forbidden = false;
    napi_value buffer = WrapMapping(env, address_, length_, &forbidden);
    if (buffer == nullptr) {
      if (!forbidden) {
        Callback().Call({Napi::Number::New(env, -ENOMEM), Napi::String::New(env, "napi_create_external_buffer")});
        return;
      }
      Callback().Call({Napi::Number::New(env, kMapNoExternalBuffers)});
      return;  // the destructor unmaps
    }
    address_ = nullptr;  // the Buffer owns it now
    Callback().Call({Napi::Number::New(env, 0), buffer});
  }

  void OnError(const Napi::Error&) override {
    Napi::Env env = Env();
    Napi::Value detail = status_ == kMapTooLarge ? Napi::Number::New(env, size_).As<Napi::Value>()
                                                 : Napi::String::New(env, syscall_).As<Napi::Value>();
    Callback().Call({Napi::Number::New(env, status_), detail});
  }

 private:
  void Fail(int status, const char* syscall) {
    status_ = status;
    syscall_ = syscall;
    SetError(syscall);  // routes completion to OnError
  }

  void MapOpened(int fd) {
    struct stat st;
    if (fstat(fd, &st) != 0) return Fail(-errno, "fstat");
    if (S_ISDIR(st.st_mode)) return Fail(-EISDIR, "mmap");
    if (!S_ISREG(st.st_mode)) return Fail(kNotRegularFile, "fstat");
    if (st.st_size == 0) return;  // nothing to map: OnOK reports it, TypeScript reads to the end
    size_ = static_cast<double>(st.st_size);
    if (size_ > max_length_) return Fail(kMapTooLarge, "fstat");
    length_ = static_cast<size_t>(st.st_size);
    void* address = mmap(nullptr, length_, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (address == MAP_FAILED) return Fail(-errno, "mmap");
    RegisterMapping(address, length_);
    address_ = address;
    if (populate_) PrefaultInBackground(address_, length_);
  }

  const std::string path_;
  const bool has_path_;
  const int fd_;
  const bool populate_;
  const double max_length_;
  void* address_ = nullptr;
  size_t length_ = 0;
  double size_ = 0;
  int status_ = 0;
  const char* syscall_ = "";
};

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

  bool forbidden = false;
  napi_value buffer = WrapMapping(env, address, length, &forbidden);
  if (buffer == nullptr) {
    UnregisterMapping(address);
    munmap(address, length);
    if (forbidden) return env.Undefined();
    Napi::Error::New(env, "napi_create_external_buffer failed").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Value(env, buffer);
}

Napi::Value MapFileAsync(const Napi::CallbackInfo& info) {
  const bool has_path = info[0].IsBuffer();
  std::string path;
  if (has_path) {
    Napi::Buffer<char> bytes = info[0].As<Napi::Buffer<char>>();
    path.assign(bytes.Data(), bytes.Length());  // the wrapper refused NUL bytes
  }
  auto* worker = new MapWorker(info[4].As<Napi::Function>(), std::move(path), has_path,
                               info[1].As<Napi::Number>().Int32Value(), info[2].ToBoolean(),
                               info[3].As<Napi::Number>().DoubleValue());
  worker->Queue();  // deleted by node-addon-api once its callback ran
  return info.Env().Undefined();
}

#else

Napi::Value MapFile(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), -ENOSYS);
}

#endif

Napi::Value EnsureSigbusGuardNow(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), EnsureSigbusGuard());
}

Napi::Value RecoveredPagesCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(RecoveredPages()));
}

}  // namespace zerocopy
