#include "send_chunk.h"

#include <cerrno>

#ifndef _WIN32
#include <sys/socket.h>
#endif
#if defined(__linux__)
#include <sys/sendfile.h>
#elif defined(__APPLE__)
#include <sys/types.h>
#include <sys/uio.h>
#endif

namespace zerocopy {

#if defined(__linux__)

const bool kHasSendfile = true;

int64_t SendChunk(int socket_fd, int file_fd, int64_t offset, size_t count) {
  off_t position = static_cast<off_t>(offset);
  for (;;) {
    ssize_t sent = sendfile(socket_fd, file_fd, &position, count);
    if (sent >= 0) return sent;
    if (errno != EINTR) return -errno;
  }
}

#elif defined(__APPLE__)

const bool kHasSendfile = true;

// macOS: sendfile(file, socket, offset, &len, headers, flags); `len` reports
// what was sent even when the call fails with EAGAIN or EINTR.
int64_t SendChunk(int socket_fd, int file_fd, int64_t offset, size_t count) {
  for (;;) {
    off_t length = static_cast<off_t>(count);
    int rc = sendfile(file_fd, socket_fd, static_cast<off_t>(offset), &length, nullptr, 0);
    if (rc == 0) return length;  // 0 means end of file
    if (length > 0 && (errno == EAGAIN || errno == EINTR)) return length;
    if (errno != EINTR) return -errno;
  }
}

#else

const bool kHasSendfile = false;

int64_t SendChunk(int, int, int64_t, size_t) { return -ENOSYS; }

#endif

#ifndef _WIN32

int64_t SendBytes(int socket_fd, const char* data, size_t length, bool more) {
#ifdef MSG_MORE
  const int flags = more ? MSG_MORE : 0;
#else
  const int flags = 0;
#endif
  for (;;) {
    const ssize_t sent = send(socket_fd, data, length, flags);
    if (sent >= 0) return sent;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    if (errno != EINTR) return -errno;
  }
}

#endif

}  // namespace zerocopy
