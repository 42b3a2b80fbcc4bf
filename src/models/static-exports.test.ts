import { describe, expect, it } from 'vitest';
import { staticExports } from './static-exports.ts';

const names = (source: string) => {
  const s = staticExports(source);
  return s === undefined ? undefined : [...s].sort();
};

describe('staticExports', () => {
  it('finds every form of named and default export', () => {
    const source = `
      export async function answer(input) { return 'x'; }
      export function* gen() {}
      export const a = 1, b = f(1, 2), c = { d: 1, e: 2 };
      export let later;
      export class Bot {}
      const inner = () => 1, other = 2;
      export { inner, other as renamed, type T };
      export { x as y } from './z.ts';
      export * as ns from './w.ts';
      export default answer;
    `;
    expect(names(source)).toEqual(
      ['Bot', 'a', 'answer', 'b', 'c', 'default', 'gen', 'inner', 'later', 'ns', 'renamed', 'y'].sort(),
    );
  });

  it('ignores exports written in comments and strings', () => {
    const source = `
      // export function answer() {}
      /* export const ask = 1 */
      const s = "export function fake() {}";
      const t = \`export const tpl = 1\`;
      export function real() {}
    `;
    expect(names(source)).toEqual(['real']);
  });

  it('cannot tell for re-exports of everything, destructuring or CommonJS (the import decides)', () => {
    expect(staticExports("export * from './all.ts';")).toBeUndefined();
    expect(staticExports('export const { a, b } = obj;')).toBeUndefined();
    expect(staticExports('module.exports = { answer };')).toBeUndefined();
    expect(staticExports('exports.answer = () => 1;')).toBeUndefined();
    expect(staticExports('const x = 1;')).toBeUndefined();
  });
});
