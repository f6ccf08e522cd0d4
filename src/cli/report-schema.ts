/**
 * A report given to `diff` is untrusted input: it is checked against the shipped schema
 * (schema/show.schema.json, the one `show --format json` promises) before any field is used,
 * and the first field that fails is named in the one-line error.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

let validator: ValidateFunction | undefined;

function showValidator(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(new URL('../../schema/show.schema.json', import.meta.url), 'utf8')) as object;
    validator = new Ajv2020({ allErrors: false, strict: false }).compile(schema);
  }
  return validator;
}

/** Undefined when `doc` is a valid show report; else the first failing field and what it must be. */
export function reportProblem(doc: unknown): string | undefined {
  const validate = showValidator();
  if (validate(doc)) return undefined;
  const e = validate.errors?.[0];
  if (!e) return 'does not match schema/show.schema.json';
  const field = e.instancePath || '/';
  const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : e.keyword === 'enum' || e.keyword === 'const' ? ` ${JSON.stringify((e.params as { allowedValues?: unknown; allowedValue?: unknown }).allowedValues ?? (e.params as { allowedValue?: unknown }).allowedValue)}` : '';
  return `field ${field} ${e.message ?? 'is invalid'}${extra} (schema/show.schema.json)`;
}
