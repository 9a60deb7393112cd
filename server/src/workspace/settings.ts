/**
 * Turns whatever the client sent for the `zerocopy` section (possibly partial, possibly from an
 * older or hand-edited settings file) into complete `Settings`: each field is taken when it has
 * the right type and the default is kept otherwise, so one bad value never disables the rest.
 */
import { RULE_IDS, type RuleId } from '../engine';
import { DEFAULT_SETTINGS, type RuleSeverity, type Settings, type TraceLevel } from '../protocol';

const SEVERITIES: readonly RuleSeverity[] = ['error', 'warning', 'information', 'hint', 'off'];
const TRACE_LEVELS: readonly TraceLevel[] = ['off', 'messages', 'verbose'];

/**
 * Whether the workspace is trusted. Untrusted (VS Code's Restricted Mode), the settings a repository
 * could turn against the user are limited whatever value arrives: VS Code already ignores their
 * workspace values there, and the server does not rely on it (a value may come another way).
 */
export interface SettingsTrust {
  trusted: boolean;
}

export function resolveSettings(raw: unknown, trust: SettingsTrust = { trusted: true }): Settings {
  const settings = settingsFrom(raw);
  if (trust.trusted) return settings;
  return {
    ...settings,
    // Lowering the limit only saves work; raising it is what a hostile repository would do.
    maxFileSize: Math.min(settings.maxFileSize, DEFAULT_SETTINGS.maxFileSize),
    // Code lenses offer benchmarks, which run the workspace's code.
    codeLens: { enable: false },
    benchmark: { timeoutSeconds: Math.min(settings.benchmark.timeoutSeconds, DEFAULT_SETTINGS.benchmark.timeoutSeconds) },
  };
}

function settingsFrom(raw: unknown): Settings {
  const given = isRecord(raw) ? raw : {};
  const severityGiven = isRecord(given.severity) ? given.severity : {};
  const severity = { ...DEFAULT_SETTINGS.severity };
  for (const id of RULE_IDS) {
    const value = severityGiven[id];
    if (isOneOf(value, SEVERITIES)) severity[id] = value;
  }
  const trace = isRecord(given.trace) ? given.trace : {};
  const codeLens = isRecord(given.codeLens) ? given.codeLens : {};
  const benchmark = isRecord(given.benchmark) ? given.benchmark : {};
  return {
    enable: typeof given.enable === 'boolean' ? given.enable : DEFAULT_SETTINGS.enable,
    severity,
    include: isStringArray(given.include) ? given.include : [...DEFAULT_SETTINGS.include],
    exclude: isStringArray(given.exclude) ? given.exclude : [...DEFAULT_SETTINGS.exclude],
    maxFileSize: isPositiveNumber(given.maxFileSize) ? given.maxFileSize : DEFAULT_SETTINGS.maxFileSize,
    trace: { server: isOneOf(trace.server, TRACE_LEVELS) ? trace.server : DEFAULT_SETTINGS.trace.server },
    codeLens: { enable: typeof codeLens.enable === 'boolean' ? codeLens.enable : DEFAULT_SETTINGS.codeLens.enable },
    benchmark: {
      timeoutSeconds: isPositiveNumber(benchmark.timeoutSeconds)
        ? benchmark.timeoutSeconds
        : DEFAULT_SETTINGS.benchmark.timeoutSeconds,
    },
  };
}

/** The rules whose severity is not `off`: what the engine is asked to report. */
export function enabledRules(settings: Settings): RuleId[] {
  return RULE_IDS.filter((id) => settings.severity[id] !== 'off');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
function isPositiveNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
function isOneOf<T extends string>(value: unknown, options: readonly T[]): value is T {
  return typeof value === 'string' && (options as readonly string[]).includes(value);
}
