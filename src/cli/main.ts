import { Command, CommanderError, Option } from 'commander';
import { AssayError } from '../core/errors.ts';
import { version } from './version.ts';

/**
 * `assay` — commands are imported lazily so `assay --help` and `assay runs list` never load the AI SDK.
 * Exit codes: 0 ok · 1 thresholds failed · 2 usage or config error · 3 run incomplete · 130 SIGINT · 143 SIGTERM.
 */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  let wantsJson = argv.includes('--json');
  const program = new Command('assay')
    .description('Evaluate, compare and gate LLM prompts with statistics you can trust.')
    .version(version(), '-v, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });

  program
    .command('init')
    .description('scaffold an example project (support-bot prompt, JSON prompt, suite) in a folder')
    .argument('[dir]', 'folder to create the project in', '.')
    .option('--force', 'overwrite existing files')
    .option(
      '-t, --template <name>',
      'a domain starter pack: medical, legal, finance, education, support, rag or agent (docs/starter-packs.md)',
    )
    .option('--model <id>', 'write this model into assay.yaml (e.g. openai:gpt-4o-mini)')
    .option('-y, --yes', 'accept the offered model without asking')
    .option('--json', 'print the result as JSON')
    .action(async (dir: string, opts) => {
      const { initCommand } = await import('./commands/init-command.ts');
      exitCode = await initCommand(dir, opts);
    });

  program
    .command('eval')
    .description('run prompts × models × cases and report pass rates with 95% intervals')
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option(
      '-c, --config <file>',
      'config file (default: assay.yaml or assay.config.ts in the project folder)',
    )
    .option('-p, --prompt <name...>', 'only these prompts')
    .option('-m, --model <id...>', 'only these models; an unconfigured id is used for this run only')
    .option('--base-url <url>', 'base URL for an --model openai-compatible:NAME')
    .option('-s, --suite <name>', 'only this suite')
    .addOption(new Option('--split <split>', 'only cases of this split').choices(['dev', 'test']))
    .option('--category <name>', 'only cases of this category')
    .option('--tag <tag>', 'only cases with this tag')
    .option('-r, --repeat <n>', 'samples per case', posInt)
    .option('-j, --concurrency <n>', 'max calls in flight per model', posInt)
    .option('--timeout <ms>', 'per-call timeout in milliseconds', posInt)
    .option('--max-retries <n>', 'retries per call on 429, 5xx, timeouts and resets', nonNegInt)
    .option(
      '--max-cost <usd>',
      'hard budget in USD: no call starts once it is reached (exit 3, resumable)',
      nonNegNumber,
    )
    .option(
      '--max-error-rate <share>',
      'above this share of errored calls the run is incomplete (exit 3)',
      share,
    )
    .option('--threshold <share>', 'minimum pass rate per prompt × model, else exit 1', share)
    .option('--no-cache', 'do not read responses from the cache')
    .addOption(
      new Option('--record <dir>', 'record every model exchange into DIR (every call is made)').conflicts(
        'replay',
      ),
    )
    .addOption(
      new Option('--replay <dir>', 'answer model calls from the recordings in DIR: no network, no key'),
    )
    .option('--dry-run', 'estimate calls, tokens and cost; send nothing')
    .option('--resume [run]', 'resume an incomplete run (default: the latest)')
    .option('--store <file>', 'run store (SQLite file) instead of the configured one')
    .option(
      '-o, --output <file...>',
      'also write the results of every run to FILE: .xml (JUnit), .json, .jsonl or .csv',
    )
    .option('--message <why>', 'why this change: recorded with each new prompt version (assay prompt log)')
    .option('--queue', 'enqueue the run in the PostgreSQL team store for `assay worker` processes, then exit')
    .option('--wait', 'with --queue: show progress until the workers finish, then the report')
    .option('--json', 'print the report as JSON')
    .action(async (opts) => {
      const { evalCommand } = await import('./commands/eval-command.ts');
      exitCode = await evalCommand(opts);
    });

  program
    .command('worker')
    .description('take jobs of `assay eval --queue` runs from the PostgreSQL team store and run them')
    .option('-C, --cwd <dir>', 'project folder (the same project the runs were queued from)', process.cwd())
    .option('-c, --config <file>', 'config file')
    .option('--store <url>', 'postgres:// URL of the team store (default: ASSAY_DATABASE_URL)')
    .option('-j, --concurrency <n>', "calls in flight per model within a job (default: the run's)", posInt)
    .option('--jobs <n>', 'jobs processed at once (default 2)', posInt)
    .option('--once', 'exit once the queue is drained (default: wait for work until stopped)')
    .option('--json', 'one JSON line per event on stdout')
    .action(async (opts) => {
      const { workerCommand } = await import('./commands/worker-command.ts');
      exitCode = await workerCommand(opts);
    });

  const runs = program.command('runs').description('list and inspect stored runs');
  runs
    .command('list')
    .description('list runs, newest first')
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option('-c, --config <file>', 'config file')
    .option('--store <file>', 'run store (SQLite file) instead of the configured one')
    .option('-n, --limit <n>', 'how many', posInt, 20)
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      const { runsListCommand } = await import('./commands/runs-command.ts');
      exitCode = await runsListCommand(opts);
    });
  runs
    .command('show')
    .description('show one run: its summary and its failures')
    .argument('[run]', 'run id, unique prefix, or latest', 'latest')
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option('-c, --config <file>', 'config file')
    .option('--store <file>', 'run store (SQLite file) instead of the configured one')
    .option('--failures <n>', 'how many failed or errored results to list', nonNegInt, 10)
    .option('--json', 'print as JSON')
    .action(async (run: string, opts) => {
      const { runsShowCommand } = await import('./commands/runs-command.ts');
      exitCode = await runsShowCommand(run, opts);
    });

  program
    .command('export')
    .description('export a run as JSON, JSONL, CSV or JUnit XML')
    .argument('[run]', 'run id, unique prefix, or latest', 'latest')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['json', 'jsonl', 'csv', 'junit'])
        .default('json'),
    )
    .option('-o, --output <file>', 'write to this file (atomically) instead of stdout')
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option('-c, --config <file>', 'config file')
    .option('--store <file>', 'run store (SQLite file) instead of the configured one')
    .option('--json', 'print a JSON status line (with --output)')
    .action(async (run: string, opts) => {
      const { exportCommand } = await import('./commands/export-command.ts');
      exitCode = await exportCommand(run, opts);
    });

  program
    .command('compare')
    .description('pair runs by case: flipped cases, paired difference with its interval, exact p, verdict')
    .argument('<baseline>', 'baseline run: id, unique prefix, latest, latest~N, or NAME@LABEL / NAME@VERSION')
    .argument('<candidate...>', 'candidate run(s); several are Holm-adjusted and sorted by effect')
    .addOption(new Option('--metric <metric>', 'what to compare').choices(['pass', 'score']).default('pass'))
    .option('--margin <m>', 'equivalence margin (difference, e.g. 0.05)', nonNegNumber)
    .option('--alpha <a>', 'significance level, two-sided', probability, 0.05)
    .option('--seed <n>', 'seed of the bootstrap and permutation draws', nonNegInt, 0)
    .option('-p, --prompt <name>', 'only this prompt (when a run holds several)')
    .option('-m, --model <id>', 'only this model (when a run holds several)')
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option('-c, --config <file>', 'config file')
    .option('--store <file>', 'run store (SQLite file) instead of the configured one')
    .option('--json', 'print the comparison as JSON')
    .action(async (baseline: string, candidates: string[], opts) => {
      const { compareCommand } = await import('./commands/compare-command.ts');
      exitCode = await compareCommand(baseline, candidates, opts);
    });

  program
    .command('report')
    .description('a self-contained HTML (or Markdown) report of a run, or of a run compared with a baseline')
    .argument('[run]', 'run id, unique prefix, latest, latest~N, or NAME@LABEL / NAME@VERSION', 'latest')
    .option('--compare <baseline>', 'compare the run with this baseline run (same references)')
    .option(
      '-o, --output <file>',
      'FILE.html (offline page, results beside it as JSONL) or FILE.md',
      'report.html',
    )
    .option('--seed <n>', 'seed of the comparison bootstrap and permutation draws', nonNegInt, 0)
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option('-c, --config <file>', 'config file')
    .option('--store <file>', 'run store (SQLite file) instead of the configured one')
    .option('--json', 'print what was written as JSON')
    .action(async (run: string, opts) => {
      const { reportCommand } = await import('./commands/report-command.ts');
      exitCode = await reportCommand(run, opts);
    });

  program
    .command('gate')
    .description(
      'CI regression gate: compare a candidate with a baseline run or git ref; exit 1 on a regression',
    )
    .requiredOption(
      '--baseline <run>',
      'baseline: run id, unique prefix, latest, git:REF (prompts at REF, evaluated now), or NAME@LABEL / NAME@VERSION',
    )
    .option('--candidate <run>', 'candidate run id, prefix or latest (default: evaluate the project now)')
    .addOption(new Option('--metric <metric>', 'what to compare').choices(['pass', 'score']).default('pass'))
    .option('--max-regressions <n>', 'fail when more than n cases regress (pass → fail)', nonNegInt)
    .option(
      '--max-error-rate <share>',
      'exit 3 when the baseline or the candidate errors on more than this share of results (default 0)',
      share,
    )
    .option('--alpha <a>', 'significance level, two-sided (default 0.05)', probability)
    .option('--margin <m>', 'equivalence margin (difference in pass rate or mean score)', nonNegNumber)
    .option('--seed <n>', 'seed of the bootstrap and permutation draws (default 0)', nonNegInt)
    .option('--junit <file>', 'write a JUnit XML report (one testcase per check)')
    .option('--markdown <file>', 'write a Markdown summary (for a pull-request comment)')
    .option('-m, --model <id...>', 'only these models')
    .option('--base-url <url>', 'base URL for an --model openai-compatible:NAME')
    .option('-s, --suite <name>', 'only this suite')
    .option('-p, --prompt <name...>', 'only these prompts')
    .option('-r, --repeat <n>', 'samples per case', posInt)
    .option('-j, --concurrency <n>', 'max calls in flight per model', posInt)
    .option('--max-cost <usd>', 'hard budget in USD for the evaluations the gate makes', nonNegNumber)
    .option('--no-cache', 'do not read responses from the cache')
    .addOption(new Option('--record <dir>', 'record every model exchange into DIR').conflicts('replay'))
    .addOption(new Option('--replay <dir>', 'answer model calls from the recordings in DIR'))
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option('-c, --config <file>', 'config file')
    .option('--store <file>', 'run store (SQLite file) instead of the configured one')
    .option(
      '--allow-unvalidated',
      'gate with LLM judges that are not validated (a warning instead of exit 2)',
    )
    .option('--json', 'print the gate result as JSON')
    .action(async (opts) => {
      const { gateCommand } = await import('./commands/gate-command.ts');
      exitCode = await gateCommand(opts);
    });

  program
    .command('annotate')
    .description(
      "judge a run's outputs in the terminal (pass/fail or 1–5, notes; resumable), or --import them",
    )
    .argument('[run]', 'run id, unique prefix, or latest (default: latest)')
    .option('--annotator <name>', 'who is judging (default: $ASSAY_ANNOTATOR, else the login name)')
    .addOption(
      new Option('--scale <scale>', 'how outputs are judged')
        .choices(['pass-fail', '1-5'])
        .default('pass-fail'),
    )
    .option(
      '--import <file>',
      'import annotations from a CSV or JSONL file instead (see docs/annotations.md)',
    )
    .option('--file <file>', 'annotations file (default: annotations/<suite>.jsonl in the project)')
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option('-c, --config <file>', 'config file')
    .option('--store <file>', 'run store (SQLite file) instead of the configured one')
    .option('--json', 'print the --import result as JSON')
    .action(async (run: string | undefined, opts) => {
      const { annotateCommand } = await import('./commands/annotate-command.ts');
      exitCode = await annotateCommand(run, opts);
    });

  const judge = program
    .command('judge')
    .description('LLM judges: validate against human annotations, compare two runs pairwise');
  judge
    .command('validate')
    .description("compare a judge's verdicts in a run with human annotations of the same outputs")
    .argument('<judge>', 'the judge file (*.judge.md)')
    .requiredOption('--annotations <file>', 'annotations file (JSONL, e.g. annotations/<suite>.jsonl)')
    .option('--run <run>', 'run whose judge verdicts to use: id, unique prefix, or latest', 'latest')
    .option('--seed <n>', 'seed of the κ bootstrap interval', '0')
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option('-c, --config <file>', 'config file')
    .option('--store <file>', 'run store (SQLite file) instead of the configured one')
    .option('--json', 'print the validation report as JSON')
    .action(async (judgeFile: string, opts) => {
      const { judgeValidateCommand } = await import('./commands/judge-command.ts');
      exitCode = await judgeValidateCommand(judgeFile, opts);
    });
  judge
    .command('pairwise')
    .description('a pairwise judge compares two runs output by output, in both orders: wins, ties, sign test')
    .argument('<judge>', 'the judge file (*.judge.md, kind: pairwise)')
    .argument('<a>', 'run A: id, unique prefix, latest, latest~N, or NAME@LABEL / NAME@VERSION')
    .argument('<b>', 'run B, as A')
    .option('--max-cost <usd>', 'hard budget in USD for the judge calls (exit 3 when reached)', nonNegNumber)
    .option('--dry-run', 'estimate judge calls, tokens and cost; send nothing')
    .option('--limit <n>', 'judge at most n pairs, drawn at random with --seed', posInt)
    .option('--seed <n>', 'seed of the --limit draw (default 0)', nonNegInt)
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option('-c, --config <file>', 'config file')
    .option('--store <file>', 'run store (SQLite file) instead of the configured one')
    .option('--json', 'print the report (with every pair) as JSON')
    .action(async (judgeFile: string, a: string, b: string, opts) => {
      const { judgePairwiseCommand } = await import('./commands/judge-pairwise-command.ts');
      exitCode = await judgePairwiseCommand(judgeFile, a, b, opts);
    });

  const importCmd = program.command('import').description('bring in projects and results from other tools');
  importCmd
    .command('promptfoo')
    .description('convert a promptfoo config into Assay prompts, suite, judges and assay.yaml')
    .argument('<config>', 'promptfooconfig.yaml')
    .option('-o, --output <dir>', 'folder to write the project to', 'assay-import')
    .option('--force', 'overwrite existing files')
    .option('--json', 'print the result as JSON')
    .action(async (config: string, opts) => {
      const { importPromptfooCommand } = await import('./commands/import-command.ts');
      exitCode = await importPromptfooCommand(config, opts);
    });
  importCmd
    .command('promptfoo-results')
    .description('store a promptfoo results JSON (promptfoo eval -o results.json) as an Assay run')
    .argument('<results>', 'results.json')
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option('-c, --config <file>', 'config file')
    .option('--store <file>', 'run store (SQLite file) instead of the configured one')
    .option('--json', 'print the result as JSON')
    .action(async (results: string, opts) => {
      const { importPromptfooResultsCommand } = await import('./commands/import-command.ts');
      exitCode = await importPromptfooResultsCommand(results, opts);
    });

  program
    .command('plan')
    .description('cases needed to detect a difference, or the minimum detectable effect at n cases')
    .option('--baseline-rate <p>', 'expected pass rate of the baseline', probability)
    .option('--delta <d>', 'difference in pass rate worth detecting (e.g. 0.05)', probability)
    .option('--n <n>', 'cases available: report the minimum detectable effect instead', posInt)
    .option('--paired', 'both versions run on the same cases (the default for prompt comparisons)')
    .option(
      '--discordance <share>',
      'share of cases whose result differs between versions (paired)',
      probability,
    )
    .option('--repeats <k>', 'samples per case', posInt)
    .option('--icc <x>', 'correlation of repeats of one case (with --repeats)', share)
    .option('--cluster-size <m>', 'mean cases per cluster', posNumber)
    .option('--cluster-icc <x>', 'intra-cluster correlation (with --cluster-size)', share)
    .option('--alpha <a>', 'significance level, two-sided (default 0.05)', probability)
    .option('--power <p>', 'power (default 0.8)', probability)
    .option('--pilot <run>', 'take the baseline rate from a stored run')
    .option('--against <run>', 'with --pilot: a second run on the same cases, for the observed discordance')
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option('-c, --config <file>', 'config file')
    .option('--store <file>', 'run store (SQLite file) instead of the configured one')
    .option('--json', 'print the plan as JSON')
    .action(async (opts) => {
      const { planCommand } = await import('./commands/plan-command.ts');
      exitCode = await planCommand(opts);
    });

  const suiteCmd = program
    .command('suite')
    .description('test sets: coverage and duplicates (stats), dev/test split, review of generated cases');
  suiteCmd
    .command('stats')
    .description('counts by category, tag and split; missing categories, duplicates, split leaks; MDE')
    .argument('<suite>', 'suite file, or the name of a suite of the project')
    .option(
      '--similarity <x>',
      'near-duplicate threshold: Jaccard of word bigrams (default 0.8)',
      probabilityOrOne,
    )
    .option(
      '--baseline-rate <p>',
      'pass rate the minimum detectable effect is computed at (default 0.5)',
      probability,
    )
    .option('--strict', 'exit 1 when there is any warning')
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option('-c, --config <file>', 'config file')
    .option('--json', 'print as JSON')
    .action(async (suite: string, opts) => {
      const { suiteStatsCommand } = await import('./commands/suite-command.ts');
      exitCode = await suiteStatsCommand(suite, opts);
    });
  suiteCmd
    .command('split')
    .description('assign dev/test (seeded; by category; clusters kept whole) and write split: into the file')
    .argument('<suite>', 'suite file, or the name of a suite of the project')
    .requiredOption('--test <share>', 'share of cases held out as test (e.g. 0.3)', share)
    .option('--seed <n>', 'seed of the assignment', nonNegInt, 0)
    .addOption(
      new Option('--stratify <by>', 'give each category its share')
        .choices(['category', 'none'])
        .default('category'),
    )
    .option(
      '--similarity <x>',
      'near-duplicates at or above this similarity share a split (default 0.8)',
      probabilityOrOne,
    )
    .option('--dry-run', 'show the assignment; write nothing')
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option('-c, --config <file>', 'config file')
    .option('--json', 'print as JSON')
    .action(async (suite: string, opts) => {
      const { suiteSplitCommand } = await import('./commands/suite-command.ts');
      exitCode = await suiteSplitCommand(suite, opts);
    });
  suiteCmd
    .command('review')
    .description('review generated cases in the terminal: accept, edit in $EDITOR, or reject')
    .argument('<suite>', 'suite file, or the name of a suite of the project')
    .option('--all', 'review every case, not only the unreviewed ones')
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option('-c, --config <file>', 'config file')
    .action(async (suite: string, opts) => {
      const { suiteReviewCommand } = await import('./commands/suite-review-command.ts');
      exitCode = await suiteReviewCommand(suite, opts);
    });

  program
    .command('generate')
    .description('a model drafts new cases for a category; kept drafts are appended unreviewed')
    .argument('<suite>', 'suite file, or the name of a suite of the project')
    .requiredOption(
      '--category <name>',
      'category of the new cases (representative, edge, adversarial, negative…)',
    )
    .requiredOption('-m, --model <id>', 'a configured model that drafts the cases')
    .option('--count <n>', 'cases to ask for', posInt, 10)
    .option('--description <text>', 'what the cases should probe')
    .option('--from <file>', 'seed examples: a suite file whose cases are shown to the model')
    .option('-p, --prompt <name>', 'the prompt the cases are for (default: the suite’s first prompt)')
    .option(
      '--similarity <x>',
      'near-duplicate threshold, as for suite stats (default 0.8)',
      probabilityOrOne,
    )
    .option('--max-cost <usd>', 'hard budget in USD for the drafting call', nonNegNumber)
    .option('--dry-run', 'estimate the call, tokens and cost; send nothing')
    .option('--no-cache', 'do not read the answer from the cache')
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option('-c, --config <file>', 'config file')
    .option('--store <file>', 'run store (SQLite file) holding the response cache')
    .option('--json', 'print the result as JSON')
    .action(async (suite: string, opts) => {
      const { generateCommand } = await import('./commands/generate-command.ts');
      exitCode = await generateCommand(suite, opts);
    });

  program
    .command('doctor')
    .description('check Node, the config, the store, model keys (named, never shown), judges, local model')
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option('-c, --config <file>', 'config file')
    .option('--json', 'print the findings as JSON')
    .action(async (opts) => {
      const { doctorCommand } = await import('./commands/doctor-command.ts');
      exitCode = await doctorCommand(opts);
    });

  const db = program
    .command('db')
    .description('the run store: status, migrate, push a local store into the team store');
  db.command('push')
    .description(
      "copy the local store's runs, prompt versions and label history into another store (idempotent)",
    )
    .requiredOption('--to <url-or-path>', 'target: a postgres:// URL or a SQLite file')
    .option('--from <file>', "source SQLite file (default: the project's local store)")
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option('-c, --config <file>', 'config file')
    .option('--json', 'print the counts as JSON')
    .action(async (opts) => {
      const { dbPushCommand } = await import('./commands/db-push-command.ts');
      exitCode = await dbPushCommand(opts);
    });
  db.command('check')
    .description('integrity check of the run store: pages, keys, counts, statuses, cache, annotations')
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option('-c, --config <file>', 'config file')
    .option('--store <file>', 'run store (SQLite file or postgres:// URL) instead of the configured one')
    .option('--json', 'print the report as JSON')
    .action(async (opts) => {
      const { dbCheckCommand } = await import('./commands/db-check-command.ts');
      exitCode = await dbCheckCommand(opts);
    });
  for (const [name, description] of [
    ['status', 'backend, store (password redacted), schema version, pending migrations, runs'],
    ['migrate', 'apply pending schema migrations (each once, in its own transaction)'],
  ] as const)
    db.command(name)
      .description(description)
      .option('-C, --cwd <dir>', 'project folder', process.cwd())
      .option('-c, --config <file>', 'config file')
      .option('--store <file>', 'run store (SQLite file or postgres:// URL) instead of the configured one')
      .option('--json', 'print as JSON')
      .action(async (opts) => {
        const { dbMigrateCommand, dbStatusCommand } = await import('./commands/db-command.ts');
        exitCode = await (name === 'status' ? dbStatusCommand(opts) : dbMigrateCommand(opts));
      });

  const prompt = program
    .command('prompt')
    .description('the prompt registry: versions, labels (assay.labels.yaml), log, show, diff, get');
  const registryOptions = (c: Command) =>
    c
      .option('-C, --cwd <dir>', 'project folder', process.cwd())
      .option('-c, --config <file>', 'config file')
      .option('--store <file>', 'run store (SQLite file) instead of the configured one')
      .option('--json', 'print as JSON');
  registryOptions(
    prompt
      .command('label')
      .description(
        'point LABEL at a version (writes assay.labels.yaml, records the move); rollback = move it back',
      )
      .argument('<ref>', 'NAME@VERSION (a version or a unique prefix)')
      .argument('<label>', 'label, e.g. production')
      .option('--message <why>', 'why the label moves'),
  ).action(async (ref: string, label: string, opts) => {
    const { promptLabelCommand } = await import('./commands/prompt-command.ts');
    exitCode = await promptLabelCommand(ref, label, opts);
  });
  registryOptions(
    prompt
      .command('labels')
      .description("a prompt's labels and their history")
      .argument('<name>', 'prompt name'),
  ).action(async (name: string, opts) => {
    const { promptLabelsCommand } = await import('./commands/prompt-command.ts');
    exitCode = await promptLabelsCommand(name, opts);
  });
  registryOptions(
    prompt
      .command('log')
      .description('recorded versions, newest first, with pass rates per suite × model')
      .argument('<name>', 'prompt name'),
  ).action(async (name: string, opts) => {
    const { promptLogCommand } = await import('./commands/prompt-command.ts');
    exitCode = await promptLogCommand(name, opts);
  });
  registryOptions(
    prompt
      .command('show')
      .description("a version's metadata and source")
      .argument('<ref>', 'NAME@VERSION, NAME@LABEL or NAME (the current file)'),
  ).action(async (ref: string, opts) => {
    const { promptShowCommand } = await import('./commands/prompt-command.ts');
    exitCode = await promptShowCommand(ref, opts);
  });
  registryOptions(
    prompt
      .command('diff')
      .description('what changed between two versions: messages, variables, settings, output schema, tools')
      .argument('<a>', 'NAME@VERSION, NAME@LABEL or NAME')
      .argument('<b>', 'NAME@VERSION, NAME@LABEL, NAME, or a version of the same prompt'),
  ).action(async (a: string, b: string, opts) => {
    const { promptDiffCommand } = await import('./commands/prompt-command.ts');
    exitCode = await promptDiffCommand(a, b, opts);
  });
  registryOptions(
    prompt
      .command('get')
      .description('print the source of a version (from the store, the current file or git history)')
      .argument('<ref>', 'NAME (the current file), NAME@VERSION or NAME@LABEL')
      .option('--label <label>', 'the version this label points at'),
  ).action(async (name: string, opts) => {
    const { promptGetCommand } = await import('./commands/prompt-command.ts');
    exitCode = await promptGetCommand(name, opts);
  });

  program
    .command('optimize')
    .description('improve a prompt on the dev split, one tested hypothesis at a time, never regressing')
    .argument('<prompt>', 'name of the prompt to optimize')
    .option('-s, --suite <name>', 'the suite (default: the one suite of the prompt)')
    .option('-m, --model <id>', 'target model (default: the only configured one)')
    .option('--proposer <id>', 'model that diagnoses failures and proposes edits')
    .option('--manual', 'propose the edits yourself: see the diagnosis, edit the file, state a hypothesis')
    .option('-r, --repeat <n>', 'samples per case (default 2)', posInt)
    .option('--alpha <a>', 'significance level spent over all hypotheses (default 0.05)', probability)
    .option('--max-hypotheses <n>', 'stop after this many hypotheses (default 8)', posInt)
    .option('--patience <n>', 'stop after this many rejections in a row (default 5)', posInt)
    .option('--max-cost <usd>', 'hard budget in USD for every call: target, judge, proposer', nonNegNumber)
    .option('--out <dir>', 'folder for the log, checkpoint and story (default .assay/optimize/PROMPT)')
    .option('--resume', 'continue the optimization recorded in --out')
    .option('--dry-run', 'estimate calls, tokens and cost; send nothing')
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option('-c, --config <file>', 'config file')
    .option('--store <file>', 'run store (SQLite file) instead of the configured one')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, opts) => {
      const { optimizeCommand } = await import('./commands/optimize-command.ts');
      exitCode = await optimizeCommand(name, opts);
    });

  program
    .command('ui')
    .description('the local web app: runs, results, comparisons, prompts, annotation, judges (127.0.0.1)')
    .option('--port <n>', 'port on 127.0.0.1 (default: a free port)', portNumber)
    .option('--open', 'open the browser at the printed address')
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option('-c, --config <file>', 'config file')
    .option('--store <file>', 'run store (SQLite file) instead of the configured one')
    .action(async (opts) => {
      const { uiCommand } = await import('./commands/ui-command.ts');
      exitCode = await uiCommand(opts);
    });

  const models = program
    .command('models')
    .description('pull and list local GGUF models (cache: ASSAY_MODELS_DIR or ~/.cache/assay/models)');
  models
    .command('pull')
    .description('download a model into the cache: resumable, checksum-verified (default: the default model)')
    .argument('[uri]', 'hf:OWNER/REPO/FILE.gguf[@REVISION] (default: the default local model)')
    .option('--sha256 <hex>', 'expected sha256 of the file (checked after the download)')
    .option('--json', 'print the result as JSON')
    .action(async (uri: string | undefined, opts) => {
      const { modelsPullCommand } = await import('./commands/models-command.ts');
      exitCode = await modelsPullCommand(uri, opts);
    });
  models
    .command('list')
    .description('list the models in the cache (and interrupted downloads)')
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      const { modelsListCommand } = await import('./commands/models-command.ts');
      exitCode = await modelsListCommand(opts);
    });

  program
    .command('redteam')
    .description('attack prompts with generated adversarial suites; attack success rates with 95% intervals')
    .option('-C, --cwd <dir>', 'project folder', process.cwd())
    .option(
      '-c, --config <file>',
      'config file (default: assay.yaml or assay.config.ts in the project folder)',
    )
    .option('--redteam-config <file>', 'red-team config, relative to the project folder', 'redteam.yaml')
    .option('-m, --model <id...>', "attack these models instead of the red-team config's target.models")
    .option('-r, --repeat <n>', 'samples per attack', posInt)
    .option('-j, --concurrency <n>', 'max calls in flight per model', posInt)
    .option(
      '--max-cost <usd>',
      'hard budget in USD for every call (targets and judges): none starts once it is reached (exit 3)',
      nonNegNumber,
    )
    .option(
      '--max-error-rate <share>',
      'above this share of errored calls the run is incomplete (exit 3)',
      share,
    )
    .option('--no-cache', 'do not read responses from the cache')
    .option('--dry-run', 'generate the attacks and estimate calls, tokens and cost; send nothing')
    .option(
      '--compare <run>',
      'pair attack outcomes with an earlier red-team run (exact McNemar); exit 1 if worse',
    )
    .option('--freeze <file>', 'write the attacks that breached to a replay suite file for assay eval / gate')
    .option('--store <file>', 'run store (SQLite file) instead of the configured one')
    .option('--json', 'print the report as JSON')
    .action(async (opts) => {
      const { redteamCommand } = await import('./commands/redteam-command.ts');
      exitCode = await redteamCommand(opts);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return 0;
      return 2; // commander already printed the usage error
    }
    wantsJson = wantsJson || argv.includes('--json');
    return reportError(e, wantsJson);
  }
}

