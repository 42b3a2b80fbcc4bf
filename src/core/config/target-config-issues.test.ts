import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigErrors } from '../errors.ts';
import { checkModelId, parseModelId } from './model-id.ts';
import { parseConfig } from './parse-config.ts';

function errorsOf(fn: () => unknown): ConfigError[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigErrors) return e.errors;
    if (e instanceof ConfigError) return [e];
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const head = 'prompts: [a]\nsuites: [s.yaml]\nmodels:\n';

describe('target entries in assay.yaml', () => {
  it('accepts an http: target with env headers, a body template and response paths, and a file: target', () => {
    const { config } = parseConfig(
      `${head}  - id: http:app
    url: http://127.0.0.1:3000/ask/{{ caseId }}
    headers: { Authorization: "Bearer \${APP_TOKEN}", X-Api-Key: "\${KEY}", X-Client: assay }
    body: { question: "{{ vars.question }}", history: "{{ messages }}", n: 1 }
    response: { output: $.answer, toolCalls: "$.calls", usage: $.usage }
    price: 0.001
  - file:targets/app.ts#answer
`,
      'assay.yaml',
    );
    expect(config.models[0]).toMatchObject({
      id: 'http:app',
      response: { output: '$.answer' },
      price: 0.001,
    });
    expect(config.models[1]).toEqual({ id: 'file:targets/app.ts#answer' });
  });

  it('reports each problem at its line and field: literal credential, bad JSONPath, missing url, bad template', () => {
    const secret = 'abc123-not-an-env-reference';
    const errs = errorsOf(() =>
      parseConfig(
        `${head}  - id: http:one
    url: http://127.0.0.1:3000/chat
    headers:
      Authorization: "Bearer ${secret}"
    response: answer
  - id: http:two
    body: { q: "{{ vars.q " }
  - id: http:three
    url: ftp://example.com
    method: GET
    body: { a: 1 }
  - id: openai:gpt-4o-mini
    url: http://x
    price: 1
`,
        'assay.yaml',
      ),
    );
    const found = errs.map((e) => [e.info.line, e.info.field]);
    expect(found).toEqual(
      expect.arrayContaining([
        [7, 'models[0].headers.Authorization'],
        [8, 'models[0].response'],
        [9, 'models[1].url'],
        [10, 'models[1].body.q'],
        [12, 'models[2].url'],
        [14, 'models[2].body'],
        [16, 'models[3].url'],
        [17, 'models[3].price'],
      ]),
    );
    expect(found).toHaveLength(8);
    const byField = new Map(errs.map((e) => [e.info.field, e.message]));
    expect(byField.get('models[0].headers.Authorization')).toContain('holds a literal credential');
    for (const e of errs) expect(e.message).not.toContain(secret);
    expect(byField.get('models[0].response')).toContain("invalid JSONPath 'answer': must start with '$'");
    expect(byField.get('models[1].url')).toContain('an http: target needs a url');
    expect(byField.get('models[1].body.q')).toContain('invalid Liquid template');
    expect(byField.get('models[2].url')).toContain('is not an http(s) URL');
    expect(byField.get('models[2].body')).toContain('a GET request has no body');
    expect(byField.get('models[3].url')).toContain("'url' only applies to http: targets");
  });

  it('a credential header with no variable at all is refused too; non-credential literals are fine', () => {
    const errs = errorsOf(() =>
      parseConfig(
        `${head}  - id: http:x\n    url: http://h/\n    headers: { X-Auth-Token: plain, Accept-Language: en }\n`,
        'assay.yaml',
      ),
    );
    expect(errs.map((e) => e.info.field)).toEqual(['models[0].headers.X-Auth-Token']);
  });

  it('knows http: and file: ids', () => {
    expect(parseModelId('http:support-app')).toEqual({ provider: 'http', name: 'support-app' });
    expect(parseModelId('file:targets/app.ts#answer')).toEqual({
      provider: 'file',
      name: 'targets/app.ts#answer',
    });
    expect(parseModelId('file:#x')).toBeUndefined();
    expect(checkModelId('file:#x')?.problem).toBe("'file:#x' is not a file target");
  });
});
