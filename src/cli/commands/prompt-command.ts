import { AssayError } from '../../core/errors.ts';
import { diffPrompts } from '../../registry/diff-prompts.ts';
import { labelsFileName, writeLabelsFile } from '../../registry/labels-file.ts';
import { openRegistry, type Registry } from '../../registry/open-registry.ts';
import { currentAuthor } from '../../registry/record-prompt-versions.ts';
import { resolvePromptRef, resolvePromptString, splitPromptRef } from '../../registry/resolve-prompt-ref.ts';
import { versionResults } from '../../registry/version-results.ts';
import { safeText } from '../../reporters/format.ts';

interface PromptFlags {
  cwd: string;
  config?: string;
  store?: string;
  json?: boolean;
}

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
const json = (value: unknown) => out(JSON.stringify(value, null, 2));
const pct = (x: number) => (Number.isNaN(x) ? '—' : `${(x * 100).toFixed(1)}%`);

async function withRegistry(flags: PromptFlags, work: (r: Registry) => Promise<number>, create = false) {
  const registry = await openRegistry({ cwd: flags.cwd, config: flags.config, store: flags.store, create });
  try {
    return await work(registry);
  } finally {
    await registry.close();
  }
}

/** `assay prompt label NAME@VERSION LABEL`: moves a label in the labels file and records the move. */
export function promptLabelCommand(ref: string, label: string, flags: PromptFlags & { message?: string }) {
  return withRegistry(
    flags,
    async (registry) => {
      const { name, ref: version } = splitPromptRef(ref);
      if (version === undefined) throw new AssayError(`name the version to label: ${name}@VERSION`, 2);
      const found = await resolvePromptString(registry, ref);
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(label))
        throw new AssayError(`'${label}' is not a usable label: letters, digits, ., _ and - only`, 2);
      const previous = registry.labels[name]?.[label];
      const labels = {
        ...registry.labels,
        [name]: { ...(registry.labels[name] ?? {}), [label]: found.version },
      };
      if (previous !== found.version) await writeLabelsFile(registry.root, labels);
      const store = registry.store;
      if (store && found.origin !== 'store' && found.source)
        await store.putPromptVersion({
          name,
          version: found.version,
          file: found.file,
          source: found.source,
          createdAt: new Date().toISOString(),
        });
      const author = await currentAuthor(registry.root);
      const event = {
        name,
        label,
        version: found.version,
        ...(previous !== undefined ? { previous } : {}),
        movedAt: new Date().toISOString(),
        ...(author !== undefined ? { author } : {}),
        ...(flags.message !== undefined ? { message: flags.message } : {}),
      };
      if (previous !== found.version) await store?.recordLabelEvent(event);
      if (flags.json) json({ ...event, changed: previous !== found.version, file: labelsFileName });
      else if (previous === found.version) out(`${name}@${label} already points at ${found.version}`);
      else
        out(
          `${name}@${label} → ${found.version}${previous ? ` (was ${previous})` : ''}; written to ${labelsFileName} (commit it)`,
        );
      return 0;
    },
    true,
  );
}

/** `assay prompt labels NAME`: current labels and their history (newest first). */
export function promptLabelsCommand(name: string, flags: PromptFlags) {
  return withRegistry(flags, async (registry) => {
    const current = registry.labels[name] ?? {};
    const history = (await registry.store?.labelHistory(name)) ?? [];
    if (flags.json) {
      json({ name, labels: current, history });
      return 0;
    }
    const lines = [`labels of ${name} (${labelsFileName})`];
    const entries = Object.entries(current);
    if (entries.length === 0) lines.push('  none');
    for (const [label, version] of entries) lines.push(`  ${label.padEnd(14)} ${version}`);
    lines.push('', 'history (newest first)');
    if (history.length === 0) lines.push('  none recorded');
    for (const e of history)
      lines.push(
        `  ${e.movedAt.replace('T', ' ').slice(0, 19)}  ${e.label.padEnd(12)} ${e.previous ?? '(new)'} → ${e.version}${e.author ? `  by ${safeText(e.author, 30)}` : ''}${e.message ? `  "${safeText(e.message, 60)}"` : ''}`,
      );
    out(lines.join('\n'));
    return 0;
  });
}

