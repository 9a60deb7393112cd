import type { Rule } from './rule';
import { readThenSend } from './read-then-send';
import { streamToSocket } from './stream-to-socket';
import { readLoopToSocket } from './read-loop-to-socket';
import { inspectThenSend } from './inspect-then-send';
import { fileToFile } from './file-to-file';

/** Every rule, in RULE_IDS order. */
export const RULES: readonly Rule[] = [readThenSend, streamToSocket, readLoopToSocket, inspectThenSend, fileToFile];
export type { Rule, Verdict, RuleMatch, RuleMeta } from './rule';
