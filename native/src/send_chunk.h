// One non-blocking sendfile call, with the platform differences hidden.
#pragma once
#include <cstddef>
#include <cstdint>

namespace zerocopy {

// Whether this platform has a file-to-socket sendfile the addon knows how to call.
extern const bool kHasSendfile;

// Sends up to `count` bytes of `file_fd` starting at `offset` to `socket_fd`.
// Returns the bytes sent (> 0), 0 at end of file, or -errno (-EAGAIN when the
// socket buffer is full and nothing was sent).
int64_t SendChunk(int socket_fd, int file_fd, int64_t offset, size_t count);

// Writes up to `length` bytes of `data` to `socket_fd` with one send(2); with
// `more`, tells the kernel that more bytes follow at once (Linux MSG_MORE), so
// a short head goes out in the same segment as the file's first bytes.
// Returns the bytes written (>= 0; 0 when the socket is full) or -errno.
int64_t SendBytes(int socket_fd, const char* data, size_t length, bool more);

}  // namespace zerocopy
