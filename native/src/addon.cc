// Entry point of the zerocopy addon. Everything that can be checked in
// TypeScript is checked there (lib/); this layer only makes system calls.
#include <napi.h>

#include "file_info.h"
#include "http_load.h"
#include "mapping.h"
#include "send_chunk.h"
#include "sigbus_guard.h"
#include "transfer.h"

namespace zerocopy {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
#ifndef _WIN32
  if (kHasSendfile) {
    exports.Set("Transfer", Transfer::Define(env));
    exports.Set("trySend", Napi::Function::New<TrySend>(env, "trySend"));
  }
  // Not the runtime's API: the load client of `zerocopy bench` (server/src/bench/children/load.ts).
  exports.Set("httpLoad", Napi::Function::New<HttpLoad>(env, "httpLoad"));
  exports.Set("httpLoadAbort", Napi::Function::New<HttpLoadAbort>(env, "httpLoadAbort"));
  exports.Set("httpLoadClose", Napi::Function::New<HttpLoadClose>(env, "httpLoadClose"));
#endif
  ExportFileInfo(env, exports);
  exports.Set("mapFile", Napi::Function::New<MapFile>(env, "mapFile"));
#if defined(__linux__) || defined(__APPLE__)
  exports.Set("mapFileAsync", Napi::Function::New<MapFileAsync>(env, "mapFileAsync"));
#endif
  exports.Set("ensureSigbusGuard", Napi::Function::New<EnsureSigbusGuardNow>(env, "ensureSigbusGuard"));
  exports.Set("recoveredPages", Napi::Function::New<RecoveredPagesCount>(env, "recoveredPages"));
  exports.Set("sigbusGuard", Napi::Boolean::New(env, InstallSigbusGuard()));
  return exports;
}

}  // namespace zerocopy

static Napi::Object InitZerocopy(Napi::Env env, Napi::Object exports) {
  return zerocopy::Init(env, exports);
}

NODE_API_MODULE(zerocopy, InitZerocopy)
