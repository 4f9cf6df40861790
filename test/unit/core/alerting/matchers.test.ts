import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatMatcher,
  formatMatchers,
  type Matcher,
  matches,
  matchesAll,
  parseMatcher,
} from '../../../../src/core/alerting/matchers.js';

describe('parseMatcher', () => {
  it.each([
    { text: 'severity="page"', want: { name: 'severity', op: '=', value: 'page' } },
    { text: 'workload=~"search-.*"', want: { name: 'workload', op: '=~', value: 'search-.*' } },
    { text: 'model!="x"', want: { name: 'model', op: '!=', value: 'x' } },
    { text: 'team!~"ml|data"', want: { name: 'team', op: '!~', value: 'ml|data' } },
    { text: ' severity = page ', want: { name: 'severity', op: '=', value: 'page' } },
    { text: 'workload=""', want: { name: 'workload', op: '=', value: '' } },
    { text: 'comment="say \\"hi\\""', want: { name: 'comment', op: '=', value: 'say "hi"' } },
    { text: 'model=~"claude\\.sonnet"', want: { name: 'model', op: '=~', value: 'claude\\.sonnet' } },
  ])('parses $text', ({ text, want }) => {
    // Act
    const parsed = parseMatcher(text);
    // Assess
    expect(parsed).toEqual({ ok: true, value: want });
  });

  it.each([
    { text: 'severity', why: 'no operator' },
    { text: '1abc="x"', why: 'bad label name' },
    { text: 'a=~"("', why: 'bad regex' },
    { text: 'a="unterminated', why: 'unterminated quote' },
    { text: 'a=b"c', why: 'stray quote in bare value' },
  ])('rejects $text ($why)', ({ text }) => {
    expect(parseMatcher(text).ok).toBe(false);
  });

  it('names the matcher and the problem in the error', () => {
    expect(parseMatcher('a=~"("')).toMatchInlineSnapshot(`
      {
        "error": "invalid matcher "a=~"("": bad regular expression (Invalid regular expression: /^(?:()$/s: Unterminated group)",
        "ok": false,
      }
    `);
  });
});

describe('matches', () => {
  const labels = { workload: 'search-api', severity: 'page', model: 'claude-sonnet-4' };
  it.each([
    { m: 'severity="page"', want: true },
    { m: 'severity="warning"', want: false },
    { m: 'severity!="warning"', want: true },
    { m: 'workload=~"search-.*"', want: true },
    // Anchored: a regex must match the whole value, as in Alertmanager.
    { m: 'workload=~"search"', want: false },
    { m: 'workload!~"search-.*"', want: false },
    { m: 'model=~"claude-.*|nova-.*"', want: true },
    // A missing label reads as the empty string.
    { m: 'team=""', want: true },
    { m: 'team!=""', want: false },
    { m: 'team=~".*"', want: true },
  ])('$m → $want', ({ m, want }) => {
    // Prepare
    const parsed = parseMatcher(m);
    if (!parsed.ok) throw new Error(parsed.error);
    // Act / Assess
    expect(matches(parsed.value, labels)).toBe(want);
  });

  it('an empty matcher list matches everything', () => {
    expect(matchesAll([], {})).toBe(true);
  });

  it('formats matchers sorted, independent of the order written', () => {
    const a = [parseMatcher('b="2"'), parseMatcher('a=~"1"')].map((p) => (p.ok ? p.value : null)!);
    expect(formatMatchers(a)).toBe('{a=~"1", b="2"}');
    expect(formatMatchers([...a].reverse())).toBe(formatMatchers(a));
  });
});

describe('formatMatcher', () => {
  it('round-trips through parseMatcher for any name and value', () => {
    const matcher = fc.record<Matcher>({
      name: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/),
      op: fc.constantFrom('=' as const, '!=' as const),
      value: fc.string({ unit: 'binary' }),
    });
    fc.assert(
      fc.property(matcher, (m) => {
        expect(parseMatcher(formatMatcher(m))).toEqual({ ok: true, value: m });
      }),
    );
  });
});
