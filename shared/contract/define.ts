import type { z } from 'zod';

/** One contract method: a zod schema for the input and one for the output. */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  /** One line for docs and the help sheet. */
  readonly summary: string;
}

export function method<I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
  summary: string,
): MethodSpec<I, O> {
  return { input, output, summary };
}

export type MethodMap = Record<string, MethodSpec>;
export type EventMap = Record<string, z.ZodType>;

/** Handlers for a slice of the contract: validated input in, output (pre-validation) out. */
export type Handlers<M extends MethodMap> = {
  [K in keyof M]: (input: z.output<M[K]['input']>) => Promise<z.input<M[K]['output']>>;
};
