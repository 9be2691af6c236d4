// MongoDB's `$jsonSchema`: a JSON Schema draft-4 subset plus `bsonType`, compiled once into
// closures. Every schema node compiles to a fast `test` (used on the happy path) and an `explain`
// that builds MongoDB-5-style DocumentValidationFailure details, run only when `test` fails.
//
// Behaviour follows mongod:
//  - keywords apply only to values of their type (minimum ignores strings, required ignores
//    arrays, ...), and a property's schema applies only when the property is present;
//  - `enum` and `uniqueItems` compare embedded documents regardless of field order;
//  - `multipleOf` is decided in decimal arithmetic (doubles rounded to 15 significant digits,
//    as mongod converts them to Decimal128), so 0.3 is a multiple of 0.1;
//  - malformed schemas are refused with the codes mongod uses (FailedToParse, TypeMismatch,
//    BadValue); `$ref`, `$schema`, `default`, `definitions`, `format`, `id`, `type: 'integer'` and
//    unknown keywords (including `$comment`, `encrypt` and `encryptMetadata`) are refused.
import { Code, Decimal128, Long } from 'bson';
import { bsonTypeOf, canonicalKey, isPlainObject, type Doc } from './bson-values.js';
import { ErrorCodes, MongoCommandError } from './errors.js';

export type SchemaCheck = (doc: Doc) => { valid: true } | { valid: false; details: Doc };

/** One compiled schema: `test` decides, `explain` lists the failed rules (empty when it passes). */
interface SchemaNode {
  test(value: unknown): boolean;
  explain(value: unknown): Doc[];
}

/** One compiled keyword (or keyword group). `explain` is only called after `test` returned false. */
interface Rule {
  test(value: unknown): boolean;
  explain(value: unknown): Doc[];
}

// ---------------------------------------------------------------------------------------------
// Keywords

const SUPPORTED_KEYWORDS = new Set([
  'additionalItems',
  'additionalProperties',
  'allOf',
  'anyOf',
  'bsonType',
  'dependencies',
  'description',
  'enum',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'items',
  'maxItems',
  'maxLength',
  'maxProperties',
  'maximum',
  'minItems',
  'minLength',
  'minProperties',
  'minimum',
  'multipleOf',
  'not',
  'oneOf',
  'pattern',
  'patternProperties',
  'properties',
  'required',
  'title',
  'type',
  'uniqueItems',
]);

/** Keywords mongod names as "not currently supported" (anything else unknown is "Unknown"). */
const UNSUPPORTED_KEYWORDS = new Set(['$ref', '$schema', 'default', 'definitions', 'format', 'id']);

export const SUPPORTED_JSON_SCHEMA_KEYWORDS: readonly string[] = [...SUPPORTED_KEYWORDS].sort();
export const UNSUPPORTED_JSON_SCHEMA_KEYWORDS: readonly string[] = [...UNSUPPORTED_KEYWORDS].sort();

const NUMERIC_ALIASES = ['int', 'long', 'double', 'decimal'];

/** Every alias `bsonType` accepts, as mongod spells them. */
const BSON_TYPE_ALIASES = new Set([
  'double',
  'string',
  'object',
  'array',
  'binData',
  'undefined',
  'objectId',
  'bool',
  'date',
  'null',
  'regex',
  'dbPointer',
  'javascript',
  'symbol',
  'javascriptWithScope',
  'int',
  'timestamp',
  'long',
  'decimal',
  'minKey',
  'maxKey',
  'number',
]);

/** The JSON types `type` accepts, mapped to the BSON aliases they stand for. */
const JSON_TYPE_ALIASES: Record<string, readonly string[]> = {
  object: ['object'],
  array: ['array'],
  number: NUMERIC_ALIASES,
  boolean: ['bool'],
  string: ['string'],
  null: ['null'],
};

// ---------------------------------------------------------------------------------------------
// Errors

function failedToParse(message: string): MongoCommandError {
  return new MongoCommandError(ErrorCodes.FailedToParse, message);
}

function typeMismatch(message: string): MongoCommandError {
  return new MongoCommandError(ErrorCodes.TypeMismatch, message);
}

function badValue(message: string): MongoCommandError {
  return new MongoCommandError(ErrorCodes.BadValue, message);
}

// ---------------------------------------------------------------------------------------------
// Value helpers

const hasOwn = (obj: object, key: string): boolean => Object.prototype.hasOwnProperty.call(obj, key);

/** A property counts as present when it is an own key whose value is not `undefined`. */
function isPresent(obj: Doc, key: string): boolean {
  return hasOwn(obj, key) && obj[key] !== undefined;
}

function presentKeys(obj: Doc): string[] {
  const keys = Object.keys(obj);
  for (const key of keys) {
    if (obj[key] === undefined) return keys.filter((k) => obj[k] !== undefined);
  }
  return keys;
}

