import type { JsonSchema } from '../types.ts';
import type { CheckDefinition } from './check-definition.ts';
import { compileSchema, formatSchemaErrors } from './compile-schema.ts';
import { parseJsonOutput } from './parse-json-output.ts';

export const jsonSchemaCheck: CheckDefinition = {
  type: 'json-schema',
  keys: ['schema'],
  compile(spec) {
    const expected = 'a JSON Schema object (draft-07, or 2019-09/2020-12 via $schema)';
    const schema = spec.optionalObject('schema', expected);
    // Compile now so a broken schema is a config error before any model call.
    const own = schema === undefined ? undefined : compileSchema(schema);
    if (own && !own.ok) spec.fail('schema', `invalid JSON Schema: ${own.error}`, expected);
    return (output, _testCase, ctx) => {
      let compiled = own;
      if (!compiled) {
        const promptSchema: JsonSchema | undefined = ctx.prompt.outputSchema;
        if (!promptSchema)
          throw new Error(
            `json-schema: no 'schema' in the check and prompt '${ctx.prompt.name}' has no output schema`,
          );
        compiled = compileSchema(promptSchema);
        if (!compiled.ok)
          throw new Error(
            `json-schema: the output schema of prompt '${ctx.prompt.name}' is invalid: ${compiled.error}`,
          );
      }
      if (!compiled.ok) throw new Error(compiled.error); // unreachable: checked above
      const parsed = parseJsonOutput(output.text);
      if (!parsed.ok) return { pass: false, reason: `not valid JSON: ${parsed.error}` };
      const validate = compiled.validate;
      if (validate(parsed.value)) return { pass: true, reason: 'matches the schema' };
      const errors = validate.errors ?? [];
      return {
        pass: false,
        reason: `schema violation: ${formatSchemaErrors(errors)}`,
        details: { errors: errors.map((e) => ({ path: e.instancePath, message: e.message })) },
      };
    };
  },
};
