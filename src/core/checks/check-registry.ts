import { judgeCheck } from '../../judges/judge-check.ts';
import { bleuCheck } from './bleu-check.ts';
import { canaryCheck } from './canary-check.ts';
import type { CheckDefinition } from './check-definition.ts';
import { citationCheck } from './citation-check.ts';
import { combinatorChecks } from './combinator-checks.ts';
import { containsChecks } from './contains-checks.ts';
import { costCheck } from './cost-check.ts';
import { customCheck } from './custom-check.ts';
import { equalsCheck } from './equals-check.ts';
import { isJsonCheck } from './is-json-check.ts';
import { jsonPathCheck } from './json-path-check.ts';
import { jsonSchemaCheck } from './json-schema-check.ts';
import { latencyCheck } from './latency-check.ts';
import { lengthCheck } from './length-check.ts';
import { levenshteinCheck } from './levenshtein-check.ts';
import { noPiiCheck } from './no-pii-check.ts';
import { refusalChecks } from './refusal-checks.ts';
import { regexCheck } from './regex-check.ts';
import { rougeLCheck } from './rouge-l-check.ts';
import { startsWithCheck } from './starts-with-check.ts';
import { toolCallCheck } from './tool-call-check.ts';

/** Every built-in check type, by name. Order is the order of docs/checks.md. */
export const checkRegistry: ReadonlyMap<string, CheckDefinition> = new Map(
  [
    equalsCheck,
    ...containsChecks,
    regexCheck,
    startsWithCheck,
    isJsonCheck,
    jsonSchemaCheck,
    jsonPathCheck,
    toolCallCheck,
    lengthCheck,
    levenshteinCheck,
    rougeLCheck,
    bleuCheck,
    ...refusalChecks,
    citationCheck,
    noPiiCheck,
    canaryCheck,
    latencyCheck,
    costCheck,
    customCheck,
    judgeCheck,
    ...combinatorChecks,
  ].map((d) => [d.type, d]),
);