/** The alias used for type checks: bsonTypeOf, telling javascriptWithScope apart. */
function typeAliasOf(value: unknown): string {
  const alias = bsonTypeOf(value);
  if (alias === 'javascript' && value instanceof Code && value.scope != null) return 'javascriptWithScope';
  return alias;
}

function isNumeric(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'bigint' || value instanceof Long || value instanceof Decimal128;
}

/** A number or bigint that compares exactly with JS relational operators (number vs bigint is exact). */
function comparable(value: unknown): number | bigint {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  if (value instanceof Long) return BigInt(value.toString());
  if (value instanceof Decimal128) return Number(value.toString());
  return Number.NaN;
}

function isNaNComparable(value: number | bigint): boolean {
  return typeof value === 'number' && Number.isNaN(value);
}

/** Number of Unicode code points, as mongod counts string length. */
function codePointLength(str: string): number {
  let length = str.length;
  for (let i = 0; i < str.length; i++) {
    const unit = str.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < str.length) {
      const next = str.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

/** canonicalKey with embedded documents' fields put in a fixed order (mongod's enum/uniqueItems). */
function unorderedKey(value: unknown): string {
  if (value === null || typeof value !== 'object') return canonicalKey(value);
  return canonicalKey(sortFields(value));
}

function sortFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortFields);
  if (isPlainObject(value)) {
    const sorted: Doc = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortFields(value[key]);
    return sorted;
  }
  return value;
}

/** A finite decimal as coefficient × 10^exponent; null for NaN and infinities. */
interface DecimalParts {
  coefficient: bigint;
  exponent: number;
}

const DECIMAL_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function parseDecimalString(text: string): DecimalParts | null {
  const match = DECIMAL_PATTERN.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return null;
  const fraction = match[3] ?? '';
  const digits = `${match[2]}${fraction}` || '0';
  return {
    coefficient: BigInt(`${match[1] === '-' ? '-' : ''}${digits}`),
    exponent: Number(match[4] ?? 0) - fraction.length,
  };
}

/**
 * The decimal value mongod uses for `multipleOf`: integers exactly, other doubles rounded to 15
 * significant digits (mongod converts doubles to Decimal128 that way).
 */
function decimalParts(value: unknown): DecimalParts | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    if (Number.isSafeInteger(value)) return { coefficient: BigInt(value), exponent: 0 };
    return parseDecimalString(value.toPrecision(15));
  }
  if (typeof value === 'bigint') return { coefficient: value, exponent: 0 };
  if (value instanceof Long) return { coefficient: BigInt(value.toString()), exponent: 0 };
  if (value instanceof Decimal128) return parseDecimalString(value.toString());
  return null;
}

function isMultipleOf(value: DecimalParts | null, divisor: DecimalParts): boolean {
  if (value === null) return false;
  if (value.coefficient === 0n) return true;
  const exponent = Math.min(value.exponent, divisor.exponent);
  const scaledValue = value.coefficient * 10n ** BigInt(value.exponent - exponent);
  const scaledDivisor = divisor.coefficient * 10n ** BigInt(divisor.exponent - exponent);
  return scaledValue % scaledDivisor === 0n;
}

// ---------------------------------------------------------------------------------------------
// Keyword argument parsing

function typeName(value: unknown): string {
  return bsonTypeOf(value);
}

/** mongod's parseIntegerElementToNonNegativeLong: an integral, non-negative number. */
function parseNonNegativeInteger(keyword: string, value: unknown): number {
  if (!isNumeric(value)) {
    throw typeMismatch(`$jsonSchema keyword '${keyword}' must be a number, but found ${typeName(value)}`);
  }
  const asNumber = Number(comparable(value));
  if (!Number.isFinite(asNumber) || !Number.isInteger(asNumber)) {
    throw failedToParse(`$jsonSchema keyword '${keyword}' must be an integer, but found ${String(value)}`);
  }
  if (asNumber < 0) {
    throw failedToParse(`$jsonSchema keyword '${keyword}' must be a non-negative integer, but found ${asNumber}`);
  }
  return asNumber;
}

function requireBoolean(keyword: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw typeMismatch(`$jsonSchema keyword '${keyword}' must be a boolean`);
  return value;
}

function requireSchemaObject(value: unknown, message: string): Doc {
  if (!isPlainObject(value)) throw typeMismatch(message);
  return value;
}

/** Leading PCRE inline flags `(?i)`, `(?m)`, `(?s)` become JS flags; the rest is left to RegExp. */
function compilePattern(source: string, keyword: string): RegExp {
  let body = source;
  let flags = '';
  const inline = /^\(\?([ims]+)\)/.exec(body);
  if (inline) {
    flags = [...new Set(inline[1])].join('');
    body = body.slice(inline[0].length);
  }
  try {
    return new RegExp(body, `${flags}u`);
  } catch {
    try {
      return new RegExp(body, flags);
    } catch (error) {
      throw badValue(`Regular expression is invalid in $jsonSchema keyword '${keyword}': ${(error as Error).message}`);
    }
  }
}

