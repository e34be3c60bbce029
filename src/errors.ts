// A user error: bad input, a missing adapter or file. The CLI prints its message without a
// stack trace; the message names the problem, and `hint` says how to fix it.
export class JetcurveError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(hint ? `${message}\n  fix: ${hint}` : message);
    this.name = 'JetcurveError';
  }
}

export function assertFiniteArray(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new JetcurveError(`${what} holds a non-finite value (${values[i]}) at index ${i}`,
        'remove NaN and Infinity from the input before asking for jets');
    }
  }
}
