// A file-to-socket transfer that runs on the event loop: sendfile in bounded
// slices, and on EAGAIN a uv_poll on a dup'd socket descriptor (so libuv's own
// handle for the socket is untouched) instead of a thread-pool thread.
#pragma once
#ifndef _WIN32

#include <napi.h>
#include <uv.h>

#include <cstdint>
#include <memory>

namespace zerocopy {

class Transfer : public Napi::ObjectWrap<Transfer> {
 public:
  // Status codes shared with lib/native-transfer.ts. Errors are -errno.
  static constexpr int kDone = 0;
  static constexpr int kPending = 1;
  static constexpr int kEndOfFile = 2;

  static Napi::Function Define(Napi::Env env);

  // new Transfer(socketFd, fileFd, offset, length, sliceBytes, onSettled)
  explicit Transfer(const Napi::CallbackInfo& info);
  ~Transfer() override;

 private:
  // pump(): sends one slice now. Returns kDone, kEndOfFile, -errno, or
  // kPending after which onSettled(status, bytes) is called exactly once.
  Napi::Value Pump(const Napi::CallbackInfo& info);
  // cancel(): stops a pending transfer; onSettled is then never called.
  Napi::Value Cancel(const Napi::CallbackInfo& info);
  Napi::Value Bytes(const Napi::CallbackInfo& info);

  int SendSlice();
  int StartPolling();
  void StopPolling();
  void Settle(int status);
  static void OnWritable(uv_poll_t* handle, int status, int events);

  int socket_fd_;
  int polled_fd_ = -1;  // dup of socket_fd_, owned while polling
  int file_fd_;
  int64_t offset_;
  int64_t remaining_;
  int64_t sent_ = 0;
  int64_t slice_bytes_;
  uv_poll_t* poll_ = nullptr;  // freed by its close callback, never by us
  Napi::FunctionReference on_settled_;
  std::unique_ptr<Napi::AsyncContext> async_context_;
};

// trySend(socketFd, fileFd, offset, length, budget[, head]): one synchronous
// slice, no object, for the common case of a transfer the socket takes at
// once. `head`, a latin1 string (an HTTP response's headers), is written
// before the file in the same call; the file is sent only once all of the
// head went out. Returns the bytes sent, head included (>= 0), or, when
// nothing was sent, -errno or kTrySendEndOfFile.
Napi::Value TrySend(const Napi::CallbackInfo& info);
constexpr int kTrySendEndOfFile = -4096;  // beyond every errno

}  // namespace zerocopy

#endif  // _WIN32
