import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { AssayError } from '../../core/errors.ts';
import { defaultModelSizeText } from '../../models/local/default-local-model.ts';

interface InitFlags {
  force?: boolean;
  template?: string;
  model?: string;
  yes?: boolean;
  json?: boolean;
}

const exampleDir = fileURLToPath(new URL('../../../examples/support/', import.meta.url));
const templatesDir = fileURLToPath(new URL('../../../templates/', import.meta.url));

/** Domain starter packs (templates/NAME): a prompt, a judge, a four-category suite and a scripted model. */
export const TEMPLATES = ['medical', 'legal', 'finance', 'education', 'support', 'rag', 'agent'] as const;

/** Vendors whose key in the environment makes `init` offer their model (never written silently). */
const vendorOffers = [
  { env: 'OPENAI_API_KEY', model: 'openai:gpt-4o-mini' },
  { env: 'ANTHROPIC_API_KEY', model: 'anthropic:claude-3-5-haiku-latest' },
  { env: 'GOOGLE_GENERATIVE_AI_API_KEY', model: 'google:gemini-2.0-flash' },
];

export async function initCommand(dir: string, flags: InitFlags): Promise<number> {
  const target = resolve(dir);
  if (flags.template !== undefined && !(TEMPLATES as readonly string[]).includes(flags.template))
    throw new AssayError(
      `unknown template '${flags.template}'; expected one of: ${TEMPLATES.join(', ')} (see docs/starter-packs.md)`,
      2,
    );
  const source = flags.template ? join(templatesDir, flags.template) : exampleDir;
  const files = await listFiles(source);
  const clashes = files.filter((f) => existsSync(join(target, f)));
  if (clashes.length && !flags.force)
    throw new AssayError(
      `${relative(process.cwd(), target) || '.'} already has ${clashes.join(', ')}; use --force to overwrite, or pick an empty folder`,
      2,
    );
  await mkdir(target, { recursive: true });
  for (const f of files) {
    await mkdir(dirname(join(target, f)), { recursive: true });
    await cp(join(source, f), join(target, f));
  }
  const model = flags.model ?? (await offerModel(flags));
  if (model && flags.template) await useModelInPack(target, files, model);
  else if (model) {
    const cfgPath = join(target, 'assay.yaml');
    const cfg = await readFile(cfgPath, 'utf8');
    await writeFile(cfgPath, cfg.replace(/^models: \[\]$/m, `models:\n  - ${model}`));
  }
  const relPath = relative(process.cwd(), target) || '.';
  const rel = relPath.startsWith('..') ? target : relPath;
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ created: files, dir: target, template: flags.template ?? null, model: model ?? null })}\n`,
    );
    return 0;
  }
  const cd = rel === '.' ? '' : ` -C ${rel}`;
  const next = flags.template
    ? [
        `  assay eval${cd}   # ${model ? `with ${model}` : 'with the scripted fake model: no key, no download'}`,
        `  assay suite stats ${join(rel, 'suites', `${flags.template}.yaml`)}`,
        ...(model
          ? []
          : [
              `  # a real model: assay init ${rel} --template ${flags.template} --model openai:gpt-4o-mini --force`,
            ]),
      ].join('\n')
    : model
      ? `  assay eval${rel === '.' ? '' : ` -C ${rel}`}`
      : [
          `  assay models pull   # once: the default local model (${defaultModelSizeText()})`,
          `  assay eval${cd}   # then evaluates with it, offline`,
          `  # or, without a download: assay eval${cd} --model fake:echo (or add a model to assay.yaml)`,
        ].join('\n');
  process.stdout.write(
    `created ${files.length} files in ${rel}:\n${files.map((f) => `  ${f}`).join('\n')}\n${model ? `model: ${model}\n` : ''}\nnext:\n${next}\n`,
  );
  return 0;
}

/**
 * A pack ships a scripted `fake:` model for both the prompt and its judge; a real model replaces it in
 * assay.yaml and in every judge file, so the judge does not keep grading with the script.
 */
async function useModelInPack(target: string, files: readonly string[], model: string): Promise<void> {
  const cfgPath = join(target, 'assay.yaml');
  const cfg = await readFile(cfgPath, 'utf8');
  await writeFile(cfgPath, cfg.replace(/^models:\n(?:[ #].*\n)*/m, `models:\n  - ${model}\n`));
  for (const f of files.filter((x) => x.endsWith('.judge.md'))) {
    const text = await readFile(join(target, f), 'utf8');
    await writeFile(join(target, f), text.replace(/^model: fake:\S+.*$/m, `model: ${model}`));
  }
}

/** Asks before writing a vendor model whose API key is present; without a terminal, only says so. */
async function offerModel(flags: InitFlags): Promise<string | undefined> {
  const offer = vendorOffers.find((v) => process.env[v.env]);
  if (!offer) return undefined;
  if (flags.yes) return offer.model;
  if (!process.stdin.isTTY || flags.json) {
    process.stderr.write(
      `note: ${offer.env} is set; run \`assay init --model ${offer.model}\` (or --yes) to use ${offer.model}\n`,
    );
    return undefined;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${offer.env} is set. Evaluate with ${offer.model}? [y/N] `);
    return /^y(es)?$/i.test(answer.trim()) ? offer.model : undefined;
  } finally {
    rl.close();
  }
}

async function listFiles(root: string, sub = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(root, sub), { withFileTypes: true })) {
    if (e.name === '.assay' || e.name === 'node_modules') continue;
    const rel = sub ? `${sub}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(root, rel)));
    else out.push(rel);
  }
  return out.sort();
}
