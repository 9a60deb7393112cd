/**
 * How busy the machine was while a child ran: the CPU time the whole machine spent minus the
 * child's own, per second of wall time, is the number of cores others were using. On 2 shared
 * cores that is what makes a round slow, so every measurement records it.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

export interface CpuSnapshot {
  busyMs: number;
}

/** Machine-wide busy CPU time from /proc/stat (undefined where there is no /proc). */
export function cpuSnapshot(): CpuSnapshot | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal guest guest_nice; guest is inside user.
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
    const ticksPerSecond = 100; // USER_HZ on Linux
    return { busyMs: ((user + nice + system + irq + softirq + steal) * 1000) / ticksPerSecond };
  } catch {
    return undefined;
  }
}

/** Cores used by everything but the measured child, averaged over the run. */
export function othersCores(before: CpuSnapshot | undefined, after: CpuSnapshot | undefined, childCpuMs: number | undefined, wallMs: number): number | undefined {
  if (!before || !after || childCpuMs === undefined || wallMs <= 0) return undefined;
  return Math.max(0, (after.busyMs - before.busyMs - childCpuMs) / wallMs);
}

export function describeMachine(): string {
  const c = cpus();
  const [l1, l5, l15] = loadavg();
  return `${c.length} × ${c[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${l1!.toFixed(2)} / ${l5!.toFixed(2)} / ${l15!.toFixed(2)}`;
}
