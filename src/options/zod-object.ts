// A step's preset schema, derived from its option declarations: the same fields, kinds, bounds,
// choices and defaults the command line has. Zod keeps its own messages, so a preset's mistake
// reads as it always has ("steps.0.train.batch: Number must be greater than or equal to 1").
import { z } from 'zod';
import type { OptionSpec } from './option-spec.js';

/** The value an option holds once parsed. */
export type OptionValue<S extends OptionSpec> =
  S['kind'] extends 'flag' ? boolean
  : S['kind'] extends 'number' | 'integer' ? number
  : S['kind'] extends 'choice' ? (S['choices'] extends readonly (infer C extends string)[] ? C : string)
  : S extends { list: true } ? string[]
  : S extends { mapping: true } ? string | Record<string, string>
  : string;

type AlwaysSet<S extends OptionSpec> = S extends { default: string | number | boolean } ? true : S extends { required: true } ? true : false;

type OptionField<S extends OptionSpec> = z.ZodType<
  AlwaysSet<S> extends true ? OptionValue<S> : OptionValue<S> | undefined,
  z.ZodTypeDef,
  S extends { required: true } ? OptionValue<S> : OptionValue<S> | undefined
>;

export type OptionsShape<Specs extends readonly OptionSpec[]> = { [S in Specs[number] as S['field']]: OptionField<S> };

function numberField(spec: OptionSpec): z.ZodNumber {
  let n = spec.kind === 'integer' ? z.number().int() : z.number();
  if (spec.min !== undefined) n = n.min(spec.min);
  if (spec.max !== undefined) n = n.max(spec.max);
  if (spec.greaterThan !== undefined) n = n.gt(spec.greaterThan);
  if (spec.lessThan !== undefined) n = n.lt(spec.lessThan);
  return n;
}

/** Text that `check` accepts; its complaint is the message. */
export function checkedText(check: (value: string) => string | null): z.ZodType<string> {
  return z.string().min(1).superRefine((value, ctx) => {
    const problem = check(value);
    if (problem !== null) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  });
}

function textField(spec: OptionSpec): z.ZodTypeAny {
  const one = spec.check === undefined ? z.string().min(1) : checkedText(spec.check);
  if (spec.list) return z.array(one).min(1);
  return spec.mapping ? z.union([one, z.record(z.string())]) : one;
}

function valueField(spec: OptionSpec): z.ZodTypeAny {
  switch (spec.kind) {
    case 'flag': return z.boolean();
    case 'number':
    case 'integer': return numberField(spec);
    case 'choice': return z.enum(spec.choices as [string, ...string[]]);
    case 'path': return z.string().min(1);
    case 'text': return textField(spec);
  }
}

function optionField(spec: OptionSpec): z.ZodTypeAny {
  const value = valueField(spec);
  if (spec.default !== undefined) return value.default(spec.default);
  return spec.required ? value : value.optional();
}

/** The strict object of these options; a step adds its preset-only fields with `.extend`. */
export function optionsObject<const Specs extends readonly OptionSpec[]>(specs: Specs): z.ZodObject<OptionsShape<Specs>, 'strict'> {
  const shape = Object.fromEntries(specs.map((spec) => [spec.field, optionField(spec)]));
  return z.object(shape).strict() as unknown as z.ZodObject<OptionsShape<Specs>, 'strict'>;
}
