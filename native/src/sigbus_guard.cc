#include "sigbus_guard.h"

#if defined(__linux__) || defined(__APPLE__)

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <mutex>

namespace zerocopy {

namespace {

// The handler may run on any thread at any moment, so the registry is a
// never-freed chain of fixed blocks of atomic slots: no locks, no allocation
// visible to the handler.
struct Slot {
  std::atomic<uintptr_t> start{0};
  std::atomic<uintptr_t> end{0};
};

struct Block {
  static constexpr size_t kSlots = 256;
  Slot slots[kSlots];
  std::atomic<Block*> next{nullptr};
};

// A slot's start is 0 when free, kClaimed while being filled or emptied.
constexpr uintptr_t kClaimed = 1;

Block g_first_block;
std::atomic<bool> g_installed{false};
std::atomic<uint64_t> g_recovered{0};
// The disposition we chain to, written again whenever the guard is put back
// on top of a handler installed after it. Two copies, so that the handler
// never reads one while it is being written: the writer fills the other and
// then publishes its index.
struct sigaction g_previous[2];
std::atomic<int> g_current{0};
uintptr_t g_page_size = 4096;

bool InsideMapping(uintptr_t address) {
  for (Block* block = &g_first_block; block != nullptr;
       block = block->next.load(std::memory_order_acquire)) {
    for (Slot& slot : block->slots) {
      const uintptr_t start = slot.start.load(std::memory_order_acquire);
      if (start > kClaimed && address >= start &&
          address < slot.end.load(std::memory_order_acquire)) {
        return true;
      }
    }
  }
  return false;
}

// Restores the default action: the faulting access re-executes on return and
// the process ends with SIGBUS, loudly, rather than faulting again for ever.
void DieOnReturn(int signal_number) { signal(signal_number, SIG_DFL); }

void ForwardToPrevious(int signal_number, siginfo_t* info, void* context) {
  const struct sigaction& previous = g_previous[g_current.load(std::memory_order_acquire)];
  if ((previous.sa_flags & SA_SIGINFO) != 0 && previous.sa_sigaction != nullptr) {
    previous.sa_sigaction(signal_number, info, context);
  } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
    previous.sa_handler(signal_number);
  } else {
    // As if we were not here.
    DieOnReturn(signal_number);
  }
}

void OnSigbus(int signal_number, siginfo_t* info, void* context) {
  const uintptr_t address = reinterpret_cast<uintptr_t>(info->si_addr);
  // si_code > 0: a fault the kernel raised, whose si_addr is meaningful; a
  // SIGBUS sent with kill(2) goes to the previous handler (a JS listener).
  if (info->si_code > 0 && InsideMapping(address)) {
    if (info->si_code != BUS_ADRERR) {
      DieOnReturn(signal_number);  // a hardware error in our mapping: nothing to repair
      return;
    }
    void* page = reinterpret_cast<void*>(address & ~(g_page_size - 1));
    // mmap is a plain system call here; MAP_FIXED swaps the page atomically.
    void* replaced = mmap(page, g_page_size, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (replaced != MAP_FAILED) {
      g_recovered.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    // Our fault, and it cannot be repaired: a handler that returns (libuv's,
    // behind process.on('SIGBUS')) would have the access fault again for
    // ever. Die instead.
    DieOnReturn(signal_number);
    return;
  }
  ForwardToPrevious(signal_number, info, context);
}

bool IsOurs(const struct sigaction& action) {
  return (action.sa_flags & SA_SIGINFO) != 0 && action.sa_sigaction == OnSigbus;
}

// Puts the handler on top of whatever handles SIGBUS now, chaining to it.
// Serialised: worker threads may load the addon and map files too.
bool PutOnTop() {
  static std::mutex writer;
  std::lock_guard<std::mutex> lock(writer);
  struct sigaction current;
  if (sigaction(SIGBUS, nullptr, &current) != 0) return false;
  if (IsOurs(current)) return true;
  const int next = 1 - g_current.load(std::memory_order_relaxed);
  g_previous[next] = current;
  g_current.store(next, std::memory_order_release);
  struct sigaction action = {};
  action.sa_sigaction = OnSigbus;
  action.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  return sigaction(SIGBUS, &action, nullptr) == 0;
}

}  // namespace

bool InstallSigbusGuard() {
  bool expected = false;
  if (!g_installed.compare_exchange_strong(expected, true)) return true;
  g_page_size = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  if (!PutOnTop()) {
    g_installed.store(false);
    return false;
  }
  return true;
}

bool EnsureSigbusGuard() {
  if (!g_installed.load()) return InstallSigbusGuard();
  return PutOnTop();
}

void RegisterMapping(void* address, size_t length) {
  const uintptr_t start = reinterpret_cast<uintptr_t>(address);
  for (Block* block = &g_first_block;;) {
    for (Slot& slot : block->slots) {
      uintptr_t empty = 0;
      if (slot.start.compare_exchange_strong(empty, kClaimed, std::memory_order_acq_rel)) {
        slot.end.store(start + length, std::memory_order_release);
        slot.start.store(start, std::memory_order_release);
        return;
      }
    }
    Block* next = block->next.load(std::memory_order_acquire);
    if (next == nullptr) {
      Block* fresh = new Block();
      if (block->next.compare_exchange_strong(next, fresh, std::memory_order_acq_rel)) {
        next = fresh;
      } else {
        delete fresh;  // another thread appended first; `next` now holds its block
      }
    }
    block = next;
  }
}

void UnregisterMapping(void* address) {
  const uintptr_t start = reinterpret_cast<uintptr_t>(address);
  for (Block* block = &g_first_block; block != nullptr;
       block = block->next.load(std::memory_order_acquire)) {
    for (Slot& slot : block->slots) {
      uintptr_t expected = start;
      if (slot.start.compare_exchange_strong(expected, kClaimed, std::memory_order_acq_rel)) {
        slot.end.store(0, std::memory_order_release);
        slot.start.store(0, std::memory_order_release);
        return;
      }
    }
  }
}

uint64_t RecoveredPages() { return g_recovered.load(std::memory_order_relaxed); }

}  // namespace zerocopy

#else

namespace zerocopy {
bool InstallSigbusGuard() { return false; }
bool EnsureSigbusGuard() { return false; }
void RegisterMapping(void*, size_t) {}
void UnregisterMapping(void*) {}
uint64_t RecoveredPages() { return 0; }
}  // namespace zerocopy

#endif
