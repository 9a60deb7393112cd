// The benchmark's HTTP/1.1 keep-alive load client (see http_load.h). Each
// connection sends GET, parses the head, then drops a Content-Length body or
// a chunk's data with recv(MSG_TRUNC) (no copy, on Linux) and parses chunk
// sizes and trailers from small copied reads; it checks nothing but framing:
// lengths and statuses go back to JavaScript, which checks them (the bytes
// themselves are hashed by the verification pass, before any timing).
#ifndef _WIN32

#include "http_load.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace zerocopy {
namespace {

using Clock = std::chrono::steady_clock;

#ifdef __linux__
constexpr int kDropFlags = MSG_TRUNC;  // TCP: discard, nothing copied
#else
constexpr int kDropFlags = 0;
#endif
#ifdef MSG_NOSIGNAL
constexpr int kSendFlags = MSG_NOSIGNAL;
#else
constexpr int kSendFlags = 0;
#endif

constexpr size_t kDropBytes = 1 << 20;
constexpr size_t kSmallRead = 4096;
constexpr size_t kMaxHead = 64 * 1024;
constexpr size_t kMaxLine = 4096;
constexpr int kPollMs = 50;

enum class State { kHead, kLength, kChunkSize, kChunkData, kChunkCrlf, kTrailers, kUntilClose };

// Kept-alive descriptors per port, between runs: keep-alive connections are part of what a
// server is measured with. Touched only by the one run in flight, or by JavaScript when none is.
std::map<int, std::vector<int>> g_pool;
std::atomic<bool> g_busy{false};
std::atomic<bool> g_abort{false};

double Ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

void CloseAll() {
  for (auto& entry : g_pool) {
    for (int fd : entry.second) {
      if (fd >= 0) close(fd);
    }
  }
  g_pool.clear();
}

struct Connection {
  int* fd = nullptr;  // its slot in g_pool
  int left = 0;       // transfers still to start
  bool active = false;
  bool keep_alive = true;
  State state = State::kHead;
  std::string head;
  std::string line;
  long long remaining = 0;
  double bytes = 0;
  int status = 0;
  Clock::time_point started;
};

class LoadRun : public Napi::AsyncWorker {
 public:
  LoadRun(Napi::Function done, int port, std::string path, int connections, int transfers_each, double timeout_ms)
      : Napi::AsyncWorker(done, "zerocopy:httpLoad"),
        port_(port),
        request_("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n"),
        connections_(connections),
        transfers_each_(transfers_each),
        timeout_ms_(timeout_ms) {}

  void Execute() override {
    if (!Run()) CloseAll();
  }

  void OnOK() override {
    g_busy = false;
    Napi::Env env = Env();
    size_t n = ms_.size();
    auto ms = Napi::Float64Array::New(env, n);
    auto bytes = Napi::Float64Array::New(env, n);
    auto status = Napi::Int32Array::New(env, n);
    for (size_t i = 0; i < n; i++) {
      ms[i] = ms_[i];
      bytes[i] = bytes_[i];
      status[i] = status_[i];
    }
    auto result = Napi::Object::New(env);
    result.Set("elapsedMs", elapsed_ms_);
    result.Set("ms", ms);
    result.Set("bytes", bytes);
    result.Set("status", status);
    Callback().Call({env.Undefined(), result});
  }

  void OnError(const Napi::Error& error) override {
    g_busy = false;
    Callback().Call({Napi::String::New(Env(), error.Message())});
  }

 private:
  bool Fail(const std::string& message) {
    SetError(message);
    return false;
  }

  bool Run() {
    std::vector<int>& fds = g_pool[port_];
    if (fds.size() < static_cast<size_t>(connections_)) fds.resize(connections_, -1);
    std::vector<Connection> conns(connections_);
    for (int i = 0; i < connections_; i++) {
      conns[i].fd = &fds[i];
      conns[i].left = transfers_each_;
    }
    drop_.resize(kDropBytes);
    size_t total = static_cast<size_t>(connections_) * transfers_each_;
    ms_.reserve(total);
    bytes_.reserve(total);
    status_.reserve(total);

    const Clock::time_point start = Clock::now();
    const Clock::time_point deadline = start + std::chrono::microseconds(static_cast<long long>(timeout_ms_ * 1000));
    for (auto& c : conns) {
      if (c.left > 0 && !Begin(c)) return false;
    }
    std::vector<pollfd> polled;
    std::vector<Connection*> owners;
    for (;;) {
      polled.clear();
      owners.clear();
      for (auto& c : conns) {
        if (!c.active) continue;
        polled.push_back({*c.fd, POLLIN, 0});
        owners.push_back(&c);
      }
      if (polled.empty()) break;
      if (g_abort) return Fail("aborted");
      if (Clock::now() > deadline) {
        char text[96];
        snprintf(text, sizeof text, "a transfer took longer than %g s", timeout_ms_ / 1000);
        return Fail(text);
      }
      int ready = poll(polled.data(), polled.size(), kPollMs);
      if (ready < 0) {
        if (errno == EINTR) continue;
        return Fail(std::string("poll: ") + strerror(errno));
      }
      for (size_t i = 0; i < polled.size(); i++) {
        if (polled[i].revents != 0 && !Drain(*owners[i])) return false;
      }
    }
    elapsed_ms_ = Ms(Clock::now() - start);
    return true;
  }

