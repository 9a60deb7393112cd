// Keeps the process alive when a mapped file shrinks under a live Buffer.
//
// Touching a page of a file mapping past the file's current end raises
// SIGBUS, which kills the process by default. The guard installs one SIGBUS
// handler that, for faults inside a mapping registered here, replaces the
// faulting page with a private zero-filled page and resumes: the Buffer then
// reads zeros where the file no longer has data. Faults anywhere else are
// handed to whatever handled SIGBUS before (the default: terminate).
#pragma once
#include <cstddef>
#include <cstdint>

namespace zerocopy {

// Installs the handler once per process; returns whether it is in place.
bool InstallSigbusGuard();
// Puts the handler back on top if something installed its own SIGBUS handler
// since (process.on('SIGBUS') has libuv install one, and restore the default
// when the last listener goes), chaining to it for faults outside our
// mappings. Cheap when nothing changed (one sigaction query). Returns whether
// the guard is in place. Main thread only: one writer of the chained disposition.
bool EnsureSigbusGuard();
void RegisterMapping(void* address, size_t length);
void UnregisterMapping(void* address);
// Pages replaced by zeros since the process started.
uint64_t RecoveredPages();

}  // namespace zerocopy