function parseTypeSet(keyword: 'type' | 'bsonType', spec: unknown): Set<string> {
  let names: unknown[];
  if (typeof spec === 'string') names = [spec];
  else if (Array.isArray(spec)) names = spec;
  else throw typeMismatch(`$jsonSchema keyword '${keyword}' must be either a string or an array of strings`);

  const seen = new Set<string>();
  const aliases = new Set<string>();
  for (const name of names) {
    if (typeof name !== 'string') {
      throw typeMismatch(`$jsonSchema keyword '${keyword}' array elements must be strings`);
    }
    if (name === 'integer') throw failedToParse("$jsonSchema type 'integer' is not currently supported.");
    if (seen.has(name)) throw failedToParse(`$jsonSchema keyword '${keyword}' has duplicate value: ${name}`);
    seen.add(name);
    if (keyword === 'type') {
      const mapped = hasOwn(JSON_TYPE_ALIASES, name) ? JSON_TYPE_ALIASES[name] : undefined;
      if (!mapped) throw badValue(`Unknown type name alias: ${name}`);
      for (const alias of mapped) aliases.add(alias);
    } else {
      if (!BSON_TYPE_ALIASES.has(name)) throw badValue(`Unknown type name alias: ${name}`);
      if (name === 'number') for (const alias of NUMERIC_ALIASES) aliases.add(alias);
      else aliases.add(name);
    }
  }
  if (aliases.size === 0) throw failedToParse(`$jsonSchema keyword '${keyword}' must name at least one type`);
  return aliases;
}

// ---------------------------------------------------------------------------------------------
// Compilation

const NO_DETAILS: Doc[] = [];

function compileNode(schema: Doc): SchemaNode {
  for (const keyword of Object.keys(schema)) {
    if (SUPPORTED_KEYWORDS.has(keyword)) continue;
    if (UNSUPPORTED_KEYWORDS.has(keyword)) {
      throw failedToParse(`$jsonSchema keyword '${keyword}' is not currently supported`);
    }
    throw failedToParse(`Unknown $jsonSchema keyword: ${keyword}`);
  }
  for (const keyword of ['title', 'description']) {
    if (hasOwn(schema, keyword) && typeof schema[keyword] !== 'string') {
      throw typeMismatch(`$jsonSchema keyword '${keyword}' must be of type string`);
    }
  }
  if (hasOwn(schema, 'type') && hasOwn(schema, 'bsonType')) {
    throw failedToParse("Cannot specify both $jsonSchema keywords 'type' and 'bsonType'");
  }

  // Same order as mongod's details: scalar, array, object, logical keywords, then the type.
  const rules: Rule[] = [];
  compileScalarKeywords(schema, rules);
  compileArrayKeywords(schema, rules);
  compileObjectKeywords(schema, rules);
  compileLogicalKeywords(schema, rules);
  if (hasOwn(schema, 'type')) rules.push(typeRule('type', schema.type));
  else if (hasOwn(schema, 'bsonType')) rules.push(typeRule('bsonType', schema.bsonType));

  return combineRules(rules);
}

function combineRules(rules: Rule[]): SchemaNode {
  if (rules.length === 0) return { test: () => true, explain: () => NO_DETAILS };
  if (rules.length === 1) {
    const [rule] = rules;
    return { test: (value) => rule.test(value), explain: (value) => (rule.test(value) ? NO_DETAILS : rule.explain(value)) };
  }
  return {
    test(value) {
      for (const rule of rules) if (!rule.test(value)) return false;
      return true;
    },
    explain(value) {
      const details: Doc[] = [];
      for (const rule of rules) if (!rule.test(value)) details.push(...rule.explain(value));
      return details;
    },
  };
}

function compileSubschema(value: unknown, message: string): SchemaNode {
  return compileNode(requireSchemaObject(value, message));
}

// --- type / bsonType -------------------------------------------------------------------------

function typeRule(keyword: 'type' | 'bsonType', spec: unknown): Rule {
  const aliases = parseTypeSet(keyword, spec);
  return {
    test: (value) => aliases.has(typeAliasOf(value)),
    explain: (value) => [
      {
        operatorName: keyword,
        specifiedAs: { [keyword]: spec },
        reason: 'type did not match',
        consideredValue: value,
        consideredType: typeAliasOf(value),
      },
    ],
  };
}

// --- numbers and strings ---------------------------------------------------------------------

