/**
 * HTTP clients as sinks, as data: where each client's calls carry the bytes they upload, where the
 * URL is (for the transport), and which calls hand back something to write or pipe into. Matched by
 * what a value really is — an import or require of the package (or the global `fetch`), resolved
 * by the evaluator — never by a variable's name.
 *
 * The bodies of requests are byte-stream sinks (set 2's conventions, docs/rules/README.md): a file's
 * bytes sent as a request body, a multipart part, or piped into a request cross JavaScript the same
 * way as into a response. Service SDKs (S3, Cloud Storage, GitHub) are not here: the transfer lives
 * in that library, like a framework's own file API.
 */
import ts from 'typescript';
import type { Transport } from './types';
import type { Val } from './values';

/** Where a call carries something: argument `arg`, at `path` inside it (`*`: any property). */
export interface At {
  arg: number;
  path: readonly string[];
}

export interface ClientFunction {
  /** Where the bytes to upload may be (a Buffer, a string, a stream, a form). */
  body?: readonly At[];
  /** Where the URL may be: its scheme, when the code fixes it, is the transport. */
  url?: readonly At[];
  /**
   * What the call hands back that still matters: the same client (`axios.create()`), or a request
   * that is itself the sink, to pipe or write into (`got.stream.put(url)`, `superagent.post(url)`).
   */
  returns?: 'client' | 'request';
}

export interface HttpClient {
  /** The package's export called as a function (`axios(config)`, `got(url, options)`, `fetch(url, init)`). */
  call?: ClientFunction;
  /** Its functions by name; nested ones with dots (`stream.put` for `got.stream.put`). */
  functions: Readonly<Record<string, ClientFunction>>;
}

const arg = (n: number, ...path: string[]): At => ({ arg: n, path });

/** fetch(url, init): the body is `init.body`; `fetch(request)` is not followed. */
const FETCH: ClientFunction = { body: [arg(1, 'body')], url: [arg(0)] };

/** axios(config) / axios(url, config): `data`; axios.post(url, data, config). */
const AXIOS_CONFIG: ClientFunction = { body: [arg(0, 'data'), arg(1, 'data')], url: [arg(0), arg(0, 'url'), arg(1, 'url')] };
const AXIOS_WITH_DATA: ClientFunction = { body: [arg(1)], url: [arg(0)] };
/** axios.postForm(url, data): each property of the data becomes a multipart part. */
const AXIOS_FORM: ClientFunction = { body: [arg(1, '*')], url: [arg(0)] };

/** got(url, options) / got(options): `body`, or a multipart `form` (urlencoded, strings) is not bytes. */
const GOT_OPTIONS: ClientFunction = { body: [arg(1, 'body'), arg(0, 'body')], url: [arg(0), arg(0, 'url'), arg(1, 'url')] };
const GOT_STREAM: ClientFunction = { url: [arg(0), arg(0, 'url')], returns: 'request' };

/**
 * request(options) / request(url, options) / request.post(…): `body`, multipart `formData` (a
 * stream or buffer per field, or `{ value, options }`), `multipart` parts; the Request it returns
 * is a writable stream (`fs.createReadStream(f).pipe(request.put(url))`).
 */
const REQUEST_CALL: ClientFunction = {
  body: [arg(0, 'body'), arg(1, 'body'), arg(0, 'formData', '*'), arg(1, 'formData', '*'), arg(0, 'formData', '*', 'value'), arg(1, 'formData', '*', 'value'), arg(0, 'multipart', '*', 'body')],
  url: [arg(0), arg(0, 'url'), arg(0, 'uri')],
  returns: 'request',
};

/** superagent.post(url): a request; `.send(data)`, `.attach(name, data)` and piping into it are uploads. */
const SUPERAGENT_REQUEST: ClientFunction = { url: [arg(0)], returns: 'request' };
const SUPERAGENT_METHOD: ClientFunction = { url: [arg(1)], returns: 'request' };

/** needle.post(url, data, options) / needle('put', url, data): the data, or its multipart fields. */
const NEEDLE_WITH_DATA: ClientFunction = { body: [arg(1), arg(1, '*'), arg(1, '*', 'buffer')], url: [arg(0)] };
const NEEDLE_METHOD: ClientFunction = { body: [arg(2), arg(2, '*'), arg(2, '*', 'buffer')], url: [arg(1)] };

/** ofetch(url, options) / $fetch: `body` as fetch's. */
const OFETCH: ClientFunction = { body: [arg(1, 'body')], url: [arg(0)] };

/** undici.request(url, options), Client#request(options): `body`. */
const UNDICI_REQUEST: ClientFunction = { body: [arg(1, 'body'), arg(0, 'body')], url: [arg(0)] };

