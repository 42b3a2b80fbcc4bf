import { throwConfigErrors } from '../config/throw-config-errors.ts';
import { closestMatch } from '../did-you-mean.ts';
import { ConfigError } from '../errors.ts';
import type { JsonSchema, PromptSpec, ToolSpec } from '../types.ts';
import { frontMatterSchema } from './front-matter-schema.ts';
import { parseFrontMatter } from './parse-front-matter.ts';
import { promptLiquid } from './prompt-liquid.ts';
import { cachePromptTemplates, parseMessageTemplate } from './prompt-templates.ts';
import { canonicalPrompt, promptVersion } from './prompt-version.ts';
import { splitFrontMatter } from './split-front-matter.ts';
import { splitMessages } from './split-messages.ts';

/** Default prompt name: the file name without `.prompt.md`. */
export function promptNameFromFile(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.prompt\.md$/i, '').replace(/\.md$/i, '');
}

/**
 * Parses a `*.prompt.md` file: YAML front matter, then chat messages under `# system` / `# user` /
 * `# assistant` headings. Templates are parsed (and cached for rendering) now, so syntax errors and
 * undeclared variables surface here, with the file and line.
 */
export function parsePrompt(text: string, file: string): PromptSpec {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const split = splitFrontMatter(normalized, file);
  const { data: fm, locate } = parseFrontMatter(
    split.yaml,
    split.yamlLineOffset,
    file,
    frontMatterSchema,
    'name, settings, variables',
  );

  const name = fm.name ?? promptNameFromFile(file);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
    throw new ConfigError(`prompt name '${name}' (from the file name) is not usable`, {
      file,
      line: 1,
      expected: 'letters, digits, ., _ and - only',
      hint: "set 'name:' in the front matter",
    });

  const sections = splitMessages(split.body, split.bodyStartLine, file);
  const templates = sections.map((s) => parseMessageTemplate(s.content, file, s.line, s.indent));

  // Every variable the templates read must be declared.
  const liquid = promptLiquid();
  const declared = Object.keys(fm.variables);
  const errors: ConfigError[] = [];
  const reported = new Set<string>();
  templates.forEach((t, i) => {
    const analysis = liquid.analyzeSync(t.templates, { partials: false });
    for (const [variable, uses] of Object.entries(analysis.globals)) {
      if (variable in fm.variables || reported.has(variable)) continue;
      reported.add(variable);
      const use = uses[0];
      const section = sections[i];
      const suggestion = closestMatch(variable, declared);
      errors.push(
        new ConfigError(`variable '${variable}' is used but not declared`, {
          file,
          line: use && section ? section.line + use.location.row - 1 : section?.line,
          column: use
            ? use.location.row === 1
              ? use.location.col + (section?.indent ?? 0)
              : use.location.col
            : undefined,
          field: `variables.${variable}`,
          expected: `a declaration in the front matter, e.g. variables: { ${variable}: string }`,
          hint: suggestion ? `did you mean '${suggestion}'?` : undefined,
        }),
      );
    }
  });
  throwConfigErrors(errors);

  const messages = sections.map((s) => ({ role: s.role, content: s.content }));
  const content = {
    messages,
    settings: fm.settings,
    variables: fm.variables,
    outputSchema: fm.outputSchema as JsonSchema | undefined,
    tools: fm.tools as ToolSpec[] | undefined,
    model: fm.model,
  };
  const canonical = canonicalPrompt(content);
  const prompt: PromptSpec = {
    name,
    ...(fm.description !== undefined ? { description: fm.description } : {}),
    file,
    version: promptVersion(canonical),
    canonical,
    raw: text,
    ...(fm.model !== undefined ? { model: fm.model } : {}),
    settings: fm.settings,
    variables: fm.variables,
    ...(content.outputSchema !== undefined ? { outputSchema: content.outputSchema } : {}),
    ...(content.tools !== undefined ? { tools: content.tools } : {}),
    messages,
  };
  if (fm.variants) {
    // Lines kept for the loader's errors (pool file missing, k larger than the pool).
    const { fewShot, chainOfThought } = fm.variants;
    prompt.variants = {
      line: locate(['variants'], 'key')?.line,
      ...(fewShot
        ? {
            fewShot: {
              ...fewShot,
              line: locate(['variants', 'fewShot', 'pool'], 'key')?.line,
              kLine: locate(['variants', 'fewShot', 'k'], 'key')?.line,
            },
          }
        : {}),
      ...(chainOfThought
        ? { chainOfThought: { ...chainOfThought, line: locate(['variants', 'chainOfThought'], 'key')?.line } }
        : {}),
    };
  }
  cachePromptTemplates(prompt, templates);
  return prompt;
}