function compileScalarKeywords(schema: Doc, rules: Rule[]): void {
  if (hasOwn(schema, 'pattern')) {
    const source = schema.pattern;
    if (typeof source !== 'string') throw typeMismatch("$jsonSchema keyword 'pattern' must be a string");
    const regex = compilePattern(source, 'pattern');
    rules.push({
      test: (value) => typeof value !== 'string' || regex.test(value),
      explain: (value) => [
        { operatorName: 'pattern', specifiedAs: { pattern: source }, reason: 'regular expression did not match', consideredValue: value },
      ],
    });
  }

  for (const keyword of ['maxLength', 'minLength'] as const) {
    if (!hasOwn(schema, keyword)) continue;
    const limit = parseNonNegativeInteger(keyword, schema[keyword]);
    const isMax = keyword === 'maxLength';
    const specified = schema[keyword];
    rules.push({
      test(value) {
        if (typeof value !== 'string') return true;
        // A string never has more code points than UTF-16 units, so `.length` often decides.
        if (isMax && value.length <= limit) return true;
        if (!isMax && value.length < limit) return false;
        const length = codePointLength(value);
        return isMax ? length <= limit : length >= limit;
      },
      explain: (value) => [
        {
          operatorName: keyword,
          specifiedAs: { [keyword]: specified },
          reason: 'specified string length was not satisfied',
          consideredValue: value,
        },
      ],
    });
  }

  if (hasOwn(schema, 'multipleOf')) {
    const spec = schema.multipleOf;
    if (!isNumeric(spec)) throw typeMismatch("$jsonSchema keyword 'multipleOf' must be a number");
    const divisor = decimalParts(spec);
    if (divisor === null || divisor.coefficient <= 0n) {
      throw failedToParse("$jsonSchema keyword 'multipleOf' must have a positive value");
    }
    rules.push({
      test: (value) => !isNumeric(value) || isMultipleOf(decimalParts(value), divisor),
      explain: (value) => [
        {
          operatorName: 'multipleOf',
          specifiedAs: { multipleOf: spec },
          reason: 'considered value is not a multiple of the specified value',
          consideredValue: value,
        },
      ],
    });
  }

  compileBound(schema, rules, 'maximum', 'exclusiveMaximum');
  compileBound(schema, rules, 'minimum', 'exclusiveMinimum');
}

function compileBound(
  schema: Doc,
  rules: Rule[],
  keyword: 'maximum' | 'minimum',
  exclusiveKeyword: 'exclusiveMaximum' | 'exclusiveMinimum',
): void {
  if (!hasOwn(schema, keyword)) {
    if (hasOwn(schema, exclusiveKeyword)) {
      throw failedToParse(`$jsonSchema keyword '${keyword}' must be a present if ${exclusiveKeyword} is present`);
    }
    return;
  }
  const spec = schema[keyword];
  const exclusive = hasOwn(schema, exclusiveKeyword) ? requireBoolean(exclusiveKeyword, schema[exclusiveKeyword]) : false;
  if (!isNumeric(spec)) throw typeMismatch(`$jsonSchema keyword '${keyword}' must be a number`);
  const bound = comparable(spec);
  const boundIsNaN = isNaNComparable(bound);
  const isMax = keyword === 'maximum';

  const satisfied = (value: unknown): boolean => {
    const v = comparable(value);
    // mongod orders NaN below every number but only lets it match an inclusive NaN bound.
    if (boundIsNaN || isNaNComparable(v)) return !exclusive && boundIsNaN && isNaNComparable(v);
    if (isMax) return exclusive ? v < bound : v <= bound;
    return exclusive ? v > bound : v >= bound;
  };

  const specifiedAs: Doc = { [keyword]: spec };
  if (hasOwn(schema, exclusiveKeyword)) specifiedAs[exclusiveKeyword] = exclusive;
  rules.push({
    test: (value) => !isNumeric(value) || satisfied(value),
    explain: (value) => [{ operatorName: keyword, specifiedAs, reason: 'comparison failed', consideredValue: value }],
  });
}

// --- arrays ----------------------------------------------------------------------------------

