import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/** swagger's own metadata key (@nestjs/swagger DECORATORS.API_MODEL_PROPERTIES). */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

/** class-transformer's @Type registry (not exported from its index). */
interface TypeRegistry {
  findTypeMetadata(target: object, propertyName: string): { typeFunction: () => unknown } | undefined;
}
const typeRegistry = (require('class-transformer/cjs/storage') as { defaultMetadataStorage: TypeRegistry }).defaultMetadataStorage;

type Schema = Record<string, unknown>;
type Constructor = abstract new (...args: never[]) => unknown;

/** One class-validator rule, as a piece of JSON schema (for the items when `each`). */
function ruleSchema(rule: ValidationMetadata): Schema {
  const c = rule.constraints ?? [];
  switch (rule.name ?? '') {
    case 'isString': return { type: 'string' };
    case 'isInt': return { type: 'integer' };
    case 'isNumber': return { type: 'number' };
    case 'isBoolean': return { type: 'boolean' };
    case 'isObject': return { type: 'object' };
    case 'isArray': return {};
    case 'isIn': return { enum: [...(c[0] as unknown[])] };
    case 'isUuid': return { type: 'string', format: 'uuid' };
    case 'isEmail': return { type: 'string', format: 'email' };
    case 'isUrl': return { type: 'string', format: 'uri' };
    case 'isIso8601': return { type: 'string', format: 'date-time' };
    case 'maxLength': return { maxLength: c[0] };
    case 'minLength': return { minLength: c[0] };
    case 'isNotEmpty': return { minLength: 1 };
    case 'min': return { minimum: c[0] };
    case 'max': return { maximum: c[0] };
    case 'matches': return c[0] instanceof RegExp ? { pattern: c[0].source } : {};
    default: return {};
  }
}

/** Merges rule pieces; a `minLength` without a string type (IsNotEmpty on a number) is dropped. */
function combine(pieces: Schema[]): Schema {
  const out: Schema = Object.assign({}, ...pieces);
  if (out.type !== 'string' && out.type !== undefined) delete out.minLength;
  return out;
}

/** A rule set with no type rule: a string when string rules apply, an enum's own type, else any object. */
function inferredType(schema: Schema): string {
  if (['pattern', 'maxLength', 'minLength', 'format'].some((key) => key in schema)) return 'string';
  const values = Array.isArray(schema.enum) ? schema.enum : [];
  if (values.length > 0 && values.every((v) => typeof v === 'string')) return 'string';
  if (values.length > 0 && values.every((v) => typeof v === 'number')) return 'number';
  return 'object';
}

/** ApiProperty options for one validated property, from its class-validator rules and @Type. */
export function propertyOptions(target: Constructor, property: string, rules: ValidationMetadata[]): ApiPropertyOptions {
  const optional = rules.some((r) => r.name === 'isOptional' || r.type === 'conditionalValidation');
  const isArray = rules.some((r) => r.name === 'isArray' || r.each === true);
  const own = combine(rules.filter((r) => !r.each).map(ruleSchema));
  const items = combine(rules.filter((r) => r.each).map(ruleSchema));
  const nested = typeRegistry.findTypeMetadata(target, property)?.typeFunction();
  const isClass = typeof nested === 'function' && ![String, Number, Boolean, Date, Object].includes(nested as never);
  if (isClass) return { required: !optional, type: () => nested as Constructor, isArray } as ApiPropertyOptions;
  const scalar = isArray ? items : own;
  if (typeof nested === 'function' && scalar.type === undefined) {
    scalar.type = nested === Number ? 'number' : nested === Boolean ? 'boolean' : nested === Object ? 'object' : 'string';
  }
  if (scalar.type === undefined) scalar.type = inferredType(scalar);
  return isArray
    ? ({ required: !optional, type: 'array', items: scalar } as ApiPropertyOptions)
    : ({ required: !optional, ...scalar } as ApiPropertyOptions);
}

let described = false;

/**
 * Feeds @nestjs/swagger from class-validator: every property of every validated class that
 * carries no @ApiProperty gets one built from its rules (type, enum, lengths, bounds, format,
 * nesting, optionality) — what the Nest CLI's swagger plugin would add at compile time, which
 * a plain `tsc` build does not run. An explicit @ApiProperty always wins. Idempotent.
 */
export function describeValidatedDtos(): void {
  if (described) return;
  described = true;
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Constructor, ValidationMetadata[]> };
  for (const [target, rules] of storage.validationMetadatas) {
    const byProperty = new Map<string, ValidationMetadata[]>();
    for (const rule of rules) {
      if (typeof target !== 'function') continue;
      byProperty.set(rule.propertyName, [...(byProperty.get(rule.propertyName) ?? []), rule]);
    }
    for (const [property, propertyRules] of byProperty) {
      if (Reflect.getMetadata(API_MODEL_PROPERTIES, target.prototype as object, property)) continue;
      ApiProperty(propertyOptions(target, property, propertyRules))(target.prototype as object, property);
    }
  }
}
