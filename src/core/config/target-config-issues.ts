import { parseJsonPath } from '../checks/json-path.ts';
import { promptLiquid } from '../prompt/prompt-liquid.ts';

/** One problem with an `http:`/`file:` target's fields; `path` is relative to the model entry. */
export interface TargetConfigIssue {
  path: (string | number)[];
  message: string;
  expected?: string;
  hint?: string;
  /** Point at the key (a missing or misplaced field) rather than its value. */
  at?: 'key';
}

/** The fields of a model entry that targets read. */
export interface TargetFields {
  url?: string | undefined;
  method?: string | undefined;
  body?: unknown;
  response?:
    | string
    | { output: string; toolCalls?: string | undefined; usage?: string | undefined }
    | undefined;
  price?: number | undefined;
  headers?: Record<string, string> | undefined;
}

const ENV_REF = /\$\{[A-Za-z_][A-Za-z0-9_]*\}/g;
/** Header names that carry credentials: their value must come from the environment. */
const CREDENTIAL_HEADER =
  /^(authorization|proxy-authorization|cookie)$|api[-_]?key|token|secret|passw(or)?d|auth/i;
/** What may stand beside the `${VAR}` in a credential header: an auth scheme word. */
const AUTH_SCHEME = /^(bearer|basic|token|bot|digest|apikey|api-key|key)?$/i;

const HTTP_ONLY = ['url', 'method', 'body', 'response'] as const;

/** Problems with the target fields of model `id` (provider `provider`); none for a valid entry. */
export function targetConfigIssues(provider: string, m: TargetFields): TargetConfigIssue[] {
  const issues: TargetConfigIssue[] = [];
  if (provider !== 'http')
    for (const key of HTTP_ONLY)
      if (m[key] !== undefined)
        issues.push({ path: [key], message: `'${key}' only applies to http: targets`, at: 'key' });
  if (m.price !== undefined && provider !== 'http' && provider !== 'file')
    issues.push({
      path: ['price'],
      message: "'price' only applies to http: and file: targets",
      hint: 'price other models in a prices file (prices: in assay.yaml), in USD per million tokens',
      at: 'key',
    });
  if (provider !== 'http') return issues;

  if (m.url === undefined)
    issues.push({
      path: ['url'],
      message: 'an http: target needs a url',
      expected: 'url: http://127.0.0.1:3000/chat (the endpoint of your application)',
      at: 'key',
    });
  else {
    const templateError = liquidProblem(m.url);
    // Templates are replaced by a placeholder so `http://host/{{ caseId }}` can be checked as a URL.
    const probe = m.url.replace(/\{\{[^}]*\}\}|\{%[^%]*%\}/g, 'x');
    if (templateError) issues.push({ path: ['url'], message: `invalid Liquid template: ${templateError}` });
    else if (!URL.canParse(probe) || !/^https?:$/.test(new URL(probe).protocol))
      issues.push({
        path: ['url'],
        message: `'${m.url}' is not an http(s) URL`,
        expected: 'http(s)://HOST[:PORT]/PATH',
      });
  }
  if (m.method === 'GET' && m.body !== undefined)
    issues.push({
      path: ['body'],
      message: 'a GET request has no body',
      hint: 'use method: POST, or remove body',
    });
  if (m.body !== undefined) issues.push(...bodyIssues(m.body, ['body']));
  if (m.response !== undefined) {
    const paths: [(string | number)[], string | undefined][] =
      typeof m.response === 'string'
        ? [[['response'], m.response]]
        : [
            [['response', 'output'], m.response.output],
            [['response', 'toolCalls'], m.response.toolCalls],
            [['response', 'usage'], m.response.usage],
          ];
    for (const [path, p] of paths) {
      if (p === undefined) continue;
      const parsed = parseJsonPath(p);
      if (!parsed.ok)
        issues.push({
          path,
          message: `invalid JSONPath '${p}': ${parsed.error}`,
          expected: "a path like $.answer, $.data.text or $.choices[0]['message']",
        });
    }
  }
  for (const [name, value] of Object.entries(m.headers ?? {})) {
    if (!CREDENTIAL_HEADER.test(name)) continue;
    const refs = value.match(ENV_REF) ?? [];
    const rest = value.replace(ENV_REF, '').trim();
    if (refs.length === 0 || !AUTH_SCHEME.test(rest))
      // Never the value itself: it may be the secret.
      issues.push({
        path: ['headers', name],
        message: `header '${name}' holds a literal credential; credentials must not be written in config files`,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the syntax being explained
        expected: 'a reference to an environment variable, e.g. Authorization: "Bearer ${APP_TOKEN}"',
        hint: 'remove the value from the file (rotate it if it was committed) and export it in your environment',
      });
  }
  return issues;
}

/** Liquid syntax problems in every string of a body template. */
function bodyIssues(value: unknown, path: (string | number)[]): TargetConfigIssue[] {
  if (typeof value === 'string') {
    const problem = liquidProblem(value);
    return problem ? [{ path, message: `invalid Liquid template: ${problem}` }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => bodyIssues(v, [...path, i]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => bodyIssues(v, [...path, k]));
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return [];
  return [{ path, message: `a body holds JSON values only, not ${typeof value}` }];
}

function liquidProblem(template: string): string | undefined {
  try {
    promptLiquid().parse(template);
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/, line:\d+, col:\d+$/, '');
  }
}