function compileArrayKeywords(schema: Doc, rules: Rule[]): void {
  for (const keyword of ['minItems', 'maxItems'] as const) {
    if (!hasOwn(schema, keyword)) continue;
    const limit = parseNonNegativeInteger(keyword, schema[keyword]);
    const specified = schema[keyword];
    const isMax = keyword === 'maxItems';
    rules.push({
      test: (value) => !Array.isArray(value) || (isMax ? value.length <= limit : value.length >= limit),
      explain: (value) => [
        {
          operatorName: keyword,
          specifiedAs: { [keyword]: specified },
          reason: 'array did not match specified length',
          consideredValue: value,
        },
      ],
    });
  }

  if (hasOwn(schema, 'uniqueItems') && requireBoolean('uniqueItems', schema.uniqueItems)) {
    rules.push({
      test: (value) => !Array.isArray(value) || firstDuplicate(value) < 0,
      explain(value) {
        const array = value as unknown[];
        return [
          {
            operatorName: 'uniqueItems',
            specifiedAs: { uniqueItems: true },
            reason: 'found a duplicate item',
            consideredValue: array,
            duplicatedValue: array[firstDuplicate(array)],
          },
        ];
      },
    });
  }

  let additionalFrom: number | undefined;
  if (hasOwn(schema, 'items')) {
    const items = schema.items;
    if (Array.isArray(items)) {
      const tuple = items.map((sub, index) =>
        compileSubschema(
          sub,
          `$jsonSchema keyword 'items' requires that each element of the array is an object, but found a ${typeName(sub)} at index ${index}`,
        ),
      );
      additionalFrom = tuple.length;
      if (tuple.length > 0) rules.push(tupleItemsRule(tuple));
    } else if (isPlainObject(items)) {
      rules.push(allItemsRule(compileNode(items)));
    } else {
      throw typeMismatch(`$jsonSchema keyword 'items' must be an array or an object, not ${typeName(items)}`);
    }
  }

  if (hasOwn(schema, 'additionalItems')) {
    const spec = schema.additionalItems;
    if (typeof spec !== 'boolean' && !isPlainObject(spec)) {
      throw typeMismatch(`$jsonSchema keyword 'additionalItems' must be either an object or a boolean, but got a ${typeName(spec)}`);
    }
    const sub = isPlainObject(spec) ? compileNode(spec) : undefined;
    // additionalItems only means something after an `items` array.
    if (additionalFrom !== undefined && spec !== true) rules.push(additionalItemsRule(additionalFrom, spec, sub));
  }
}

function firstDuplicate(array: unknown[]): number {
  if (array.length < 2) return -1;
  const seen = new Set<string>();
  for (let i = 0; i < array.length; i++) {
    const key = unorderedKey(array[i]);
    if (seen.has(key)) return i;
    seen.add(key);
  }
  return -1;
}

function allItemsRule(sub: SchemaNode): Rule {
  return {
    test(value) {
      if (!Array.isArray(value)) return true;
      for (const item of value) if (!sub.test(item)) return false;
      return true;
    },
    explain(value) {
      const array = value as unknown[];
      const index = array.findIndex((item) => !sub.test(item));
      return [
        {
          operatorName: 'items',
          reason: 'At least one item did not match the sub-schema',
          itemIndex: index,
          details: sub.explain(array[index]),
        },
      ];
    },
  };
}

function tupleItemsRule(tuple: SchemaNode[]): Rule {
  return {
    test(value) {
      if (!Array.isArray(value)) return true;
      const count = Math.min(value.length, tuple.length);
      for (let i = 0; i < count; i++) if (!tuple[i].test(value[i])) return false;
      return true;
    },
    explain(value) {
      const array = value as unknown[];
      const failures: Doc[] = [];
      const count = Math.min(array.length, tuple.length);
      for (let i = 0; i < count; i++) {
        if (!tuple[i].test(array[i])) failures.push({ itemIndex: i, details: tuple[i].explain(array[i]) });
      }
      return [{ operatorName: 'items', details: failures }];
    },
  };
}

function additionalItemsRule(from: number, spec: unknown, sub: SchemaNode | undefined): Rule {
  if (!sub) {
    return {
      test: (value) => !Array.isArray(value) || value.length <= from,
      explain: (value) => [
        {
          operatorName: 'additionalItems',
          specifiedAs: { additionalItems: spec },
          reason: 'found additional items',
          additionalItems: (value as unknown[]).slice(from),
        },
      ],
    };
  }
  return {
    test(value) {
      if (!Array.isArray(value)) return true;
      for (let i = from; i < value.length; i++) if (!sub.test(value[i])) return false;
      return true;
    },
    explain(value) {
      const array = value as unknown[];
      let index = from;
      while (index < array.length && sub.test(array[index])) index++;
      return [
        {
          operatorName: 'additionalItems',
          reason: 'At least one additional item did not match the sub-schema',
          itemIndex: index,
          details: sub.explain(array[index]),
        },
      ];
    },
  };
}

// --- objects ---------------------------------------------------------------------------------

interface CompiledProperty {
  name: string;
  node: SchemaNode;
  description: string | undefined;
}

interface CompiledPattern {
  source: string;
  regex: RegExp;
  node: SchemaNode;
}

