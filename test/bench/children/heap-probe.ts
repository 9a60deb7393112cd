/**
 * Preloaded into the language server under test (`node --expose-gc --require heap-probe.js
 * dist/cli.js lsp --stdio`): on SIGUSR2 it runs a full GC, then writes the live heap and RSS to
 * stderr as one line, `zerocopy-bench-heap <heapUsed bytes> <rss bytes>`. The signal is handled
 * by the event loop, so the reading waits for the analysis in progress, if any. The server's own
 * code knows nothing of it.
 */
const gc = (globalThis as { gc?: () => void }).gc;

process.on('SIGUSR2', () => {
  if (!gc) {
    process.stderr.write('zerocopy-bench-heap unavailable (run with --expose-gc)\n');
    return;
  }
  // Twice: what the first frees may let go of more (weak references, finalizers).
  gc();
  gc();
  const m = process.memoryUsage();
  process.stderr.write(`zerocopy-bench-heap ${m.heapUsed} ${m.rss}\n`);
});

export {};
