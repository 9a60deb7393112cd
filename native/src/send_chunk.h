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

}  // namespace zerocopy
