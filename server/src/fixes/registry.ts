/**
 * One definition per rewrite kind, and which kinds a finding is offered: the one its
 * recommendation names (preferred), then the correct alternatives.
 */
import type { Recommendation } from '../engine/types';
import type { FixContext } from './context';
import type { Rewrite } from './rewrite';
import type { FixKind } from './types';
import { sendfileRewrite } from './kinds/sendfile';
import { refuse } from './refuse';

export type RewriteDefinition = (ctx: FixContext) => Rewrite;

const NOT_YET = (kind: string): RewriteDefinition => () => refuse(`the ${kind} rewrite is not available yet`);

export const DEFINITIONS: Record<FixKind, RewriteDefinition> = {
  sendfile: sendfileRewrite,
  mmap: NOT_YET('mmap'),
  stream: NOT_YET('stream'),
  framework: NOT_YET('framework'),
  respondWithFile: NOT_YET('respondWithFile'),
  copyFile: NOT_YET('copyFile'),
};

export const PREFERRED: Record<Recommendation, FixKind> = {
  sendfile: 'sendfile',
  mmap: 'mmap',
  stream: 'stream',
  respondWithFile: 'respondWithFile',
  copyFile: 'copyFile',
};

/** The kinds tried for a recommendation, preferred first. */
export const OFFERED: Record<Recommendation, readonly FixKind[]> = {
  sendfile: ['sendfile', 'stream', 'framework'],
  stream: ['stream', 'framework'],
  respondWithFile: ['respondWithFile', 'stream'],
  mmap: ['mmap'],
  copyFile: ['copyFile'],
};
