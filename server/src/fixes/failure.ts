/**
 * The rejection handler a rewrite attaches to sendFile (or a stream's error listener): run the
 * original error branch for failures that left the target untouched, and do what the original
 * did to a target that failed mid-transfer (nothing, or destroy it).
 */
import type { FixContext } from './context';
import type { Layout } from './emit';
import { semi } from './style';

export type OnFailure =
  /** The original error branch, its lines already indented one level in. */
  | { kind: 'branch'; param: string | undefined; lines: string[]; fnKind: 'arrow' | 'function' }
  /** The original let the error escape (an unhandled rejection, a thrown error): so does the rewrite. */
  | { kind: 'rethrow' }
  /** The original ignored it. */
  | { kind: 'ignore' };

export interface Failure {
  /**
   * An expression true once the target was touched (headers built, socket destroyed): the error
   * branch runs only when it is false. Undefined: it runs for every failure (a pipeline's callback).
   */
  touched: string | undefined;
  /** Undo the success path's head (lines without indentation). */
  undo: string[];
  /** Lines (without indentation) run first for every failure, given the error's name. */
  first?: (err: string) => string[];
  onFailure: OnFailure;
}

/** `(err) => { … }` with its closing brace at the layout's indentation. */
export function failureHandler(ctx: FixContext, layout: Layout, f: Failure): string {
  const s = semi(ctx.style);
  const { indent, inner, nl } = layout;
  const firstFor = (err: string) => (f.first ? f.first(err) : []).map((l) => inner + l);
  const first = firstFor('err');
  const undo = f.undo.map((l) => inner + l);
  const head = (param: string | undefined, kind: 'arrow' | 'function' = 'arrow') => (kind === 'arrow' ? `(${param ?? ''}) => {` : `function (${param ?? ''}) {`);
  switch (f.onFailure.kind) {
    case 'ignore':
      if (!first.length) return '() => {}';
      return [head('err'), ...first, `${indent}}`].join(nl);
    case 'rethrow':
      if (f.touched === undefined) return [head('err'), ...first, ...undo, `${inner}throw err${s}`, `${indent}}`].join(nl);
      if (!undo.length) return [head('err'), ...first, `${inner}if (!${f.touched}) throw err${s}`, `${indent}}`].join(nl);
      return [head('err'), ...first, `${inner}if (${f.touched}) return${s}`, ...undo, `${inner}throw err${s}`, `${indent}}`].join(nl);
    case 'branch': {
      const { param, lines, fnKind } = f.onFailure;
      if (!lines.length && !undo.length && !first.length) return `${head(undefined, fnKind)}}`;
      const usesParam = param !== undefined && lines.some((l) => new RegExp(`\\b${param}\\b`).test(l));
      const name = usesParam || (param !== undefined && f.first) ? param : f.first ? 'err' : undefined;
      const guard = f.touched === undefined ? [] : [`${inner}if (${f.touched}) return${s}`];
      return [head(name, fnKind), ...firstFor(name ?? 'err'), ...guard, ...undo, ...lines, `${indent}}`].join(nl);
    }
  }
}
