/**
 * Malformed projects and what their one error message must say: the file (with line where the format has
 * lines), the field, and what was expected. Shared by the loader test and the CLI exit-code test.
 */
export interface MalformedInput {
  name: string;
  /** Files of the project, relative to its root (written into a fresh temp dir). */
  files: Record<string, string>;
  /** Every pattern must match the error message. */
  expect: RegExp[];
}

const CONFIG = `name: fixture
prompts: [prompts/*.prompt.md]
suites: [suites/main.yaml]
models: [fake:echo]
`;

const PROMPT = `---
variables:
  message: string
  name: { type: string, default: there }
---
# system
You are a support assistant.

# user
{{ name }} says: {{ message }}
`;

const SUITE = `cases:
  - id: refund
    vars:
      message: Can I get a refund?
    checks:
      - contains: refund
`;

/** A valid project with some files replaced (or added). */
function project(overrides: Record<string, string>): Record<string, string> {
  return {
    'assay.yaml': CONFIG,
    'prompts/support.prompt.md': PROMPT,
    'suites/main.yaml': SUITE,
    ...overrides,
  };
}

/** A suite with one case whose checks are `checksYaml` (indented list items). */
function suiteWithChecks(checksYaml: string): string {
  return `cases:\n  - id: refund\n    vars:\n      message: hi\n    checks:\n${checksYaml}`;
}

