// An HTTP/1.1 keep-alive load client for `zerocopy bench` (not part of the
// runtime's API). It runs in a thread-pool thread so that the load process's
// per-request cost is a few system calls, as with the C clients of
// `npm run bench:runtime`, and not Node's stream machinery: at small bodies
// that cost is paid once per transfer and would dilute every ratio measured.
#pragma once
#ifndef _WIN32

#include <napi.h>

namespace zerocopy {

// httpLoad(port, path, connections, transfersEach, timeoutMs,
//          done(error?: string, result?: { elapsedMs, ms: Float64Array,
//                                           bytes: Float64Array, status: Int32Array }))
Napi::Value HttpLoad(const Napi::CallbackInfo& info);
// httpLoadAbort(): a run in flight fails with "aborted" within 50 ms.
Napi::Value HttpLoadAbort(const Napi::CallbackInfo& info);
// httpLoadClose(): closes every kept-alive connection (not while a run is in flight).
Napi::Value HttpLoadClose(const Napi::CallbackInfo& info);

}  // namespace zerocopy

#endif