function compileObjectKeywords(schema: Doc, rules: Rule[]): void {
  let required: string[] | undefined;
  if (hasOwn(schema, 'required')) required = parseRequired(schema.required);

  const propertyNames = new Set<string>();
  if (hasOwn(schema, 'properties')) {
    const spec = schema.properties;
    if (!isPlainObject(spec)) throw typeMismatch("$jsonSchema keyword 'properties' must be an object");
    const properties: CompiledProperty[] = [];
    for (const name of Object.keys(spec)) {
      const sub = requireSchemaObject(spec[name], `Nested schema for $jsonSchema property '${name}' must be an object`);
      properties.push({
        name,
        node: compileNode(sub),
        description: typeof sub.description === 'string' ? sub.description : undefined,
      });
      propertyNames.add(name);
    }
    if (properties.length > 0) rules.push(propertiesRule(properties));
  }

  const hasPatterns = hasOwn(schema, 'patternProperties');
  const hasAdditional = hasOwn(schema, 'additionalProperties');
  if (hasPatterns || hasAdditional) {
    const patterns: CompiledPattern[] = [];
    if (hasPatterns) {
      const spec = schema.patternProperties;
      if (!isPlainObject(spec)) throw typeMismatch("$jsonSchema keyword 'patternProperties' must be an object");
      for (const source of Object.keys(spec)) {
        const sub = requireSchemaObject(
          spec[source],
          `$jsonSchema keyword 'patternProperties' has property '${source}' which is not an object`,
        );
        patterns.push({ source, regex: compilePattern(source, 'patternProperties'), node: compileNode(sub) });
      }
    }
    let additional: boolean | SchemaNode = true;
    let additionalSpec: unknown = true;
    if (hasAdditional) {
      additionalSpec = schema.additionalProperties;
      if (typeof additionalSpec === 'boolean') additional = additionalSpec;
      else if (isPlainObject(additionalSpec)) additional = compileNode(additionalSpec);
      else throw typeMismatch("$jsonSchema keyword 'additionalProperties' must be an object or a boolean");
    }
    if (patterns.length > 0) rules.push(patternPropertiesRule(patterns));
    if (additional !== true) rules.push(additionalPropertiesRule(propertyNames, patterns, additional, additionalSpec));
  }

  if (required) rules.push(requiredRule(required, schema.required));

  for (const keyword of ['minProperties', 'maxProperties'] as const) {
    if (!hasOwn(schema, keyword)) continue;
    const limit = parseNonNegativeInteger(keyword, schema[keyword]);
    const specified = schema[keyword];
    const isMax = keyword === 'maxProperties';
    rules.push({
      test(value) {
        if (!isPlainObject(value)) return true;
        const count = presentKeys(value).length;
        return isMax ? count <= limit : count >= limit;
      },
      explain: (value) => [
        {
          operatorName: keyword,
          specifiedAs: { [keyword]: specified },
          reason: 'specified number of properties was not satisfied',
          numberOfProperties: presentKeys(value as Doc).length,
        },
      ],
    });
  }

  if (hasOwn(schema, 'dependencies')) rules.push(dependenciesRule(schema.dependencies));
}

function parseRequired(spec: unknown): string[] {
  if (!Array.isArray(spec)) {
    throw typeMismatch(`$jsonSchema keyword 'required' must be an array, but found an element of type ${typeName(spec)}`);
  }
  for (const name of spec) {
    if (typeof name !== 'string') {
      throw typeMismatch(`$jsonSchema keyword 'required' must be an array of strings, but found an element of type: ${typeName(name)}`);
    }
  }
  if (spec.length === 0) throw failedToParse("$jsonSchema keyword 'required' cannot be an empty array");
  if (new Set(spec).size !== spec.length) {
    throw failedToParse("$jsonSchema keyword 'required' array cannot contain duplicate values");
  }
  return spec as string[];
}

function requiredRule(names: string[], spec: unknown): Rule {
  return {
    test(value) {
      if (!isPlainObject(value)) return true;
      for (const name of names) if (!isPresent(value, name)) return false;
      return true;
    },
    explain: (value) => [
      {
        operatorName: 'required',
        specifiedAs: { required: spec },
        missingProperties: names.filter((name) => !isPresent(value as Doc, name)).sort(),
      },
    ],
  };
}

function propertiesRule(properties: CompiledProperty[]): Rule {
  return {
    test(value) {
      if (!isPlainObject(value)) return true;
      for (const property of properties) {
        if (isPresent(value, property.name) && !property.node.test(value[property.name])) return false;
      }
      return true;
    },
    explain(value) {
      const doc = value as Doc;
      const failures: Doc[] = [];
      for (const property of properties) {
        if (!isPresent(doc, property.name)) continue;
        const propertyValue = doc[property.name];
        if (property.node.test(propertyValue)) continue;
        const entry: Doc = { propertyName: property.name };
        if (property.description !== undefined) entry.description = property.description;
        entry.details = property.node.explain(propertyValue);
        failures.push(entry);
      }
      return [{ operatorName: 'properties', propertiesNotSatisfied: failures }];
    },
  };
}

