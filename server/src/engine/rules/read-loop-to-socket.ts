import type { Rule } from './rule';
import { calleeText } from './rule';

/** An explicit chunk-read loop writing each chunk to a socket. */
export const readLoopToSocket: Rule = {
  meta: {
    id: 'read-loop-to-socket',
    title: 'A loop reads a file chunk by chunk and writes each chunk to a socket.',
    recommendations: ['sendfile', 'respondWithFile'],
  },
  check(v) {
    if (v.source.form !== 'chunk' || !v.network || v.network.transport === 'tls') return undefined;
    if (v.network.transport === 'http2')
      return {
        recommendation: 'respondWithFile',
        flow: v.network.flow,
        message: `${calleeText(v.source)} reads the file chunk by chunk into a buffer written unchanged to an HTTP/2 stream: use \`stream.respondWithFile()\`, which sends from the file descriptor.`,
      };
    return {
      recommendation: 'sendfile',
      flow: v.network.flow,
      message: `${calleeText(v.source)} reads the file chunk by chunk into a buffer that is written unchanged to a socket: 4 copies and 2 syscalls per chunk. \`sendFile()\` (sendfile(2)) does the loop in the kernel: 2 copies, none by the CPU, 1 syscall.`,
    };
  },
};