/** `assay prompt log NAME`: recorded versions, newest first, each with its results per suite × model. */
export function promptLogCommand(name: string, flags: PromptFlags) {
  return withRegistry(flags, async (registry) => {
    const store = registry.store;
    const versions = store ? await store.listPromptVersions(name) : [];
    if (versions.length === 0 && !registry.prompts.some((p) => p.name === name))
      throw new AssayError(`unknown prompt '${name}'`, 2);
    const labelsOf = (v: string) =>
      Object.entries(registry.labels[name] ?? {})
        .filter(([, x]) => x === v)
        .map(([l]) => l);
    const entries = [];
    for (const v of versions) {
      const { source: _source, ...meta } = v;
      entries.push({
        ...meta,
        labels: labelsOf(v.version),
        results: store ? await versionResults(store, name, v.version) : [],
      });
    }
    if (flags.json) {
      json({ name, versions: entries });
      return 0;
    }
    if (entries.length === 0) {
      out(`no recorded versions of ${name} yet: run \`assay eval -p ${name}\``);
      return 0;
    }
    const lines: string[] = [];
    for (const e of entries) {
      const tags = e.labels.length ? ` (${e.labels.join(', ')})` : '';
      lines.push(`version ${e.version}${tags}`);
      lines.push(
        `  date     ${e.createdAt.replace('T', ' ').slice(0, 19)}${e.author ? `  by ${safeText(e.author, 40)}` : ''}`,
      );
      if (e.parent) lines.push(`  parent   ${e.parent}`);
      if (e.gitCommit) lines.push(`  commit   ${e.gitCommit.slice(0, 12)}`);
      if (e.message) lines.push(`  message  ${safeText(e.message, 200)}`);
      if (e.results.length === 0) lines.push('  results  none stored');
      for (const r of e.results)
        lines.push(
          `  ${safeText(r.suite, 20)} × ${safeText(r.model, 32)}  ${pct(r.passRate)} [${pct(r.lower)}, ${pct(r.upper)}]  n=${r.n}${r.errors ? `  errors=${r.errors}` : ''}  ${r.lastRunAt.slice(0, 10)}`,
        );
      lines.push('');
    }
    out(lines.join('\n'));
    return 0;
  });
}

/** `assay prompt show NAME@VERSION|NAME@LABEL`: metadata and source. */
export function promptShowCommand(ref: string, flags: PromptFlags) {
  return withRegistry(flags, async (registry) => {
    const p = await resolvePromptString(registry, ref);
    const meta = {
      name: p.name,
      version: p.version,
      file: p.file,
      origin: p.origin,
      ...(p.label ? { label: p.label } : {}),
      ...(p.record?.parent ? { parent: p.record.parent } : {}),
      ...(p.record?.author ? { author: p.record.author } : {}),
      ...(p.record?.gitCommit ? { gitCommit: p.record.gitCommit } : {}),
      ...(p.record?.message ? { message: p.record.message } : {}),
      ...(p.record ? { createdAt: p.record.createdAt } : {}),
    };
    if (flags.json) {
      json({ ...meta, source: p.source });
      return 0;
    }
    const lines = Object.entries(meta).map(([k, v]) => `${`${k}:`.padEnd(11)}${v}`);
    out(`${lines.join('\n')}\n\n${p.source}`);
    return 0;
  });
}

/** `assay prompt get NAME [--label L | --version V]`: the source of that version, nothing else. */
export function promptGetCommand(ref: string, flags: PromptFlags & { label?: string }) {
  return withRegistry(flags, async (registry) => {
    const p =
      flags.label !== undefined
        ? await resolvePromptRef(registry, splitPromptRef(ref).name, { label: flags.label })
        : await resolvePromptString(registry, ref);
    if (flags.json)
      json({ name: p.name, version: p.version, file: p.file, origin: p.origin, source: p.source });
    else process.stdout.write(p.source);
    return 0;
  });
}

/** `assay prompt diff A B`: what changed between two versions, by section. */
export function promptDiffCommand(a: string, b: string, flags: PromptFlags) {
  return withRegistry(flags, async (registry) => {
    const from = await resolvePromptString(registry, a);
    // A bare B is a prompt name when the project has one, else a version or label of A's prompt.
    const bare = !b.includes('@') && !registry.prompts.some((p) => p.name === b);
    const to = await resolvePromptString(registry, bare ? `${from.name}@${b}` : b);
    const sections = diffPrompts(from.spec, to.spec);
    if (flags.json) {
      json({
        from: { name: from.name, version: from.version },
        to: { name: to.name, version: to.version },
        sections,
      });
      return 0;
    }
    const lines = [`--- ${from.name}@${from.version}`, `+++ ${to.name}@${to.version}`];
    if (sections.length === 0) lines.push('no differences');
    for (const s of sections) lines.push('', `## ${s.section}`, ...s.lines);
    out(lines.join('\n'));
    return 0;
  });
}