function patternPropertiesRule(patterns: CompiledPattern[]): Rule {
  return {
    test(value) {
      if (!isPlainObject(value)) return true;
      for (const key of Object.keys(value)) {
        const propertyValue = value[key];
        if (propertyValue === undefined) continue;
        for (const pattern of patterns) {
          if (pattern.regex.test(key) && !pattern.node.test(propertyValue)) return false;
        }
      }
      return true;
    },
    explain(value) {
      const doc = value as Doc;
      const failures: Doc[] = [];
      for (const key of presentKeys(doc)) {
        for (const pattern of patterns) {
          if (!pattern.regex.test(key) || pattern.node.test(doc[key])) continue;
          failures.push({ propertyName: key, regexMatched: pattern.source, details: pattern.node.explain(doc[key]) });
        }
      }
      return [{ operatorName: 'patternProperties', details: failures }];
    },
  };
}

function additionalPropertiesRule(
  propertyNames: Set<string>,
  patterns: CompiledPattern[],
  additional: false | SchemaNode,
  spec: unknown,
): Rule {
  const isAdditional = (key: string): boolean => {
    if (propertyNames.has(key)) return false;
    for (const pattern of patterns) if (pattern.regex.test(key)) return false;
    return true;
  };
  if (additional === false) {
    return {
      test(value) {
        if (!isPlainObject(value)) return true;
        for (const key of Object.keys(value)) {
          if (value[key] !== undefined && isAdditional(key)) return false;
        }
        return true;
      },
      explain: (value) => [
        {
          operatorName: 'additionalProperties',
          specifiedAs: { additionalProperties: false },
          additionalProperties: presentKeys(value as Doc).filter(isAdditional),
        },
      ],
    };
  }
  const sub = additional;
  return {
    test(value) {
      if (!isPlainObject(value)) return true;
      for (const key of Object.keys(value)) {
        const propertyValue = value[key];
        if (propertyValue !== undefined && isAdditional(key) && !sub.test(propertyValue)) return false;
      }
      return true;
    },
    explain(value) {
      const doc = value as Doc;
      const failing = presentKeys(doc).find((key) => isAdditional(key) && !sub.test(doc[key]));
      return [
        {
          operatorName: 'additionalProperties',
          specifiedAs: { additionalProperties: spec },
          reason: 'at least one additional property did not match the subschema',
          failingProperty: failing,
          details: failing === undefined ? [] : sub.explain(doc[failing]),
        },
      ];
    },
  };
}

type Dependency = { property: string; kind: 'properties'; names: string[] } | { property: string; kind: 'schema'; node: SchemaNode };

function dependenciesRule(spec: unknown): Rule {
  if (!isPlainObject(spec)) throw typeMismatch("$jsonSchema keyword 'dependencies' must be an object");
  const dependencies: Dependency[] = [];
  for (const property of Object.keys(spec)) {
    const dependency = spec[property];
    if (Array.isArray(dependency)) {
      if (dependency.length === 0) {
        throw failedToParse(`property '${property}' in $jsonSchema keyword 'dependencies' cannot be an empty array`);
      }
      const seen = new Set<string>();
      for (const name of dependency) {
        if (typeof name !== 'string') {
          throw typeMismatch(
            `array '${property}' in $jsonSchema keyword 'dependencies' can only contain strings, but found element of type: ${typeName(name)}`,
          );
        }
        if (seen.has(name)) {
          throw failedToParse(`array '${property}' in $jsonSchema keyword 'dependencies' contains duplicate element: ${name}`);
        }
        seen.add(name);
      }
      dependencies.push({ property, kind: 'properties', names: dependency as string[] });
    } else if (isPlainObject(dependency)) {
      dependencies.push({ property, kind: 'schema', node: compileNode(dependency) });
    } else {
      throw typeMismatch(`property '${property}' in $jsonSchema keyword 'dependencies' must be either an object or an array`);
    }
  }

  const satisfied = (doc: Doc, dependency: Dependency): boolean => {
    if (!isPresent(doc, dependency.property)) return true;
    if (dependency.kind === 'schema') return dependency.node.test(doc);
    for (const name of dependency.names) if (!isPresent(doc, name)) return false;
    return true;
  };

  return {
    test(value) {
      if (!isPlainObject(value)) return true;
      for (const dependency of dependencies) if (!satisfied(value, dependency)) return false;
      return true;
    },
    explain(value) {
      const doc = value as Doc;
      const failing: Doc[] = [];
      for (const dependency of dependencies) {
        if (satisfied(doc, dependency)) continue;
        if (dependency.kind === 'schema') {
          failing.push({ conditionalProperty: dependency.property, details: dependency.node.explain(doc) });
        } else {
          failing.push({
            conditionalProperty: dependency.property,
            missingProperties: dependency.names.filter((name) => !isPresent(doc, name)),
          });
        }
      }
      return [{ operatorName: 'dependencies', failingDependencies: failing }];
    },
  };
}

