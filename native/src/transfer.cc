#ifndef _WIN32
#include "transfer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>

#include "send_chunk.h"

namespace zerocopy {

namespace {

// Largest single sendfile call: keeps one call short, as nginx's
// sendfile_max_chunk does, while the slice budget bounds a whole turn.
constexpr int64_t kMaxChunk = 2 * 1024 * 1024;

int64_t ToInt64(const Napi::Value& value) {
  return value.As<Napi::Number>().Int64Value();
}

}  // namespace

Napi::Function Transfer::Define(Napi::Env env) {
  return DefineClass(env, "Transfer",
                     {InstanceMethod<&Transfer::Pump>("pump"),
                      InstanceMethod<&Transfer::Cancel>("cancel"),
                      InstanceAccessor<&Transfer::Bytes>("bytes")});
}

// Arguments are validated by the TypeScript wrapper; here they are only read.
Transfer::Transfer(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<Transfer>(info),
      socket_fd_(info[0].As<Napi::Number>().Int32Value()),
      file_fd_(info[1].As<Napi::Number>().Int32Value()),
      offset_(ToInt64(info[2])),
      remaining_(ToInt64(info[3])),
      slice_bytes_(std::max<int64_t>(ToInt64(info[4]), 1)),
      on_settled_(Napi::Persistent(info[5].As<Napi::Function>())) {}

Transfer::~Transfer() { StopPolling(); }

Napi::Value Transfer::Bytes(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(sent_));
}

// Sends until the slice budget is spent, the socket is full, or the range is
// done. Returns kDone, kEndOfFile, kPending (call again when writable), or -errno.
static int SendRange(int socket_fd, int file_fd, int64_t* offset, int64_t* remaining, int64_t budget, int64_t* sent) {
  while (*remaining > 0) {
    if (budget <= 0) return Transfer::kPending;
    const int64_t want = std::min({*remaining, budget, kMaxChunk});
    const int64_t result = SendChunk(socket_fd, file_fd, *offset, static_cast<size_t>(want));
    if (result > 0) {
      *sent += result;
      *offset += result;
      *remaining -= result;
      budget -= result;
    } else if (result == 0) {
      return Transfer::kEndOfFile;  // the file is shorter than when it was checked
    } else if (result == -EAGAIN || result == -EWOULDBLOCK) {
      return Transfer::kPending;
    } else {
      return static_cast<int>(result);
    }
  }
  return Transfer::kDone;
}

int Transfer::SendSlice() {
  const int fd = polled_fd_ >= 0 ? polled_fd_ : socket_fd_;
  return SendRange(fd, file_fd_, &offset_, &remaining_, slice_bytes_, &sent_);
}

Napi::Value TrySend(const Napi::CallbackInfo& info) {
  const int socket_fd = info[0].As<Napi::Number>().Int32Value();
  const int file_fd = info[1].As<Napi::Number>().Int32Value();
  int64_t offset = ToInt64(info[2]);
  int64_t remaining = ToInt64(info[3]);
  const int64_t budget = ToInt64(info[4]);
  int64_t sent = 0;
  size_t length = 0;
  if (info.Length() > 5 && info[5].IsString()) {
    napi_get_value_string_latin1(info.Env(), info[5], nullptr, 0, &length);
  }
  if (length > 0) {
    // The head (an HTTP response's status line and headers) goes first; the
    // file follows only once all of it is in the socket.
    std::string bytes(length + 1, '\0');  // napi writes a terminating NUL
    napi_get_value_string_latin1(info.Env(), info[5], &bytes[0], bytes.size(), &length);
    const int64_t written = SendBytes(socket_fd, bytes.data(), length, remaining > 0);
    if (written < 0) return Napi::Number::New(info.Env(), static_cast<double>(written));
    sent = written;
    if (static_cast<size_t>(written) < length) return Napi::Number::New(info.Env(), static_cast<double>(sent));
  }
  const int status = SendRange(socket_fd, file_fd, &offset, &remaining, budget, &sent);
  // Bytes that went out come first; an error after some bytes recurs on the next call.
  if (sent > 0 || status == Transfer::kDone || status == Transfer::kPending) {
    return Napi::Number::New(info.Env(), static_cast<double>(sent));
  }
  return Napi::Number::New(info.Env(), status == Transfer::kEndOfFile ? kTrySendEndOfFile : status);
}

Napi::Value Transfer::Pump(const Napi::CallbackInfo& info) {
  int status = SendSlice();
  if (status == kPending) status = StartPolling();
  // The callback usually closes over this object: holding it past the end
  // would be a cycle through a strong reference that GC cannot break.
  if (status != kPending) on_settled_.Reset();
  return Napi::Number::New(info.Env(), status);
}

int Transfer::StartPolling() {
  // The descriptor number JS gave us may be closed and reused once we return,
  // so everything after this point uses our own duplicate.
  polled_fd_ = fcntl(socket_fd_, F_DUPFD_CLOEXEC, 0);
  if (polled_fd_ < 0) return -errno;
  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(Env(), &loop);
  auto* poll = new uv_poll_t;
  int rc = uv_poll_init(loop, poll, polled_fd_);
  if (rc != 0) {
    delete poll;  // never initialised, so never closed
    close(polled_fd_);
    polled_fd_ = -1;
    return rc;  // libuv errors are -errno on Unix
  }
  poll_ = poll;
  poll_->data = this;
  rc = uv_poll_start(poll_, UV_WRITABLE, &Transfer::OnWritable);
  if (rc != 0) {
    StopPolling();
    return rc;
  }
  async_context_ = std::make_unique<Napi::AsyncContext>(Env(), "zerocopy.sendFile");
  Ref();  // stay alive while the loop holds a pointer to us
  return kPending;
}

void Transfer::StopPolling() {
  if (poll_ != nullptr) {
    poll_->data = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(poll_),
             [](uv_handle_t* handle) { delete reinterpret_cast<uv_poll_t*>(handle); });
    poll_ = nullptr;
  }
  if (polled_fd_ >= 0) {
    close(polled_fd_);  // safe: uv_close already removed it from epoll
    polled_fd_ = -1;
  }
}

void Transfer::OnWritable(uv_poll_t* handle, int status, int events) {
  auto* self = static_cast<Transfer*>(handle->data);
  if (self == nullptr) return;
  // libuv reports a socket error (POLLERR) as UV_EBADF and stops polling;
  // sendfile itself then tells what really happened (ECONNRESET, EPIPE...).
  int result = self->SendSlice();
  if (status < 0 && result == kPending) result = status;
  if (result != kPending) self->Settle(result);
}

void Transfer::Settle(int status) {
  Napi::Env env = Env();
  Napi::HandleScope scope(env);
  StopPolling();
  std::unique_ptr<Napi::AsyncContext> context = std::move(async_context_);
  // MakeCallback so that promise reactions queued by the callback run now.
  on_settled_.MakeCallback(env.Global(),
                           {Napi::Number::New(env, status),
                            Napi::Number::New(env, static_cast<double>(sent_))},
                           *context);
  on_settled_.Reset();
  Unref();
}

Napi::Value Transfer::Cancel(const Napi::CallbackInfo& info) {
  if (poll_ != nullptr) {
    StopPolling();
    async_context_.reset();
    on_settled_.Reset();
    Unref();
  }
  return Napi::Number::New(info.Env(), static_cast<double>(sent_));
}

}  // namespace zerocopy
#endif  // _WIN32