export const HTTP_CLIENTS: Readonly<Record<string, HttpClient>> = {
  fetch: { call: FETCH, functions: { default: FETCH } },
  undici: {
    functions: {
      fetch: FETCH,
      request: UNDICI_REQUEST,
      // new Client(origin) / Pool / Agent: their request({ path, method, body }).
      Client: { returns: 'client' },
      Pool: { returns: 'client' },
      Agent: { returns: 'client' },
    },
  },
  axios: {
    call: AXIOS_CONFIG,
    functions: {
      request: AXIOS_CONFIG,
      post: AXIOS_WITH_DATA,
      put: AXIOS_WITH_DATA,
      patch: AXIOS_WITH_DATA,
      postForm: AXIOS_FORM,
      putForm: AXIOS_FORM,
      patchForm: AXIOS_FORM,
      create: { returns: 'client' },
    },
  },
  got: {
    call: GOT_OPTIONS,
    functions: {
      post: GOT_OPTIONS,
      put: GOT_OPTIONS,
      patch: GOT_OPTIONS,
      extend: { returns: 'client' },
      stream: GOT_STREAM,
      'stream.post': GOT_STREAM,
      'stream.put': GOT_STREAM,
      'stream.patch': GOT_STREAM,
    },
  },
  request: {
    call: REQUEST_CALL,
    functions: { post: REQUEST_CALL, put: REQUEST_CALL, patch: REQUEST_CALL, defaults: { returns: 'client' } },
  },
  superagent: {
    call: SUPERAGENT_METHOD,
    functions: { post: SUPERAGENT_REQUEST, put: SUPERAGENT_REQUEST, patch: SUPERAGENT_REQUEST, agent: { returns: 'client' } },
  },
  needle: {
    call: NEEDLE_METHOD,
    functions: { post: NEEDLE_WITH_DATA, put: NEEDLE_WITH_DATA, patch: NEEDLE_WITH_DATA, request: NEEDLE_METHOD },
  },
  ofetch: {
    call: OFETCH,
    functions: { ofetch: OFETCH, $fetch: OFETCH, create: { returns: 'client' }, 'ofetch.create': { returns: 'client' } },
  },
};

/** The packages that are one of those clients (the global `fetch` is one too: `globalValue`). */
const CLIENT_PACKAGES: Readonly<Record<string, string>> = {
  'node-fetch': 'fetch',
  'cross-fetch': 'fetch',
  'isomorphic-fetch': 'fetch',
  undici: 'undici',
  axios: 'axios',
  got: 'got',
  request: 'request',
  'request-promise': 'request',
  'request-promise-native': 'request',
  '@cypress/request': 'request',
  '@cypress/request-promise': 'request',
  postman_request: 'request',
  superagent: 'superagent',
  needle: 'needle',
  ofetch: 'ofetch',
};

/** A text that names a client package, the global `fetch` or the Web `FormData`. */
const NAMES_CLIENT = new RegExp(`(['"\`])(?:${Object.keys(CLIENT_PACKAGES).map((k) => k.replace(/[.*+?^${'$'}{}()|[\]\\/]/g, '\\$&')).join('|')}|form-data)\\1|\\bfetch\\b|\\bFormData\\b`);
export function namesHttpClient(text: string): boolean {
  return NAMES_CLIENT.test(text);
}

/** The prefix of the evaluator's module names for clients (`client:axios`, `client:got.stream`). */
const PREFIX = 'client:';

/** The module an import or require of this package is, when it is an HTTP client. */
export function clientModule(spec: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(CLIENT_PACKAGES, spec) ? PREFIX + CLIENT_PACKAGES[spec] : undefined;
}

export function isClientModule(mod: string): boolean {
  return mod.startsWith(PREFIX);
}

/**
 * The client function a module value stands for: the module itself called (`name` undefined), or
 * one of its functions (`mod` `client:got.stream`, `name` `put`).
 */
export function clientFunction(mod: string, name: string | undefined): ClientFunction | undefined {
  if (!isClientModule(mod)) return undefined;
  const [id, ...inner] = mod.slice(PREFIX.length).split('.');
  const client = HTTP_CLIENTS[id!];
  if (!client) return undefined;
  const key = [...inner, ...(name === undefined ? [] : [name])].join('.');
  if (key === '' || key === 'default') return client.call;
  return Object.prototype.hasOwnProperty.call(client.functions, key) ? client.functions[key] : undefined;
}

/** Every name a client function is called by: a cheap filter before a callee is evaluated. */
export const CLIENT_CALL_NAMES: ReadonlySet<string> = new Set(
  Object.values(HTTP_CLIENTS).flatMap((c) => Object.keys(c.functions).map((k) => k.slice(k.lastIndexOf('.') + 1))),
);

/**
 * Methods of a request object (superagent's, request's) that send bytes: `.send(data)`,
 * `.attach(field, data)` — which argument carries them.
 */
export const REQUEST_BODY_METHODS: Readonly<Record<string, number>> = { send: 0, attach: 1 };

/** How a part is put into a multipart form: form-data's and FormData's `append`, FormData's `set`. */
export const FORM_PART_METHODS: ReadonlySet<string> = new Set(['append', 'set']);

