import { characters, findTextProblems, textProblem } from './text';

describe('text at the edge', () => {
  it('refuses NUL, other controls, bidi overrides, noncharacters and unpaired surrogates', () => {
    for (const bad of [
      'a\u0000b',
      '\u0007',
      'x\u007f',
      '\u0085',
      'a\u202eb',
      '\u2066',
      '\uffff',
      '\ud800',
      'a\udc00b',
    ]) {
      expect(textProblem(bad)).toBeDefined();
    }
    expect(textProblem('\ud800')).toMatch(/unpaired surrogate/);
    expect(textProblem('a\u0000')).toMatch(/U\+0000/);
  });

  it('accepts Chinese, emoji (paired surrogates) and, in free text, line breaks', () => {
    expect(textProblem('营业收入数据不实，详见附件𠮷😀')).toBeUndefined();
    expect(textProblem('第一行\n第二行\t完')).toBeUndefined();
    expect(textProblem('第一行\n第二行', false)).toMatch(/U\+000A/);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(characters('营业收入数据不实')).toBe(8);
    expect(characters('𠮷😀')).toBe(2);
  });

  it('names the field at any depth, keys included', () => {
    expect(findTextProblems({ data: { project: { name: 'x\u0000' } }, evidence: ['ok', '\ud800'] })).toEqual([
      { field: 'data.project.name', message: expect.stringContaining('U+0000') },
      { field: 'evidence[1]', message: expect.stringContaining('surrogate') },
    ]);
    expect(findTextProblems({ 'a\u0000': 1 })[0].field).toBe('(body) key');
    expect(findTextProblems({ a: 1, b: [true, null, '正常'] })).toEqual([]);
  });
});