  bool Connect(Connection& c) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return Fail(std::string("socket: ") + strerror(errno));
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port_));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      std::string message = std::string("connect to 127.0.0.1:") + std::to_string(port_) + ": " + strerror(errno);
      close(fd);
      return Fail(message);
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    *c.fd = fd;
    c.keep_alive = true;
    return true;
  }

  // Sends the next request on the connection (opening it again if the server closed it).
  bool Begin(Connection& c) {
    if (*c.fd < 0 && !Connect(c)) return false;
    c.left--;
    c.active = true;
    c.state = State::kHead;
    c.head.clear();
    c.line.clear();
    c.bytes = 0;
    c.status = 0;
    c.started = Clock::now();
    ssize_t sent = send(*c.fd, request_.data(), request_.size(), kSendFlags);
    if (sent != static_cast<ssize_t>(request_.size())) {
      return Fail(std::string("sending a request: ") + (sent < 0 ? strerror(errno) : "a partial write"));
    }
    return true;
  }

  bool Complete(Connection& c) {
    c.active = false;
    ms_.push_back(Ms(Clock::now() - c.started));
    bytes_.push_back(c.bytes);
    status_.push_back(c.status);
    if (!c.keep_alive && *c.fd >= 0) {
      close(*c.fd);
      *c.fd = -1;
    }
    return c.left > 0 ? Begin(c) : true;
  }

  // Reads what the socket has now.
  bool Drain(Connection& c) {
    char small[kSmallRead];
    while (c.active) {
      ssize_t n;
      bool bulk = (c.state == State::kLength || c.state == State::kChunkData) && c.remaining > 0;
      if (bulk) {
        n = recv(*c.fd, drop_.data(), static_cast<size_t>(std::min<long long>(c.remaining, kDropBytes)), kDropFlags);
        if (n > 0) {
          c.bytes += n;
          c.remaining -= n;
          if (c.remaining == 0) {
            if (c.state == State::kChunkData) c.state = State::kChunkCrlf;
            else if (!Complete(c)) return false;
          }
        }
      } else if (c.state == State::kUntilClose) {
        n = recv(*c.fd, drop_.data(), kDropBytes, kDropFlags);
        if (n > 0) c.bytes += n;
      } else {
        n = recv(*c.fd, small, sizeof small, 0);
        if (n > 0 && !Consume(c, small, static_cast<size_t>(n))) return false;
      }
      if (n == 0) {
        close(*c.fd);
        *c.fd = -1;
        if (c.state == State::kUntilClose) return Complete(c);
        char bytes[32];
        snprintf(bytes, sizeof bytes, "%.0f", c.bytes);
        return Fail(std::string("the server closed the connection after ") + bytes + " body bytes (status " + (c.status ? std::to_string(c.status) : "none") + ")");
      }
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
        if (errno == EINTR) continue;
        return Fail(std::string("recv: ") + strerror(errno));
      }
    }
    return true;
  }

  // Parses copied bytes: the head, chunk sizes, trailers, and any body bytes read with them.
  bool Consume(Connection& c, const char* data, size_t n) {
    size_t at = 0;
    const size_t finished = ms_.size();
    // Up to the end of one response: the next request (sent by Complete) has not been answered yet.
    while (at < n && c.active && ms_.size() == finished) {
      switch (c.state) {
        case State::kHead: {
          size_t before = c.head.size();
          c.head.append(data + at, n - at);
          size_t end = c.head.find("\r\n\r\n", before >= 3 ? before - 3 : 0);
          if (end == std::string::npos) {
            if (c.head.size() > kMaxHead) return Fail("response head over 64 KiB");
            at = n;
            break;
          }
          at = n - (c.head.size() - (end + 4));
          c.head.resize(end);
          if (!StartBody(c)) return false;
          break;
        }
        case State::kLength:
        case State::kChunkData: {
          size_t take = static_cast<size_t>(std::min<long long>(c.remaining, static_cast<long long>(n - at)));
          c.bytes += take;
          c.remaining -= take;
          at += take;
          if (c.remaining == 0) {
            if (c.state == State::kChunkData) c.state = State::kChunkCrlf;
            else if (!Complete(c)) return false;
          }
          break;
        }
        case State::kUntilClose:
          c.bytes += n - at;
          at = n;
          break;
        case State::kChunkSize:
        case State::kChunkCrlf:
        case State::kTrailers: {
          const char* nl = static_cast<const char*>(memchr(data + at, '\n', n - at));
          size_t upto = nl ? static_cast<size_t>(nl - data) + 1 : n;
          c.line.append(data + at, upto - at);
          at = upto;
          if (!nl) {
            if (c.line.size() > kMaxLine) return Fail("a chunk-size or trailer line over 4 KiB");
            break;
          }
          std::string line = Trim(c.line);
          c.line.clear();
          if (c.state == State::kChunkSize) {
            char* end = nullptr;
            long long size = strtoll(line.c_str(), &end, 16);
            if (end == line.c_str() || size < 0 || (*end != '\0' && *end != ';' && *end != ' ')) return Fail("bad chunk size '" + line + "'");
            if (size == 0) {
              c.state = State::kTrailers;
            } else {
              c.remaining = size;
              c.state = State::kChunkData;
            }
          } else if (c.state == State::kChunkCrlf) {
            if (!line.empty()) return Fail("no CRLF after a chunk's data");
            c.state = State::kChunkSize;
          } else if (line.empty() && !Complete(c)) {
            return false;
          }
          break;
        }
      }
    }
    // Bytes after a whole response, read before the next request went out, belong to no request:
    // dropped, as the Node client does.
    return true;
  }

  static std::string Trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    size_t e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
  }

  static std::string Lower(std::string s) {
    for (char& ch : s) ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
    return s;
  }

  bool StartBody(Connection& c) {
    const std::string& head = c.head;
    size_t eol = head.find("\r\n");
    std::string first = head.substr(0, eol);
    if (first.size() >= 12 && first.compare(0, 7, "HTTP/1.") == 0 && first[8] == ' ') c.status = atoi(first.c_str() + 9);
    c.keep_alive = first.compare(0, 8, "HTTP/1.0") != 0;
    long long length = -1;
    bool chunked = false;
    for (size_t at = eol == std::string::npos ? head.size() : eol + 2; at < head.size();) {
      size_t next = head.find("\r\n", at);
      if (next == std::string::npos) next = head.size();
      std::string line = head.substr(at, next - at);
      at = next + 2;
      size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = Lower(Trim(line.substr(0, colon)));
      std::string value = Lower(Trim(line.substr(colon + 1)));
      if (name == "content-length") length = strtoll(value.c_str(), nullptr, 10);
      else if (name == "transfer-encoding" && value.find("chunked") != std::string::npos) chunked = true;
      else if (name == "connection") c.keep_alive = value != "close";
    }
    if (chunked) {
      c.state = State::kChunkSize;
    } else if (length >= 0) {
      c.remaining = length;
      c.state = State::kLength;
      if (length == 0) return Complete(c);
    } else {
      c.keep_alive = false;
      c.state = State::kUntilClose;
    }
    return true;
  }

  const int port_;
  const std::string request_;
  const int connections_;
  const int transfers_each_;
  const double timeout_ms_;
  std::vector<char> drop_;
  std::vector<double> ms_;
  std::vector<double> bytes_;
  std::vector<int> status_;
  double elapsed_ms_ = 0;
};

}  // namespace