/** Methods of a request object that return it (superagent's builder chain). */
export const REQUEST_CHAIN_METHODS: ReadonlySet<string> = new Set(['attach', 'field', 'query', 'auth', 'timeout', 'retry', 'accept', 'redirects', 'ok', 'use', 'buffer', 'withCredentials', 'send']);

/**
 * Globals that are part of the model: `fetch` (Node 18+), the Web `FormData` (a multipart body like
 * the form-data package's), and `Blob`/`File`, which wrap bytes unchanged.
 */
export function globalModule(name: string): string | undefined {
  switch (name) {
    case 'fetch':
      return PREFIX + 'fetch';
    case 'FormData':
      return 'form-data';
    case 'Blob':
    case 'File':
      return name;
    default:
      return undefined;
  }
}

/**
 * Calls that wrap bytes without changing them, by module and function: `new Blob([bytes])`,
 * `new File([bytes], name)` (each element of the array), `Readable.toWeb(stream)` (the stream).
 */
export function bytesWrapper(mod: string, name: string | undefined): { arg: number; elements: boolean } | undefined {
  if ((mod === 'Blob' || mod === 'File') && name === undefined) return { arg: 0, elements: true };
  if ((mod === 'stream.Readable' || mod === 'stream.Duplex') && name === 'toWeb') return { arg: 0, elements: false };
  return undefined;
}

/**
 * The transport a client call's URL fixes: `https://…` (a literal, or a template whose fixed head is
 * one) can only be TLS, `http://…` only TCP; anything else (a configured base URL, a variable, URLs
 * that disagree) is unknown. `constant` gives the initializer of a `const` an identifier names.
 */
export function callTransport(call: ts.CallExpression | ts.NewExpression, fn: ClientFunction, constant: (id: ts.Identifier) => ts.Expression | undefined): Transport {
  const found = new Set<Transport>();
  for (const at of fn.url ?? []) {
    const e = expressionAt(call, at, constant);
    const t = e && urlTransport(e, constant, 0);
    if (t) found.add(t);
  }
  return found.size === 1 ? [...found][0]! : 'unknown';
}

/** A URL's transport, or undefined when the expression is no URL at all (an options object). */
function urlTransport(expr: ts.Expression | undefined, constant: (id: ts.Identifier) => ts.Expression | undefined, depth: number): Transport | undefined {
  if (!expr || depth > 4) return 'unknown';
  const e = skipParens(expr);
  let text: string | undefined;
  if (ts.isObjectLiteralExpression(e)) return undefined;
  if (ts.isStringLiteralLike(e)) text = e.text;
  else if (ts.isTemplateExpression(e)) text = e.head.text;
  else if (ts.isIdentifier(e)) {
    const init = constant(e);
    return init ? urlTransport(init, constant, depth + 1) : 'unknown';
  } else if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'URL' && e.arguments?.length) {
    // new URL(path, base): the base decides unless the path is absolute itself.
    const own = urlTransport(e.arguments[0], constant, depth + 1);
    return own !== 'unknown' || !e.arguments[1] ? own : urlTransport(e.arguments[1], constant, depth + 1);
  }
  if (text === undefined) return 'unknown';
  if (/^https:\/\/./i.test(text)) return 'tls';
  if (/^http:\/\/./i.test(text)) return 'tcp';
  return 'unknown';
}

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

/** The expression at `path` inside an argument written out as object literals (for a URL). */
function expressionAt(call: ts.CallExpression | ts.NewExpression, at: At, constant: (id: ts.Identifier) => ts.Expression | undefined): ts.Expression | undefined {
  let e: ts.Expression | undefined = call.arguments?.[at.arg];
  for (const key of at.path) {
    if (!e) return undefined;
    e = skipParens(e);
    if (ts.isIdentifier(e)) e = constant(e) ?? e;
    if (!ts.isObjectLiteralExpression(e)) return undefined;
    const p: ts.ObjectLiteralElementLike | undefined = e.properties.find((q) => q.name && !ts.isComputedPropertyName(q.name) && q.name.text === key);
    e = p && ts.isPropertyAssignment(p) ? p.initializer : p && ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
  }
  return e && ts.isSpreadElement(e) ? undefined : e;
}

/**
 * Whether a call hands the bytes it is given on as they are: a client call (`fetch`, `axios.put`…),
 * a wrapper (`new Blob([b])`, `Readable.toWeb(s)`), a part appended to a multipart form.
 */
export function sendsAsTheyAre(callee: ts.Expression, evaluate: (e: ts.Expression) => Val[]): boolean {
  if (ts.isPropertyAccessExpression(callee) && FORM_PART_METHODS.has(callee.name.text) && evaluate(callee.expression).some((v) => v.t === 'form')) return true;
  return evaluate(callee).some(
    (v) => (v.t === 'mod' && (isClientModule(v.name) || !!bytesWrapper(v.name, undefined))) || (v.t === 'modfn' && (isClientModule(v.mod) || !!bytesWrapper(v.mod, v.name))),
  );
}
