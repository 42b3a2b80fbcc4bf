import type { CheckDefinition } from './check-definition.ts';
import { compileSchema, formatSchemaErrors } from './compile-schema.ts';

export const toolCallCheck: CheckDefinition = {
  type: 'is-valid-tool-call',
  keys: ['name'],
  compile(spec) {
    const name = spec.optionalString('name', 'the name of a tool declared by the prompt');
    return (output, _testCase, ctx) => {
      const calls = output.toolCalls;
      if (calls.length === 0) return { pass: false, reason: 'no tool call' };
      const tools = new Map((ctx.prompt.tools ?? []).map((t) => [t.name, t]));
      const problems: string[] = [];
      calls.forEach((call, i) => {
        const tool = tools.get(call.name);
        if (!tool) {
          problems.push(`call ${i + 1} uses undeclared tool '${call.name}'`);
          return;
        }
        if (typeof call.arguments === 'string') {
          problems.push(`call ${i + 1} (${call.name}): arguments are not valid JSON`);
          return;
        }
        const compiled = compileSchema(tool.parameters);
        if (!compiled.ok)
          throw new Error(`tool '${tool.name}' has an invalid parameters schema: ${compiled.error}`);
        if (!compiled.validate(call.arguments)) {
          problems.push(`call ${i + 1} (${call.name}): ${formatSchemaErrors(compiled.validate.errors, 2)}`);
        }
      });
      const names = calls.map((c) => c.name);
      if (name !== undefined && !names.includes(name))
        problems.unshift(`no call to '${name}' (called: ${names.join(', ')})`);
      if (problems.length > 0)
        return { pass: false, reason: problems.slice(0, 3).join('; '), details: { problems } };
      return {
        pass: true,
        reason: `${calls.length} valid tool call${calls.length === 1 ? '' : 's'}: ${names.join(', ')}`,
      };
    };
  },
};
