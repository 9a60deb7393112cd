import type { Rule } from './rule';
import { calleeText } from './rule';

/** A whole file read into memory, then sent unchanged. */
export const readThenSend: Rule = {
  meta: {
    id: 'read-then-send',
    title: 'A whole file is read into memory and then sent to a socket unchanged.',
    recommendations: ['sendfile', 'stream', 'respondWithFile'],
  },
  check(v) {
    if (v.source.form !== 'whole' || !v.network || v.inspected) return undefined;
    const { flow, transport } = v.network;
    const what = `${calleeText(v.source)} reads the whole file into the JS heap, then sends it unchanged`;
    if (transport === 'tls')
      return { recommendation: 'stream', flow, message: `${what} over TLS: TLS must encrypt in user space, so stream the file instead of holding all of it in memory.` };
    if (transport === 'http2')
      return { recommendation: 'respondWithFile', flow, message: `${what} on an HTTP/2 stream: use \`stream.respondWithFile()\`, which sends from the file descriptor.` };
    return {
      recommendation: 'sendfile',
      flow,
      message: `${what}: 4 copies and 2 syscalls per chunk, and the whole file on the heap. \`sendFile()\` (sendfile(2)) moves it in the kernel: 2 copies, none by the CPU, 1 syscall.`,
    };
  },
};
