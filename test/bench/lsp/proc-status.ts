/** A process's memory as the kernel counts it (VmRSS now, VmHWM the peak so far). */
import { readFileSync } from 'node:fs';

export interface ProcMemory {
  rssMb: number;
  peakRssMb: number;
}

export function readProcMemory(pid: number): ProcMemory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined; // no /proc, or the process is gone
  }
}
