/**
 * What the user is told about the bundled `zerocopy` runtime on their machine: whether quick fixes
 * and benchmarks get real sendfile/mmap here, or the runtime's fallback (and why). Pure text, for
 * the output channel and the status bar tooltip; the facts come from the server.
 */
import type { RuntimeInfo } from '../../server/src/protocol';

export interface RuntimeView {
  /** One line for the output channel. */
  log: string;
  /** Markdown for the status bar tooltip. */
  tooltip: string;
}

export function describeRuntime(info: RuntimeInfo): RuntimeView {
  const where = `${info.platform}-${info.arch}`;
  const fallbacks = [!info.sendfile && 'sendFile streams', !info.mmap && 'mapFile copies'].filter((f): f is string => f !== false);
  const direct = [info.sendfile && 'sendfile', info.mmap && 'mmap'].filter((m): m is string => m !== false);
  if (fallbacks.length === 0) {
    return {
      log: `zerocopy runtime on ${where} (Node ${info.node}): sendfile and mmap available${info.sigbusGuard ? ', SIGBUS guard on' : ''}; addon ${info.path ?? '(path unknown)'}`,
      tooltip: `Runtime on ${where}: **sendfile** and **mmap** available`,
    };
  }
  // Not loaded: the loader's own reason (its first line names what was looked for). Loaded without
  // a method: the platform has no such call the addon uses (Windows).
  const why = info.loaded
    ? `the addon loaded, but on ${info.platform} it has no ${['sendfile', 'mmap'].filter((m) => !direct.includes(m)).join(' or ')}`
    : (info.reason ?? 'the addon did not load').split('\n')[0]!.trim();
  const using = direct.length > 0 ? `; ${direct.join(' and ')} available` : '';
  return {
    log: `zerocopy runtime on ${where} (Node ${info.node}): fallback, ${fallbacks.join(' and ')}${using}: ${why}`,
    tooltip: `Runtime on ${where}: **fallback**, ${fallbacks.join(' and ')}${using} — ${escapeMarkdown(why)}`,
  };
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&');
}
