import { judgeCheck } from '../../judges/judge-check.ts';
import { juryCheck } from '../../judges/jury-check.ts';
import { redteamChecks } from '../../redteam/redteam-checks.ts';
import { abstainsCheck } from './abstains-check.ts';
import { bleuCheck } from './bleu-check.ts';
import { canaryCheck } from './canary-check.ts';
import type { CheckDefinition } from './check-definition.ts';
import { citationCheck } from './citation-check.ts';
import { citationsValidCheck } from './citations-valid-check.ts';
import { citesGoldCheck } from './cites-gold-check.ts';
import { combinatorChecks } from './combinator-checks.ts';
import { containsChecks } from './contains-checks.ts';
import { conversationChecks } from './conversation-checks.ts';
import { costCheck } from './cost-check.ts';
import { customCheck } from './custom-check.ts';
import { endStateCheck } from './end-state-check.ts';
import { equalsCheck } from './equals-check.ts';
import { followsHierarchyCheck } from './follows-hierarchy-check.ts';
import { isJsonCheck } from './is-json-check.ts';
import { jsonPathCheck } from './json-path-check.ts';
import { jsonSchemaCheck } from './json-schema-check.ts';
import { latencyCheck } from './latency-check.ts';
import { lengthCheck } from './length-check.ts';
import { levenshteinCheck } from './levenshtein-check.ts';
import { noPiiCheck } from './no-pii-check.ts';
import { quotesGroundedCheck } from './quotes-grounded-check.ts';
import { recoversFromToolErrorCheck } from './recovers-from-tool-error-check.ts';
import { refusalChecks } from './refusal-checks.ts';
import { regexCheck } from './regex-check.ts';
import { rougeLCheck } from './rouge-l-check.ts';
import { startsWithCheck } from './starts-with-check.ts';
import { stepCountCheck } from './step-count-check.ts';
import { stoppedProperlyCheck } from './stopped-properly-check.ts';
import { toolCallCheck } from './tool-call-check.ts';
import { toolCalledCheck } from './tool-called-check.ts';
import { toolNotCalledCheck } from './tool-not-called-check.ts';
import { toolSequenceCheck } from './tool-sequence-check.ts';

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
    toolCalledCheck,
    toolNotCalledCheck,
    toolSequenceCheck,
    stepCountCheck,
    stoppedProperlyCheck,
    recoversFromToolErrorCheck,
    endStateCheck,
    lengthCheck,
    levenshteinCheck,
    rougeLCheck,
    bleuCheck,
    ...refusalChecks,
    citationCheck,
    citationsValidCheck,
    citesGoldCheck,
    quotesGroundedCheck,
    abstainsCheck,
    followsHierarchyCheck,
    noPiiCheck,
    canaryCheck,
    latencyCheck,
    costCheck,
    customCheck,
    judgeCheck,
    juryCheck,
    ...conversationChecks,
    ...combinatorChecks,
    // Red-team graders (docs/redteam.md): deterministic, pass = the target held.
    ...redteamChecks,
  ].map((d) => [d.type, d]),
);
