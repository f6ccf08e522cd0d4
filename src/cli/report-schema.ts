/**
 * A report given to `diff` is untrusted input: it is checked against the shipped schema
 * (schema/show.schema.json, the one `show --format json` promises) before any field is used,
 * and the first field that fails is named in the one-line error.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

const validators = new Map<string, ValidateFunction>();

/** The schema a report of `schemaVersion` follows: the current one, or version 1's (kept for old baselines). */
function schemaFile(schemaVersion: unknown): string {
  return schemaVersion === 1 ? 'show-v1.schema.json' : 'show.schema.json';
}

function showValidator(file: string): ValidateFunction {
  let validator = validators.get(file);
  if (!validator) {
    const schema = JSON.parse(readFileSync(new URL(`../../schema/${file}`, import.meta.url), 'utf8')) as object;
    validator = new Ajv2020({ allErrors: false, strict: false }).compile(schema);
    validators.set(file, validator);
  }
  return validator;
}

/** Undefined when `doc` is a valid show report; else the first failing field and what it must be. */
export function reportProblem(doc: unknown): string | undefined {
  const file = schemaFile((doc as { schemaVersion?: unknown } | null)?.schemaVersion);
  const validate = showValidator(file);
  if (validate(doc)) return undefined;
  const e = validate.errors?.[0];
  if (!e) return `does not match schema/${file}`;
  const field = e.instancePath || '/';
  const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : e.keyword === 'enum' || e.keyword === 'const' ? ` ${JSON.stringify((e.params as { allowedValues?: unknown; allowedValue?: unknown }).allowedValues ?? (e.params as { allowedValue?: unknown }).allowedValue)}` : '';
  return `field ${field} ${e.message ?? 'is invalid'}${extra} (schema/${file})`;
}
