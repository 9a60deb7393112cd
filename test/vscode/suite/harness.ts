/**
 * A small test runner for inside the extension host, where neither node:test's process model
 * nor a mocha install is available: tests register by name, run one after another with a
 * timeout each, and come back as plain data that survives JSON (the harness reads it from a file).
 */
export interface TestResult {
  name: string;
  passed: boolean;
  durationMs: number;
  error?: string;
}

interface RegisteredTest {
  name: string;
  fn: () => Promise<void> | void;
  timeoutMs: number;
}

const registered: RegisteredTest[] = [];

export function test(name: string, fn: () => Promise<void> | void, timeoutMs = 60_000): void {
  registered.push({ name, fn, timeoutMs });
}

export async function runRegistered(log: (line: string) => void = () => undefined): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const t of registered) {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(t.fn),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${t.timeoutMs} ms`)), t.timeoutMs);
        }),
      ]);
      results.push({ name: t.name, passed: true, durationMs: Date.now() - started });
      log(`ok    ${t.name}`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      results.push({ name: t.name, passed: false, durationMs: Date.now() - started, error: message });
      log(`FAIL  ${t.name}\n${message}`);
    } finally {
      clearTimeout(timer);
    }
  }
  return results;
}