export const malformedInputs: MalformedInput[] = [
  // ── config ──────────────────────────────────────────────────────────────────────────
  {
    name: 'config: bad YAML syntax',
    files: project({
      'assay.yaml': 'name: fixture\nprompts: [prompts/*.prompt.md\nsuites: [suites/main.yaml]\n',
    }),
    expect: [/assay\.yaml:3:\d+:/, /invalid YAML/, /expected valid YAML/],
  },
  {
    name: 'config: unknown key with a typo',
    files: project({ 'assay.yaml': `${CONFIG}stor: .assay/db.sqlite\n` }),
    expect: [
      /assay\.yaml:5:1: stor:/,
      /unknown key 'stor'/,
      /expected one of: .*store/,
      /did you mean 'store'\?/,
    ],
  },
  {
    name: 'config: unknown key in defaults',
    files: project({ 'assay.yaml': `${CONFIG}defaults:\n  repeat: 3\n` }),
    expect: [/assay\.yaml:6:3: defaults\.repeat:/, /expected one of: repeats/, /did you mean 'repeats'\?/],
  },
  {
    name: 'config: model id without provider',
    files: project({ 'assay.yaml': CONFIG.replace('models: [fake:echo]', 'models:\n  - gpt-4o-mini') }),
    expect: [
      /assay\.yaml:5:5: models\[0\]:/,
      /model id 'gpt-4o-mini' has no provider/,
      /expected 'provider:name'/,
      /did you mean 'openai:gpt-4o-mini'\?/,
    ],
  },
  {
    name: 'config: unknown provider',
    files: project({
      'assay.yaml': CONFIG.replace('models: [fake:echo]', 'models:\n  - anthropc:claude-3-5-haiku'),
    }),
    expect: [
      /assay\.yaml:5:5: models\[0\]:/,
      /unknown model provider 'anthropc'/,
      /expected 'provider:name'/,
      /did you mean 'anthropic:claude-3-5-haiku'\?/,
    ],
  },
  {
    name: 'config: openai-compatible without baseUrl',
    files: project({
      'assay.yaml': CONFIG.replace('models: [fake:echo]', 'models:\n  - id: openai-compatible:llama3.2'),
    }),
    expect: [/assay\.yaml:5:\d+: models\[0\]\.baseUrl:/, /needs a baseUrl/, /expected the server URL/],
  },
  {
    name: 'config: literal API key',
    files: project({
      'assay.yaml': CONFIG.replace(
        'models: [fake:echo]',
        'models:\n  - id: openai:gpt-4o-mini\n    apiKey: sk-proj-0123456789abcdefghijklmnop',
      ),
    }),
    expect: [
      /assay\.yaml:6:\d+: models\[0\]\.apiKey:/,
      /credentials must not be written/,
      /expected .*apiKeyEnv/,
      /^(?![\s\S]*0123456789abcdef)/,
    ],
  },
  {
    name: 'config: threshold out of range',
    files: project({ 'assay.yaml': `${CONFIG}defaults:\n  threshold: 80\n` }),
    expect: [/assay\.yaml:6:14: defaults\.threshold:/, /found a number \(80\)/, /expected a number <= 1/],
  },
  {
    name: 'config: prompts is not a list',
    files: project({ 'assay.yaml': CONFIG.replace('prompts: [prompts/*.prompt.md]', 'prompts: 3') }),
    expect: [/assay\.yaml:2:10: prompts:/, /wrong type: found a number \(3\)/, /expected a list/],
  },
  {
    name: 'config: glob matching no prompts',
    files: project({ 'assay.yaml': CONFIG.replace('prompts/*.prompt.md', 'promts/*.prompt.md') }),
    expect: [
      /assay\.yaml:2:\d+: prompts\[0\]:/,
      /no prompt files match 'promts\/\*\.prompt\.md'/,
      /expected a glob or path/,
    ],
  },
  {
    name: 'config: missing suite file',
    files: project({ 'assay.yaml': CONFIG.replace('suites/main.yaml', 'suites/mian.yaml') }),
    expect: [
      /assay\.yaml:3:\d+: suites\[0\]:/,
      /suite file 'suites\/mian\.yaml' not found/,
      /expected a \.yaml, \.jsonl or \.csv file/,
      /did you mean 'suites\/main\.yaml'\?/,
    ],
  },
  {
    name: 'config: suite entry names an unknown prompt',
    files: project({
      'assay.yaml': CONFIG.replace(
        'suites: [suites/main.yaml]',
        'suites:\n  - file: suites/main.yaml\n    prompts: [suport]',
      ),
    }),
    expect: [
      /assay\.yaml:5:\d+: suites\[0\]\.prompts\[0\]:/,
      /no prompt named 'suport'/,
      /expected one of: support/,
      /did you mean 'support'\?/,
    ],
  },
  {
    name: 'config: assay.config.ts with a bad model id (field path, no line)',
    files: (() => {
      const { 'assay.yaml': _, ...rest } = project({});
      return {
        ...rest,
        'assay.config.ts':
          "export default { prompts: ['prompts/*.prompt.md'], suites: ['suites/main.yaml'], models: ['llama3'] };\n",
      };
    })(),
    expect: [
      /assay\.config\.ts: models\[0\]:/,
      /model id 'llama3' has no provider/,
      /expected 'provider:name'/,
    ],
  },
  {
    name: 'config: typo in a model setting',
    files: project({
      'assay.yaml': CONFIG.replace(
        'models: [fake:echo]',
        'models:\n  - id: fake:echo\n    settings: { maxToken: 10 }',
      ),
    }),
    expect: [
      /assay\.yaml:6:17: models\[0\]\.settings\.maxToken:/,
      /unknown setting 'maxToken'/,
      /expected one of: temperature, maxTokens/,
      /did you mean 'maxTokens'\?/,
    ],
  },
  // ── prompts ─────────────────────────────────────────────────────────────────────────
  {
    name: 'prompt: undeclared variable',
    files: project({ 'prompts/support.prompt.md': PROMPT.replace('{{ message }}', '{{ mesage }}') }),
    expect: [
      /prompts\/support\.prompt\.md:10:\d+: variables\.mesage:/,
      /variable 'mesage' is used but not declared/,
      /expected a declaration in the front matter/,
      /did you mean 'message'\?/,
    ],
  },
  {
    name: 'prompt: bad variable type',
    files: project({ 'prompts/support.prompt.md': PROMPT.replace('message: string', 'message: text') }),
    expect: [
      /prompts\/support\.prompt\.md:3:12: variables\.message:/,
      /invalid value a string \("text"\)/,
      /expected one of: string, number, boolean, object, array/,
    ],
  },
  {
    name: 'prompt: front matter unknown key',
    files: project({
      'prompts/support.prompt.md': PROMPT.replace('---\n#', 'output: { type: object }\n---\n#'),
    }),
    expect: [
      /prompts\/support\.prompt\.md:5:1: output:/,
      /unknown key 'output'/,
      /expected one of: .*outputSchema/,
      /did you mean 'outputSchema'\?/,
    ],
  },
  {
    name: 'prompt: unclosed Liquid tag',
    files: project({
      'prompts/support.prompt.md': PROMPT.replace('{{ name }} says', '{% if name %}{{ name }} says'),
    }),
    expect: [/prompts\/support\.prompt\.md:10:1:/, /tag \{% if name %\} not closed/, /close it/],
  },
  {
    name: 'prompt: Liquid include (file access)',
    files: project({
      'prompts/support.prompt.md': PROMPT.replace(
        'You are a support assistant.',
        '{% include "secrets.txt" %}',
      ),
    }),
    expect: [/prompts\/support\.prompt\.md:7:1:/, /tag "include" not found/, /cannot read other files/],
  },
  {
    name: 'prompt: front matter never closed',
    files: project({ 'prompts/support.prompt.md': PROMPT.replace('---\n# system', '# system') }),
    expect: [
      /prompts\/support\.prompt\.md:1:/,
      /front matter opened on line 1 is never closed/,
      /expected a line with only '---'/,
    ],
  },
  {
    name: 'prompt: default of the wrong type',
    files: project({ 'prompts/support.prompt.md': PROMPT.replace('default: there', 'default: 42') }),
    expect: [
      /prompts\/support\.prompt\.md:4:\d+: variables\.name\.default:/,
      /default does not match/,
      /expected a string/,
    ],
  },
  {
    name: 'prompt: invalid output schema',
    files: project({
      'prompts/support.prompt.md': PROMPT.replace('---\n#', 'outputSchema: { type: objekt }\n---\n#'),
    }),
    expect: [
      /prompts\/support\.prompt\.md:5:\d+: outputSchema:/,
      /invalid JSON Schema/,
      /expected a valid JSON Schema/,
    ],
  },
  {
    name: 'prompt: two prompts with the same name',
    files: project({
      'prompts/other.prompt.md': PROMPT.replace('---\nvariables', '---\nname: support\nvariables'),
    }),
    expect: [
      /prompts\/support\.prompt\.md: name:/,
      /prompt name 'support' is used by both/,
      /expected a unique name per prompt/,
    ],
  },
  {
    name: 'prompt: typo in a setting',
    files: project({
      'prompts/support.prompt.md': PROMPT.replace(
        '---\nvariables',
        '---\nsettings:\n  temprature: 0.2\nvariables',
      ),
    }),
    expect: [
      /prompts\/support\.prompt\.md:3:3: settings\.temprature:/,
      /unknown setting 'temprature'/,
      /did you mean 'temperature'\?/,
    ],
  },
  // ── suites ──────────────────────────────────────────────────────────────────────────
  {
    name: 'suite: duplicate case id',
    files: project({ 'suites/main.yaml': `${SUITE}  - id: refund\n    vars: { message: again }\n` }),
    expect: [
      /suites\/main\.yaml:7: cases\[1\]\.id:/,
      /duplicate case id 'refund' on lines 2 and 7/,
      /expected ids unique within the suite/,
    ],
  },
  {
    name: 'suite: unknown case key with a typo',
    files: project({ 'suites/main.yaml': SUITE.replace('    checks:', '    chekcs:') }),
    expect: [
      /suites\/main\.yaml:5:5: cases\[0\]\.chekcs:/,
      /unknown key 'chekcs'/,
      /expected one of: id, vars/,
      /did you mean 'checks'\?/,
    ],
  },
  {
    name: 'suite: bad split value',
    files: project({ 'suites/main.yaml': `${SUITE}    split: train\n` }),
    expect: [
      /suites\/main\.yaml:7:12: cases\[0\]\.split:/,
      /invalid value a string \("train"\)/,
      /expected one of: dev, test/,
    ],
  },
  {
    name: 'suite: bad category',
    files: project({ 'suites/main.yaml': `${SUITE}    category: adverserial\n` }),
    expect: [
      /suites\/main\.yaml:7:15: cases\[0\]\.category:/,
      /invalid category 'adverserial'/,
      /expected one of: representative, edge, adversarial, negative, or a custom slug/,
      /did you mean 'adversarial'\?/,
    ],
  },
  {
    name: 'suite: JSONL bad line',
    files: project({
      'assay.yaml': CONFIG.replace('suites/main.yaml', 'suites/main.jsonl'),
      'suites/main.jsonl': '{"id":"a","vars":{"message":"hi"}}\n{"id":"b","vars":{"message":"hi"},}\n',
    }),
    expect: [/suites\/main\.jsonl:2:\d+:/, /invalid JSON/, /expected one JSON object per line/],
  },
  {
    name: 'suite: JSONL field of the wrong type',
    files: project({
      'assay.yaml': CONFIG.replace('suites/main.yaml', 'suites/main.jsonl'),
      'suites/main.jsonl':
        '{"id":"a","vars":{"message":"hi"}}\n{"id":"b","vars":{"message":"hi"},"protected":"yes"}\n',
    }),
    expect: [
      /suites\/main\.jsonl:2: protected:/,
      /wrong type: found a string \("yes"\)/,
      /expected true or false/,
    ],
  },
  {
    name: 'suite: CSV bad checks JSON',
    files: project({
      'assay.yaml': CONFIG.replace('suites/main.yaml', 'suites/main.csv'),
      'suites/main.csv': 'id,message,checks\na,hi,"[{""contains"": ""hi""}]"\nb,yo,"[{contains: yo}]"\n',
    }),
    expect: [
      /suites\/main\.csv:3: checks:/,
      /column 'checks' is not valid JSON/,
      /expected a JSON array of checks/,
    ],
  },
  {
    name: 'suite: CSV row with too many cells',
    files: project({
      'assay.yaml': CONFIG.replace('suites/main.yaml', 'suites/main.csv'),
      'suites/main.csv': 'id,message\na,hi\nb,hello, world\n',
    }),
    expect: [
      /suites\/main\.csv:3:/,
      /invalid CSV: Invalid Record Length/,
      /expected one header row, then one row per case/,
    ],
  },
  {
    name: 'suite: missing required variable in a case',
    files: project({
      'suites/main.yaml': SUITE.replace('message: Can I get a refund?', 'mesage: Can I get a refund?'),
    }),
    expect: [
      /suites\/main\.yaml:2: cases\[0\]\.vars\.message:/,
      /case 'refund' does not set variable 'message' required by prompt 'support' \(prompts\/support\.prompt\.md\)/,
      /expected a string/,
    ],
  },
  {
    name: 'suite: variable of the wrong type',
    files: project({
      'prompts/support.prompt.md': PROMPT.replace(
        'message: string',
        'message: string\n  count: number',
      ).replace('{{ message }}', '{{ message }} ({{ count }})'),
      'suites/main.yaml': SUITE.replace(
        '      message: Can I get a refund?',
        '      message: hi\n      count: many',
      ),
    }),
    expect: [
      /suites\/main\.yaml:2: cases\[0\]\.vars\.count:/,
      /gives variable 'count' of prompt 'support'/,
      /expected a number/,
    ],
  },
  {
    name: 'suite: case id with a control character',
    files: project({ 'suites/main.yaml': SUITE.replace('id: refund', 'id: "refund\\u001b[2J"') }),
    expect: [
      /suites\/main\.yaml:2:\d+: cases\[0\]\.id:/,
      /case id contains the character U\+001B/,
      /expected an id without control characters/,
    ],
  },
  {
    name: 'suite: case id with a bidi override',
    files: project({ 'suites/main.yaml': SUITE.replace('id: refund', 'id: "refund\\u202Etxt.exe"') }),
    expect: [
      /suites\/main\.yaml:2:\d+: cases\[0\]\.id:/,
      /case id contains the character U\+202E/,
      /expected an id without control characters/,
    ],
  },
  // ── checks ──────────────────────────────────────────────────────────────────────────
  {
    name: 'check: bad regex',
    files: project({ 'suites/main.yaml': suiteWithChecks('      - regex: "([a-z"\n') }),
    expect: [
      /suites\/main\.yaml:6:\d+: cases\[0\]\.checks\[0\]\.pattern:/,
      /regular expression|regex/i,
      /expected/,
    ],
  },
  {
    name: 'check: unknown type',
    files: project({
      'suites/main.yaml': suiteWithChecks('      - type: contians\n        value: refund\n'),
    }),
    expect: [
      /suites\/main\.yaml:6:\d+: cases\[0\]\.checks\[0\]/,
      /contians/,
      /expected/,
      /did you mean 'contains'\?/,
    ],
  },
  {
    name: 'check: json-schema with an invalid schema',
    files: project({ 'suites/main.yaml': suiteWithChecks('      - json-schema: { type: objekt }\n') }),
    expect: [/suites\/main\.yaml:6:\d+: cases\[0\]\.checks\[0\]\.schema:/, /schema/i, /expected/],
  },
  {
    name: 'check: json-schema file not found',
    files: project({ 'suites/main.yaml': suiteWithChecks('      - json-schema: schemas/answer.json\n') }),
    expect: [
      /suites\/main\.yaml:6:\d+: cases\[0\]\.checks\[0\]\.schema:/,
      /schema file 'suites\/schemas\/answer\.json' not found/,
      /expected a JSON Schema file path/,
    ],
  },
  {
    name: 'check: missing value',
    files: project({ 'suites/main.yaml': suiteWithChecks('      - type: contains\n') }),
    expect: [/suites\/main\.yaml:6:\d+: cases\[0\]\.checks\[0\]\.value:/, /missing/, /expected/],
  },
  {
    name: 'check: no type and several keys',
    files: project({
      'suites/main.yaml': suiteWithChecks('      - value: refund\n        ignoreCase: true\n'),
    }),
    expect: [/suites\/main\.yaml:6:\d+: cases\[0\]\.checks\[0\]:/, /check has no 'type'/, /expected a check/],
  },
  {
    name: 'check: bad default check in the config',
    files: project({
      'assay.yaml': `${CONFIG}defaults:\n  checks:\n    - type: regex\n      pattern: "(unclosed"\n`,
    }),
    expect: [/assay\.yaml:7:\d+: defaults\.checks\[0\]\.pattern:/, /expected/],
  },
];