// --- logic and enum --------------------------------------------------------------------------

function compileLogicalKeywords(schema: Doc, rules: Rule[]): void {
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (!hasOwn(schema, keyword)) continue;
    const spec = schema[keyword];
    if (!Array.isArray(spec)) throw typeMismatch(`$jsonSchema keyword '${keyword}' must be an array`);
    if (spec.length === 0) throw badValue(`$jsonSchema keyword '${keyword}' must be a non-empty array`);
    const subs = spec.map((sub) =>
      compileSubschema(sub, `$jsonSchema keyword '${keyword}' must be an array of objects, but found an element of type ${typeName(sub)}`),
    );
    rules.push(keyword === 'allOf' ? allOfRule(subs) : keyword === 'anyOf' ? anyOfRule(subs) : oneOfRule(subs));
  }

  if (hasOwn(schema, 'not')) {
    const sub = compileSubschema(
      schema.not,
      `$jsonSchema keyword 'not' must be an object, but found an element of type ${typeName(schema.not)}`,
    );
    rules.push({
      test: (value) => !sub.test(value),
      explain: () => [{ operatorName: 'not', reason: 'child expression matched' }],
    });
  }

  if (hasOwn(schema, 'enum')) rules.push(enumRule(schema.enum));
}

function unsatisfiedSchemas(subs: SchemaNode[], value: unknown): Doc[] {
  const failures: Doc[] = [];
  subs.forEach((sub, index) => {
    if (!sub.test(value)) failures.push({ index, details: sub.explain(value) });
  });
  return failures;
}

function allOfRule(subs: SchemaNode[]): Rule {
  return {
    test(value) {
      for (const sub of subs) if (!sub.test(value)) return false;
      return true;
    },
    explain: (value) => [{ operatorName: 'allOf', schemasNotSatisfied: unsatisfiedSchemas(subs, value) }],
  };
}

function anyOfRule(subs: SchemaNode[]): Rule {
  return {
    test(value) {
      for (const sub of subs) if (sub.test(value)) return true;
      return false;
    },
    explain: (value) => [{ operatorName: 'anyOf', schemasNotSatisfied: unsatisfiedSchemas(subs, value) }],
  };
}

function oneOfRule(subs: SchemaNode[]): Rule {
  return {
    test(value) {
      let matches = 0;
      for (const sub of subs) if (sub.test(value) && ++matches > 1) return false;
      return matches === 1;
    },
    explain(value) {
      const matching: number[] = [];
      subs.forEach((sub, index) => {
        if (sub.test(value)) matching.push(index);
      });
      if (matching.length > 1) {
        return [{ operatorName: 'oneOf', reason: 'more than one subschema matched', matchingSchemaIndexes: matching }];
      }
      return [{ operatorName: 'oneOf', schemasNotSatisfied: unsatisfiedSchemas(subs, value) }];
    },
  };
}

function enumRule(spec: unknown): Rule {
  if (!Array.isArray(spec)) {
    throw typeMismatch(`$jsonSchema keyword 'enum' must be an array, but found an element of type ${typeName(spec)}`);
  }
  if (spec.length === 0) throw failedToParse("$jsonSchema keyword 'enum' cannot be an empty array");
  const keys = new Set<string>();
  for (const entry of spec) {
    const key = unorderedKey(entry);
    if (keys.has(key)) throw failedToParse("$jsonSchema keyword 'enum' array cannot contain duplicate values.");
    keys.add(key);
  }
  return {
    test: (value) => keys.has(unorderedKey(value)),
    explain: (value) => [
      { operatorName: 'enum', specifiedAs: { enum: spec }, reason: 'value was not found in enum', consideredValue: value },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Entry point

const VALID = Object.freeze({ valid: true as const });

/** Compiles a MongoDB $jsonSchema once; throws MongoCommandError for a malformed or unsupported schema. */
export function compileJsonSchema(schema: Doc): SchemaCheck {
  if (!isPlainObject(schema)) throw typeMismatch('$jsonSchema must be an object');
  const root = compileNode(schema);
  const title = typeof schema.title === 'string' ? schema.title : undefined;

  return (doc: Doc) => {
    let passed: boolean;
    try {
      passed = root.test(doc);
    } catch {
      passed = false;
    }
    if (passed) return VALID;

    const details: Doc = { operatorName: '$jsonSchema' };
    if (title !== undefined) details.title = title;
    try {
      details.schemaRulesNotSatisfied = root.explain(doc);
    } catch (error) {
      details.schemaRulesNotSatisfied = [];
      details.reason = `could not describe the failure: ${(error as Error)?.message ?? String(error)}`;
    }
    return { valid: false, details };
  };
}
