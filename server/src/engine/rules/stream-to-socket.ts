import type { Rule } from './rule';
import { calleeText } from './rule';

/** A read stream whose chunks reach a socket unchanged. */
export const streamToSocket: Rule = {
  meta: {
    id: 'stream-to-socket',
    title: "A file read stream's chunks reach a socket unchanged.",
    recommendations: ['sendfile', 'respondWithFile'],
  },
  check(v) {
    if (v.source.form !== 'stream' || !v.network || v.network.transport === 'tls') return undefined;
    const { flow, transport } = v.network;
    const what = `${calleeText(v.source)} streams the file through JavaScript in 64 KiB chunks to a socket, unchanged`;
    if (transport === 'http2')
      return { recommendation: 'respondWithFile', flow, message: `${what}: on HTTP/2 use \`stream.respondWithFile()\`, which sends from the file descriptor.` };
    return {
      recommendation: 'sendfile',
      flow,
      message: `${what}: 4 copies and 2 syscalls per chunk. \`sendFile()\` (sendfile(2)) moves it in the kernel: 2 copies, none by the CPU, 1 syscall.`,
    };
  },
};
