// Tokens of an expression, each with its column (from 1) for error messages.
import { JetcurveError } from '../errors.js';

export type Token =
  | { readonly kind: 'number'; readonly text: string; readonly value: number; readonly column: number }
  | { readonly kind: 'name'; readonly text: string; readonly column: number }
  | { readonly kind: 'op'; readonly text: '+' | '-' | '*' | '/' | '^' | '(' | ')' | ','; readonly column: number }
  | { readonly kind: 'end'; readonly text: ''; readonly column: number };

const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z_0-9]*/;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const column = i + 1;
    if (/\s/.test(c)) { i++; continue; }
    const rest = source.slice(i);
    const number = NUMBER.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', text: number[0], value: Number(number[0]), column });
      i += number[0].length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', text: name[0], column });
      i += name[0].length;
      continue;
    }
    if ('+-*/^(),'.includes(c)) {
      tokens.push({ kind: 'op', text: c as '+', column });
      i++;
      continue;
    }
    if ('×·−'.includes(c)) {
      throw new JetcurveError(`unexpected character '${c}' at column ${column}`, c === '−' ? "write minus as '-'" : "write multiplication as '*'");
    }
    throw new JetcurveError(`unexpected character '${c}' at column ${column}`, 'expressions use numbers, x or x1..xd, + - * / ^, parentheses and functions');
  }
  tokens.push({ kind: 'end', text: '', column: source.length + 1 });
  return tokens;
}