export function reportError(e: unknown, json: boolean): number {
  if (e instanceof AssayError) {
    if (json)
      process.stdout.write(`${JSON.stringify({ error: { message: e.message, exitCode: e.exitCode } })}\n`);
    else process.stderr.write(`assay: ${e.message}\n`);
    return e.exitCode;
  }
  const err = e as Error;
  const detail = process.env.ASSAY_DEBUG ? `\n${err?.stack}` : ' (set ASSAY_DEBUG=1 for details)';
  if (json)
    process.stdout.write(
      `${JSON.stringify({ error: { message: `internal error: ${err?.message}`, exitCode: 70 } })}\n`,
    );
  else process.stderr.write(`assay: internal error: ${err?.message ?? String(e)}${detail}\n`);
  return 70;
}

function posInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new AssayError(`'${v}' is not a whole number ≥ 1`, 2);
  return n;
}
function nonNegInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new AssayError(`'${v}' is not a whole number ≥ 0`, 2);
  return n;
}
function nonNegNumber(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new AssayError(`'${v}' is not a number ≥ 0`, 2);
  return n;
}
function share(v: string): number {
  const n = v.endsWith('%') ? Number(v.slice(0, -1)) / 100 : Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new AssayError(`'${v}' is not a share between 0 and 1 (or 0%–100%)`, 2);
  return n;
}
function probability(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0 || n >= 1)
    throw new AssayError(`'${v}' is not a number strictly between 0 and 1`, 2);
  return n;
}
function portNumber(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new AssayError(`'${v}' is not a port number (0 to 65535; 0 picks a free one)`, 2);
  return n;
}
function posNumber(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0) throw new AssayError(`'${v}' is not a number > 0`, 2);
  return n;
}
function probabilityOrOne(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 1)
    throw new AssayError(`'${v}' is not a number in (0, 1]`, 2);
  return n;
}