Napi::Value HttpLoad(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 6 || !info[0].IsNumber() || !info[1].IsString() || !info[2].IsNumber() || !info[3].IsNumber() || !info[4].IsNumber() || !info[5].IsFunction()) {
    Napi::TypeError::New(env, "httpLoad(port, path, connections, transfersEach, timeoutMs, done)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int connections = info[2].As<Napi::Number>().Int32Value();
  int transfers_each = info[3].As<Napi::Number>().Int32Value();
  if (connections < 1 || transfers_each < 0) {
    Napi::RangeError::New(env, "httpLoad: connections must be at least 1, transfersEach at least 0").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (g_busy.exchange(true)) {
    Napi::Error::New(env, "httpLoad: a run is already in flight").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  // Reset here, on the JavaScript thread: an abort that arrives after this call (and before the
  // worker starts) still stops the run.
  g_abort = false;
  auto* run = new LoadRun(info[5].As<Napi::Function>(), info[0].As<Napi::Number>().Int32Value(), info[1].As<Napi::String>().Utf8Value(), connections,
                          transfers_each, info[4].As<Napi::Number>().DoubleValue());
  run->Queue();
  return env.Undefined();
}

Napi::Value HttpLoadAbort(const Napi::CallbackInfo& info) {
  if (g_busy) g_abort = true;
  return info.Env().Undefined();
}

Napi::Value HttpLoadClose(const Napi::CallbackInfo& info) {
  if (g_busy) return Napi::Boolean::New(info.Env(), false);
  CloseAll();
  return Napi::Boolean::New(info.Env(), true);
}

}  // namespace zerocopy

#endif
