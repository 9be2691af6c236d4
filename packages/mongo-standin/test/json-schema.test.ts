import { describe, it, expect } from 'vitest';
import { Binary, Code, Decimal128, Long, ObjectId } from 'bson';
import { compileJsonSchema } from '../src/json-schema.js';
import { ErrorCodes, MongoCommandError } from '../src/errors.js';
import type { Doc } from '../src/bson-values.js';

/** Compiles `schema` and validates `doc`, returning the details (or undefined when valid). */
function check(schema: Doc, doc: Doc): Doc | undefined {
  const result = compileJsonSchema(schema)(doc);
  return result.valid ? undefined : result.details;
}

function passes(schema: Doc, doc: Doc): boolean {
  return compileJsonSchema(schema)(doc).valid;
}

/** Schema with a single property `v` described by `sub`. */
function prop(sub: Doc): Doc {
  return { properties: { v: sub } };
}

/** Details of the failure of property `v` (the inner `details` array). */
function propDetails(sub: Doc, value: unknown): Doc[] {
  const details = check(prop(sub), { v: value });
  expect(details).toBeDefined();
  const rules = details!.schemaRulesNotSatisfied as Doc[];
  const properties = rules.find((r) => r.operatorName === 'properties') as Doc;
  const failed = properties.propertiesNotSatisfied as Doc[];
  expect(failed[0].propertyName).toBe('v');
  return failed[0].details as Doc[];
}

function compileError(schema: Doc): MongoCommandError {
  try {
    compileJsonSchema(schema);
  } catch (error) {
    expect(error).toBeInstanceOf(MongoCommandError);
    return error as MongoCommandError;
  }
  throw new Error(`schema compiled but should not have: ${JSON.stringify(schema)}`);
}

describe('bsonType', () => {
  const cases: Array<[string, unknown, unknown]> = [
    ['objectId', new ObjectId(), 'abc'],
    ['date', new Date(), '2024-01-01'],
    ['int', 42, 4.5],
    ['double', 4.5, 42],
    ['binData', new Binary(Buffer.from('hi')), 'hi'],
    ['null', null, 0],
    ['array', [1, 2], { 0: 1 }],
    ['object', { a: 1 }, [1]],
    ['string', 'x', 1],
    ['bool', true, 1],
    ['long', Long.fromString('9007199254740993'), 1],
    ['decimal', Decimal128.fromString('1.5'), 1.5],
    ['regex', /a/, 'a'],
    ['javascript', new Code('x'), 'x'],
  ];
  for (const [alias, good, bad] of cases) {
    it(`${alias} accepts a matching value and rejects another`, () => {
      expect(passes(prop({ bsonType: alias }), { v: good })).toBe(true);
      expect(passes(prop({ bsonType: alias }), { v: bad })).toBe(false);
    });
  }

  it('number matches int, long, double and decimal but not strings', () => {
    const schema = prop({ bsonType: 'number' });
    for (const v of [1, 1.5, Long.fromNumber(3), Decimal128.fromString('2.25'), 2 ** 40]) {
      expect(passes(schema, { v })).toBe(true);
    }
    expect(passes(schema, { v: '1' })).toBe(false);
  });

  it('accepts an array of aliases', () => {
    const schema = prop({ bsonType: ['string', 'null'] });
    expect(passes(schema, { v: 'a' })).toBe(true);
    expect(passes(schema, { v: null })).toBe(true);
    expect(passes(schema, { v: 3 })).toBe(false);
  });

  it('javascriptWithScope is told apart from javascript', () => {
    expect(passes(prop({ bsonType: 'javascriptWithScope' }), { v: new Code('x', { a: 1 }) })).toBe(true);
    expect(passes(prop({ bsonType: 'javascriptWithScope' }), { v: new Code('x') })).toBe(false);
  });

  it('reports the mismatch like mongod', () => {
    expect(propDetails({ bsonType: 'int' }, 'x')).toEqual([
      {
        operatorName: 'bsonType',
        specifiedAs: { bsonType: 'int' },
        reason: 'type did not match',
        consideredValue: 'x',
        consideredType: 'string',
      },
    ]);
  });

  it('a top-level type other than object rejects every document', () => {
    expect(passes({ bsonType: 'object' }, { a: 1 })).toBe(true);
    expect(passes({ bsonType: 'string' }, { a: 1 })).toBe(false);
  });

  it('rejects unknown aliases, wrong shapes and duplicates', () => {
    expect(compileError(prop({ bsonType: 'integerish' })).code).toBe(ErrorCodes.BadValue);
    expect(compileError(prop({ bsonType: 7 })).code).toBe(ErrorCodes.TypeMismatch);
    expect(compileError(prop({ bsonType: ['int', 'int'] })).code).toBe(ErrorCodes.FailedToParse);
    expect(compileError(prop({ bsonType: [] })).code).toBe(ErrorCodes.FailedToParse);
  });
});

describe('type', () => {
  it('maps JSON types onto BSON types', () => {
    expect(passes(prop({ type: 'number' }), { v: 3 })).toBe(true);
    expect(passes(prop({ type: 'number' }), { v: Long.fromNumber(3) })).toBe(true);
    expect(passes(prop({ type: 'number' }), { v: '3' })).toBe(false);
    expect(passes(prop({ type: 'boolean' }), { v: false })).toBe(true);
    expect(passes(prop({ type: 'boolean' }), { v: 0 })).toBe(false);
    expect(passes(prop({ type: 'string' }), { v: 's' })).toBe(true);
    expect(passes(prop({ type: 'null' }), { v: null })).toBe(true);
    expect(passes(prop({ type: 'array' }), { v: [] })).toBe(true);
    expect(passes(prop({ type: 'object' }), { v: {} })).toBe(true);
    expect(passes(prop({ type: 'object' }), { v: [] })).toBe(false);
    expect(passes(prop({ type: ['string', 'number'] }), { v: 1 })).toBe(true);
    expect(passes(prop({ type: ['string', 'number'] }), { v: true })).toBe(false);
  });

  it('reports operatorName type', () => {
    const [detail] = propDetails({ type: 'string' }, 12);
    expect(detail).toMatchObject({ operatorName: 'type', specifiedAs: { type: 'string' }, consideredType: 'int' });
  });

  it("refuses 'integer', BSON-only aliases and type with bsonType", () => {
    const integer = compileError(prop({ type: 'integer' }));
    expect(integer.code).toBe(ErrorCodes.FailedToParse);
    expect(integer.message).toMatch(/integer.*not currently supported/);
    expect(compileError(prop({ type: ['string', 'integer'] })).code).toBe(ErrorCodes.FailedToParse);
    expect(compileError(prop({ type: 'objectId' })).code).toBe(ErrorCodes.BadValue);
    expect(compileError(prop({ type: 'string', bsonType: 'string' })).code).toBe(ErrorCodes.FailedToParse);
  });
});

describe('enum', () => {
  it('matches scalars by BSON equality', () => {
    const schema = prop({ enum: ['a', 1, null] });
    expect(passes(schema, { v: 'a' })).toBe(true);
    expect(passes(schema, { v: Long.fromNumber(1) })).toBe(true);
    expect(passes(schema, { v: null })).toBe(true);
    expect(passes(schema, { v: '1' })).toBe(false);
    expect(passes(schema, { v: 'b' })).toBe(false);
  });

  it('matches ObjectIds by value', () => {
    const id = new ObjectId();
    const schema = prop({ enum: [id] });
    expect(passes(schema, { v: new ObjectId(id.toHexString()) })).toBe(true);
    expect(passes(schema, { v: new ObjectId() })).toBe(false);
    expect(passes(schema, { v: id.toHexString() })).toBe(false);
  });

  it('matches embedded documents regardless of field order, and arrays in order', () => {
    const schema = prop({ enum: [{ a: 1, b: { c: 2, d: 3 } }, [1, 2]] });
    expect(passes(schema, { v: { b: { d: 3, c: 2 }, a: 1 } })).toBe(true);
    expect(passes(schema, { v: { a: 1, b: { c: 2 } } })).toBe(false);
    expect(passes(schema, { v: [1, 2] })).toBe(true);
    expect(passes(schema, { v: [2, 1] })).toBe(false);
  });

  it('at the top level compares the whole document', () => {
    const schema = { enum: [{ _id: 1, a: 2 }] };
    expect(passes(schema, { a: 2, _id: 1 })).toBe(true);
    expect(passes(schema, { _id: 1, a: 3 })).toBe(false);
  });

  it('reports the considered value', () => {
    expect(propDetails({ enum: ['A+', 'B+'] }, 'Z')).toEqual([
      { operatorName: 'enum', specifiedAs: { enum: ['A+', 'B+'] }, reason: 'value was not found in enum', consideredValue: 'Z' },
    ]);
  });

  it('refuses empty, non-array and duplicate enums', () => {
    expect(compileError(prop({ enum: [] })).code).toBe(ErrorCodes.FailedToParse);
    expect(compileError(prop({ enum: 'a' })).code).toBe(ErrorCodes.TypeMismatch);
    expect(
      compileError(
        prop({
          enum: [
            { a: 1, b: 2 },
            { b: 2, a: 1 },
          ],
        }),
      ).code,
    ).toBe(ErrorCodes.FailedToParse);
  });
});

describe('required', () => {
  it('lists the missing properties', () => {
    const schema = { required: ['name', 'age'] };
    expect(passes(schema, { name: 'a', age: 1 })).toBe(true);
    expect(passes(schema, { name: null, age: 1 })).toBe(true);
    expect(check(schema, { age: 1 })).toEqual({
      operatorName: '$jsonSchema',
      schemaRulesNotSatisfied: [{ operatorName: 'required', specifiedAs: { required: ['name', 'age'] }, missingProperties: ['name'] }],
    });
  });

  it('does not take inherited properties as present', () => {
    expect(passes({ required: ['constructor'] }, {})).toBe(false);
    expect(passes({ required: ['toString'] }, { toString: 'x' })).toBe(true);
  });

  it('applies to embedded documents only', () => {
    const schema = prop({ required: ['x'] });
    expect(passes(schema, { v: { x: 1 } })).toBe(true);
    expect(passes(schema, { v: { y: 1 } })).toBe(false);
    expect(passes(schema, { v: 'not an object' })).toBe(true);
    expect(passes(schema, { v: [{ y: 1 }] })).toBe(true);
  });

  it('refuses malformed values', () => {
    expect(compileError({ required: 'name' }).code).toBe(ErrorCodes.TypeMismatch);
    expect(compileError({ required: ['a', 1] }).code).toBe(ErrorCodes.TypeMismatch);
    expect(compileError({ required: [] }).code).toBe(ErrorCodes.FailedToParse);
    expect(compileError({ required: ['a', 'a'] }).code).toBe(ErrorCodes.FailedToParse);
  });
});

describe('properties', () => {
  it('checks only present properties and reports each failing one', () => {
    const schema = {
      properties: {
        name: { bsonType: 'string', description: 'must be a string' },
        age: { bsonType: 'int', minimum: 0 },
      },
    };
    expect(passes(schema, {})).toBe(true);
    expect(passes(schema, { name: 'x', age: 3, other: true })).toBe(true);
    expect(check(schema, { name: 5, age: -1 })).toEqual({
      operatorName: '$jsonSchema',
      schemaRulesNotSatisfied: [
        {
          operatorName: 'properties',
          propertiesNotSatisfied: [
            {
              propertyName: 'name',
              description: 'must be a string',
              details: [
                {
                  operatorName: 'bsonType',
                  specifiedAs: { bsonType: 'string' },
                  reason: 'type did not match',
                  consideredValue: 5,
                  consideredType: 'int',
                },
              ],
            },
            {
              propertyName: 'age',
              details: [{ operatorName: 'minimum', specifiedAs: { minimum: 0 }, reason: 'comparison failed', consideredValue: -1 }],
            },
          ],
        },
      ],
    });
  });

  it('nests into embedded documents', () => {
    const schema = {
      properties: {
        address: {
          bsonType: 'object',
          required: ['city'],
          properties: { zip: { bsonType: 'string', pattern: '^[0-9]{5}$' } },
        },
      },
    };
    expect(passes(schema, { address: { city: 'Lyon', zip: '69001' } })).toBe(true);
    expect(passes(schema, { address: { zip: '69001' } })).toBe(false);
    const details = check(schema, { address: { city: 'Lyon', zip: '6900' } })!;
    const outer = (details.schemaRulesNotSatisfied as Doc[])[0];
    const addressDetails = ((outer.propertiesNotSatisfied as Doc[])[0].details as Doc[])[0];
    expect(addressDetails.operatorName).toBe('properties');
    const zip = (addressDetails.propertiesNotSatisfied as Doc[])[0];
    expect(zip.propertyName).toBe('zip');
    expect((zip.details as Doc[])[0]).toMatchObject({ operatorName: 'pattern', consideredValue: '6900' });
  });

  it('does not apply to arrays of embedded documents (no implicit traversal)', () => {
    const schema = prop({ properties: { x: { bsonType: 'int' } } });
    expect(passes(schema, { v: [{ x: 'not an int' }] })).toBe(true);
  });

  it('refuses non-object property schemas', () => {
    expect(compileError({ properties: { a: 'string' } }).code).toBe(ErrorCodes.TypeMismatch);
    expect(compileError({ properties: [] }).code).toBe(ErrorCodes.TypeMismatch);
  });
});

describe('patternProperties and additionalProperties', () => {
  it('additionalProperties false lists the extra fields', () => {
    const schema = { properties: { _id: {}, name: {} }, additionalProperties: false };
    expect(passes(schema, { _id: 1, name: 'a' })).toBe(true);
    expect(check(schema, { _id: 1, name: 'a', extra: 1, more: 2 })).toEqual({
      operatorName: '$jsonSchema',
      schemaRulesNotSatisfied: [
        { operatorName: 'additionalProperties', specifiedAs: { additionalProperties: false }, additionalProperties: ['extra', 'more'] },
      ],
    });
  });

  it('additionalProperties true and absent allow anything', () => {
    expect(passes({ properties: { a: {} }, additionalProperties: true }, { b: 1 })).toBe(true);
    expect(passes({ properties: { a: {} } }, { b: 1 })).toBe(true);
  });

  it('additionalProperties as a schema validates only the extra fields', () => {
    const schema = { properties: { name: { bsonType: 'string' } }, additionalProperties: { bsonType: 'int' } };
    expect(passes(schema, { name: 'a', x: 1, y: 2 })).toBe(true);
    const details = check(schema, { name: 'a', x: 1, y: 'two' })!;
    expect(details.schemaRulesNotSatisfied).toEqual([
      expect.objectContaining({
        operatorName: 'additionalProperties',
        failingProperty: 'y',
        details: [expect.objectContaining({ operatorName: 'bsonType', consideredValue: 'two' })],
      }),
    ]);
  });

  it('patternProperties validates matching keys and exempts them from additionalProperties', () => {
    const schema = {
      properties: { _id: {} },
      patternProperties: { '^score_': { bsonType: 'number', minimum: 0 } },
      additionalProperties: false,
    };
    expect(passes(schema, { _id: 1, score_math: 10, score_art: 2.5 })).toBe(true);
    expect(passes(schema, { _id: 1, other: 1 })).toBe(false);
    const details = check(schema, { _id: 1, score_math: -1 })!;
    expect(details.schemaRulesNotSatisfied).toEqual([
      {
        operatorName: 'patternProperties',
        details: [
          {
            propertyName: 'score_math',
            regexMatched: '^score_',
            details: [{ operatorName: 'minimum', specifiedAs: { minimum: 0 }, reason: 'comparison failed', consideredValue: -1 }],
          },
        ],
      },
    ]);
  });

  it('refuses a bad additionalProperties and an invalid pattern key', () => {
    expect(compileError({ additionalProperties: 'no' }).code).toBe(ErrorCodes.TypeMismatch);
    expect(compileError({ patternProperties: { '(': {} } }).code).toBe(ErrorCodes.BadValue);
  });
});

describe('minProperties and maxProperties', () => {
  it('count the fields of objects', () => {
    const schema = { minProperties: 2, maxProperties: 3 };
    expect(passes(schema, { a: 1 })).toBe(false);
    expect(passes(schema, { a: 1, b: 2 })).toBe(true);
    expect(passes(schema, { a: 1, b: 2, c: 3 })).toBe(true);
    expect(check(schema, { a: 1, b: 2, c: 3, d: 4 })!.schemaRulesNotSatisfied).toEqual([
      {
        operatorName: 'maxProperties',
        specifiedAs: { maxProperties: 3 },
        reason: 'specified number of properties was not satisfied',
        numberOfProperties: 4,
      },
    ]);
  });

  it('ignore non-objects and refuse negative counts', () => {
    expect(passes(prop({ minProperties: 5 }), { v: 'abc' })).toBe(true);
    expect(compileError({ minProperties: -1 }).code).toBe(ErrorCodes.FailedToParse);
    expect(compileError({ minProperties: 1.5 }).code).toBe(ErrorCodes.FailedToParse);
    expect(compileError({ maxProperties: '2' }).code).toBe(ErrorCodes.TypeMismatch);
  });
});

describe('dependencies', () => {
  it('property dependencies require the listed fields when the property is present', () => {
    const schema = { dependencies: { creditCard: ['billingAddress'] } };
    expect(passes(schema, { name: 'x' })).toBe(true);
    expect(passes(schema, { creditCard: 1, billingAddress: 'a' })).toBe(true);
    expect(check(schema, { creditCard: 1 })!.schemaRulesNotSatisfied).toEqual([
      { operatorName: 'dependencies', failingDependencies: [{ conditionalProperty: 'creditCard', missingProperties: ['billingAddress'] }] },
    ]);
  });

  it('schema dependencies validate the whole object when the property is present', () => {
    const schema = { dependencies: { discharged: { required: ['dischargeDate'] } } };
    expect(passes(schema, {})).toBe(true);
    expect(passes(schema, { discharged: true, dischargeDate: new Date() })).toBe(true);
    const details = check(schema, { discharged: true })!;
    expect(details.schemaRulesNotSatisfied).toEqual([
      {
        operatorName: 'dependencies',
        failingDependencies: [
          {
            conditionalProperty: 'discharged',
            details: [{ operatorName: 'required', specifiedAs: { required: ['dischargeDate'] }, missingProperties: ['dischargeDate'] }],
          },
        ],
      },
    ]);
  });

  it('refuses malformed dependencies', () => {
    expect(compileError({ dependencies: [] }).code).toBe(ErrorCodes.TypeMismatch);
    expect(compileError({ dependencies: { a: [] } }).code).toBe(ErrorCodes.FailedToParse);
    expect(compileError({ dependencies: { a: [1] } }).code).toBe(ErrorCodes.TypeMismatch);
    expect(compileError({ dependencies: { a: 'b' } }).code).toBe(ErrorCodes.TypeMismatch);
  });
});

describe('minimum, maximum and exclusive bounds', () => {
  it('compare numbers of any BSON type and ignore other types', () => {
    const schema = prop({ minimum: 0, maximum: 10 });
    expect(passes(schema, { v: 0 })).toBe(true);
    expect(passes(schema, { v: 10 })).toBe(true);
    expect(passes(schema, { v: -0.5 })).toBe(false);
    expect(passes(schema, { v: 10.01 })).toBe(false);
    expect(passes(schema, { v: Long.fromNumber(11) })).toBe(false);
    expect(passes(schema, { v: Decimal128.fromString('9.5') })).toBe(true);
    expect(passes(schema, { v: 'a string' })).toBe(true);
    expect(passes(schema, { v: new Date(0) })).toBe(true);
  });

  it('compares longs exactly beyond 2^53', () => {
    const schema = prop({ maximum: Long.fromString('9007199254740992') });
    expect(passes(schema, { v: Long.fromString('9007199254740992') })).toBe(true);
    expect(passes(schema, { v: Long.fromString('9007199254740993') })).toBe(false);
  });

  it('exclusiveMinimum and exclusiveMaximum exclude the bound', () => {
    const schema = prop({ minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true });
    expect(passes(schema, { v: 0.5 })).toBe(true);
    expect(passes(schema, { v: 0 })).toBe(false);
    expect(passes(schema, { v: 1 })).toBe(false);
    expect(passes(prop({ minimum: 0, exclusiveMinimum: false }), { v: 0 })).toBe(true);
    expect(propDetails({ minimum: 0, exclusiveMinimum: true }, 0)).toEqual([
      { operatorName: 'minimum', specifiedAs: { minimum: 0, exclusiveMinimum: true }, reason: 'comparison failed', consideredValue: 0 },
    ]);
  });

  it('NaN satisfies no bound', () => {
    expect(passes(prop({ maximum: 10 }), { v: Number.NaN })).toBe(false);
    expect(passes(prop({ minimum: 0 }), { v: Number.NaN })).toBe(false);
    // Like mongod's $gte/$lte, an inclusive NaN bound matches NaN and nothing else.
    expect(passes(prop({ minimum: Number.NaN }), { v: Number.NaN })).toBe(true);
    expect(passes(prop({ minimum: Number.NaN }), { v: 5 })).toBe(false);
    expect(passes(prop({ minimum: Number.NaN, exclusiveMinimum: true }), { v: Number.NaN })).toBe(false);
  });

  it('refuses non-numeric bounds and exclusive flags without their bound', () => {
    expect(compileError(prop({ minimum: '1' })).code).toBe(ErrorCodes.TypeMismatch);
    expect(compileError(prop({ maximum: 1, exclusiveMaximum: 1 })).code).toBe(ErrorCodes.TypeMismatch);
    expect(compileError(prop({ exclusiveMinimum: true })).code).toBe(ErrorCodes.FailedToParse);
  });
});

describe('multipleOf', () => {
  it('uses decimal arithmetic', () => {
    expect(passes(prop({ multipleOf: 0.1 }), { v: 0.3 })).toBe(true);
    expect(passes(prop({ multipleOf: 0.01 }), { v: 19.99 })).toBe(true);
    expect(passes(prop({ multipleOf: 0.01 }), { v: 19.999 })).toBe(false);
    expect(passes(prop({ multipleOf: 5 }), { v: 25 })).toBe(true);
    expect(passes(prop({ multipleOf: 5 }), { v: 26 })).toBe(false);
    expect(passes(prop({ multipleOf: 5 }), { v: -10 })).toBe(true);
    expect(passes(prop({ multipleOf: 5 }), { v: 0 })).toBe(true);
    expect(passes(prop({ multipleOf: 3 }), { v: Long.fromString('9007199254740993') })).toBe(true);
    expect(passes(prop({ multipleOf: Decimal128.fromString('0.25') }), { v: Decimal128.fromString('1.75') })).toBe(true);
    expect(passes(prop({ multipleOf: 2 }), { v: Number.POSITIVE_INFINITY })).toBe(false);
    expect(passes(prop({ multipleOf: 2 }), { v: 'four' })).toBe(true);
  });

  it('reports and validates its argument', () => {
    expect(propDetails({ multipleOf: 5 }, 7)).toEqual([
      {
        operatorName: 'multipleOf',
        specifiedAs: { multipleOf: 5 },
        reason: 'considered value is not a multiple of the specified value',
        consideredValue: 7,
      },
    ]);
    expect(compileError(prop({ multipleOf: 0 })).code).toBe(ErrorCodes.FailedToParse);
    expect(compileError(prop({ multipleOf: -2 })).code).toBe(ErrorCodes.FailedToParse);
    expect(compileError(prop({ multipleOf: '2' })).code).toBe(ErrorCodes.TypeMismatch);
  });
});

describe('minLength, maxLength and pattern', () => {
  it('count Unicode code points', () => {
    const schema = prop({ minLength: 2, maxLength: 3 });
    expect(passes(schema, { v: 'ab' })).toBe(true);
    expect(passes(schema, { v: 'a' })).toBe(false);
    expect(passes(schema, { v: 'abcd' })).toBe(false);
    // Three emoji are six UTF-16 units but three code points.
    expect(passes(schema, { v: '😀😀😀' })).toBe(true);
    expect(passes(prop({ minLength: 2 }), { v: '😀' })).toBe(false);
    expect(passes(schema, { v: 12345 })).toBe(true);
    expect(propDetails({ maxLength: 1 }, 'ab')).toEqual([
      {
        operatorName: 'maxLength',
        specifiedAs: { maxLength: 1 },
        reason: 'specified string length was not satisfied',
        consideredValue: 'ab',
      },
    ]);
  });

  it('pattern is an unanchored regex that ignores non-strings', () => {
    const schema = prop({ pattern: '@example\\.com$' });
    expect(passes(schema, { v: 'a@example.com' })).toBe(true);
    expect(passes(schema, { v: 'a@example.org' })).toBe(false);
    expect(passes(schema, { v: 42 })).toBe(true);
    expect(passes(prop({ pattern: 'b' }), { v: 'abc' })).toBe(true);
    expect(propDetails({ pattern: '^x' }, 'y')).toEqual([
      { operatorName: 'pattern', specifiedAs: { pattern: '^x' }, reason: 'regular expression did not match', consideredValue: 'y' },
    ]);
  });

  it('pattern accepts a leading PCRE inline flag and PCRE-style identity escapes', () => {
    expect(passes(prop({ pattern: '(?i)^abc$' }), { v: 'ABC' })).toBe(true);
    expect(passes(prop({ pattern: '^a\\-b$' }), { v: 'a-b' })).toBe(true);
  });

  it('refuses malformed arguments', () => {
    expect(compileError(prop({ pattern: 5 })).code).toBe(ErrorCodes.TypeMismatch);
    expect(compileError(prop({ pattern: '([a-z' })).code).toBe(ErrorCodes.BadValue);
    expect(compileError(prop({ minLength: -1 })).code).toBe(ErrorCodes.FailedToParse);
    expect(compileError(prop({ maxLength: 'long' })).code).toBe(ErrorCodes.TypeMismatch);
  });
});

describe('array keywords', () => {
  it('items as a schema applies to every element and reports the first failure', () => {
    const schema = prop({ items: { bsonType: 'string' } });
    expect(passes(schema, { v: ['a', 'b'] })).toBe(true);
    expect(passes(schema, { v: [] })).toBe(true);
    expect(passes(schema, { v: 'not an array' })).toBe(true);
    expect(propDetails({ items: { bsonType: 'string' } }, ['a', 2, 3])).toEqual([
      {
        operatorName: 'items',
        reason: 'At least one item did not match the sub-schema',
        itemIndex: 1,
        details: [
          {
            operatorName: 'bsonType',
            specifiedAs: { bsonType: 'string' },
            reason: 'type did not match',
            consideredValue: 2,
            consideredType: 'int',
          },
        ],
      },
    ]);
  });

  it('items as a tuple applies by position; additionalItems governs the rest', () => {
    const tuple = { items: [{ bsonType: 'string' }, { bsonType: 'int' }] };
    expect(passes(prop(tuple), { v: ['a', 1] })).toBe(true);
    expect(passes(prop(tuple), { v: ['a'] })).toBe(true);
    expect(passes(prop(tuple), { v: ['a', 1, true] })).toBe(true);
    expect(passes(prop(tuple), { v: [1, 'a'] })).toBe(false);
    const [detail] = propDetails(tuple, ['a', 'b']);
    expect(detail).toEqual({
      operatorName: 'items',
      details: [
        {
          itemIndex: 1,
          details: [
            {
              operatorName: 'bsonType',
              specifiedAs: { bsonType: 'int' },
              reason: 'type did not match',
              consideredValue: 'b',
              consideredType: 'string',
            },
          ],
        },
      ],
    });

    const closed = { ...tuple, additionalItems: false };
    expect(passes(prop(closed), { v: ['a', 1] })).toBe(true);
    expect(propDetails(closed, ['a', 1, true, null])).toEqual([
      {
        operatorName: 'additionalItems',
        specifiedAs: { additionalItems: false },
        reason: 'found additional items',
        additionalItems: [true, null],
      },
    ]);

    const typed = { ...tuple, additionalItems: { bsonType: 'bool' } };
    expect(passes(prop(typed), { v: ['a', 1, true, false] })).toBe(true);
    expect(propDetails(typed, ['a', 1, true, 'no'])).toEqual([expect.objectContaining({ operatorName: 'additionalItems', itemIndex: 3 })]);
  });

  it('additionalItems has no effect when items is a schema or absent', () => {
    expect(passes(prop({ items: {}, additionalItems: false }), { v: [1, 2, 3] })).toBe(true);
    expect(passes(prop({ additionalItems: false }), { v: [1, 2, 3] })).toBe(true);
  });

  it('minItems and maxItems bound the length', () => {
    const schema = prop({ minItems: 1, maxItems: 2 });
    expect(passes(schema, { v: [] })).toBe(false);
    expect(passes(schema, { v: [1] })).toBe(true);
    expect(passes(schema, { v: [1, 2, 3] })).toBe(false);
    expect(passes(schema, { v: 'abc' })).toBe(true);
    expect(propDetails({ minItems: 1 }, [])).toEqual([
      { operatorName: 'minItems', specifiedAs: { minItems: 1 }, reason: 'array did not match specified length', consideredValue: [] },
    ]);
  });

  it('uniqueItems compares BSON values, embedded documents regardless of field order', () => {
    const schema = prop({ uniqueItems: true });
    expect(passes(schema, { v: [1, 2, 3] })).toBe(true);
    expect(passes(schema, { v: [1, '1'] })).toBe(true);
    expect(passes(schema, { v: [1, Long.fromNumber(1)] })).toBe(false);
    const id = new ObjectId();
    expect(passes(schema, { v: [id, new ObjectId(id.toHexString())] })).toBe(false);
    expect(
      passes(schema, {
        v: [
          { a: 1, b: 2 },
          { b: 2, a: 1 },
        ],
      }),
    ).toBe(false);
    expect(passes(prop({ uniqueItems: false }), { v: [1, 1] })).toBe(true);
    expect(propDetails({ uniqueItems: true }, [1, 2, 2])).toEqual([
      {
        operatorName: 'uniqueItems',
        specifiedAs: { uniqueItems: true },
        reason: 'found a duplicate item',
        consideredValue: [1, 2, 2],
        duplicatedValue: 2,
      },
    ]);
    expect(compileError(prop({ uniqueItems: 1 })).code).toBe(ErrorCodes.TypeMismatch);
  });

  it('refuses malformed items', () => {
    expect(compileError(prop({ items: 'string' })).code).toBe(ErrorCodes.TypeMismatch);
    expect(compileError(prop({ items: [{}, 1] })).code).toBe(ErrorCodes.TypeMismatch);
    expect(compileError(prop({ items: [], additionalItems: 'x' })).code).toBe(ErrorCodes.TypeMismatch);
  });
});

describe('logical keywords', () => {
  it('allOf requires every subschema', () => {
    const schema = prop({ allOf: [{ bsonType: 'int' }, { minimum: 5 }] });
    expect(passes(schema, { v: 6 })).toBe(true);
    expect(passes(schema, { v: 4 })).toBe(false);
    expect(propDetails({ allOf: [{ bsonType: 'int' }, { minimum: 5 }] }, 4)).toEqual([
      {
        operatorName: 'allOf',
        schemasNotSatisfied: [
          {
            index: 1,
            details: [{ operatorName: 'minimum', specifiedAs: { minimum: 5 }, reason: 'comparison failed', consideredValue: 4 }],
          },
        ],
      },
    ]);
  });

  it('anyOf requires at least one subschema', () => {
    const sub = { anyOf: [{ bsonType: 'string' }, { bsonType: 'int', minimum: 0 }] };
    expect(passes(prop(sub), { v: 'a' })).toBe(true);
    expect(passes(prop(sub), { v: 3 })).toBe(true);
    expect(passes(prop(sub), { v: -3 })).toBe(false);
    const [detail] = propDetails(sub, true);
    expect(detail.operatorName).toBe('anyOf');
    expect((detail.schemasNotSatisfied as Doc[]).map((s) => s.index)).toEqual([0, 1]);
  });

  it('oneOf requires exactly one subschema', () => {
    const sub = { oneOf: [{ bsonType: 'number' }, { bsonType: 'int' }, { bsonType: 'string' }] };
    expect(passes(prop(sub), { v: 1.5 })).toBe(true);
    expect(passes(prop(sub), { v: 'a' })).toBe(true);
    expect(passes(prop(sub), { v: 1 })).toBe(false);
    expect(passes(prop(sub), { v: null })).toBe(false);
    expect(propDetails(sub, 1)).toEqual([
      { operatorName: 'oneOf', reason: 'more than one subschema matched', matchingSchemaIndexes: [0, 1] },
    ]);
    const [none] = propDetails(sub, null);
    expect(none.operatorName).toBe('oneOf');
    expect((none.schemasNotSatisfied as Doc[]).length).toBe(3);
  });

  it('not inverts its subschema', () => {
    const sub = { not: { bsonType: 'string' } };
    expect(passes(prop(sub), { v: 1 })).toBe(true);
    expect(passes(prop(sub), { v: 's' })).toBe(false);
    expect(propDetails(sub, 's')).toEqual([{ operatorName: 'not', reason: 'child expression matched' }]);
    // A top-level not: documents must not have `deleted` set.
    const top = { not: { required: ['deleted'] } };
    expect(passes(top, { a: 1 })).toBe(true);
    expect(passes(top, { deleted: true })).toBe(false);
  });

  it('refuses malformed logical keywords', () => {
    expect(compileError(prop({ anyOf: {} })).code).toBe(ErrorCodes.TypeMismatch);
    expect(compileError(prop({ anyOf: [] })).code).toBe(ErrorCodes.BadValue);
    expect(compileError(prop({ oneOf: ['string'] })).code).toBe(ErrorCodes.TypeMismatch);
    expect(compileError(prop({ not: [] })).code).toBe(ErrorCodes.TypeMismatch);
    expect(compileError(prop({ allOf: [{ format: 'email' }] })).code).toBe(ErrorCodes.FailedToParse);
  });
});

describe('annotations and unsupported keywords', () => {
  it('title and description are accepted, must be strings, and the title is reported', () => {
    const schema = { title: 'Patient', description: 'a patient', required: ['a'] };
    expect(passes(schema, { a: 1 })).toBe(true);
    expect(check(schema, {})).toMatchObject({ operatorName: '$jsonSchema', title: 'Patient' });
    expect(compileError({ title: 1 }).code).toBe(ErrorCodes.TypeMismatch);
    expect(compileError(prop({ description: false })).code).toBe(ErrorCodes.TypeMismatch);
  });

  for (const keyword of ['$ref', '$schema', 'default', 'definitions', 'format', 'id']) {
    it(`refuses '${keyword}' with code 9 (FailedToParse)`, () => {
      const error = compileError({ properties: { a: { [keyword]: 'x' } } });
      expect(error.code).toBe(9);
      expect(error.codeName).toBe('FailedToParse');
      expect(error.message).toBe(`$jsonSchema keyword '${keyword}' is not currently supported`);
    });
  }

  it('refuses unknown keywords (as mongod does for $comment and typos)', () => {
    for (const keyword of ['$comment', 'requird', 'encrypt']) {
      const error = compileError({ [keyword]: 'x' });
      expect(error.code).toBe(ErrorCodes.FailedToParse);
      expect(error.message).toBe(`Unknown $jsonSchema keyword: ${keyword}`);
    }
  });

  it('refuses a non-object schema', () => {
    expect(compileError([] as unknown as Doc).code).toBe(ErrorCodes.TypeMismatch);
  });

  it('an empty schema accepts every document', () => {
    expect(passes({}, { anything: [1, { a: 2 }] })).toBe(true);
  });
});

describe('a patient-record schema', () => {
  const schema: Doc = {
    bsonType: 'object',
    title: 'Patient record',
    required: ['_id', 'name', 'birthDate', 'bloodType'],
    additionalProperties: false,
    properties: {
      _id: { bsonType: 'objectId' },
      name: {
        bsonType: 'object',
        required: ['family'],
        additionalProperties: false,
        properties: {
          given: { bsonType: 'array', items: { bsonType: 'string', minLength: 1 } },
          family: { bsonType: 'string', minLength: 1, maxLength: 100 },
        },
      },
      birthDate: { bsonType: 'date' },
      bloodType: { enum: ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'], description: 'ABO/Rh blood group' },
      weightKg: { bsonType: 'number', minimum: 0, exclusiveMinimum: true, maximum: 700 },
      allergies: {
        bsonType: 'array',
        uniqueItems: true,
        items: {
          bsonType: 'object',
          required: ['substance', 'severity'],
          properties: {
            substance: { bsonType: 'string' },
            severity: { enum: ['mild', 'moderate', 'severe'] },
            notedAt: { bsonType: 'date' },
          },
        },
      },
      primaryPhysicianId: { bsonType: ['objectId', 'null'] },
      photo: { bsonType: 'binData' },
    },
  };
  const validate = compileJsonSchema(schema);

  const good = (): Doc => ({
    _id: new ObjectId(),
    name: { given: ['Ada'], family: 'Lovelace' },
    birthDate: new Date('1815-12-10'),
    bloodType: 'O-',
    weightKg: 54.5,
    allergies: [
      { substance: 'penicillin', severity: 'severe', notedAt: new Date() },
      { substance: 'latex', severity: 'mild' },
    ],
    primaryPhysicianId: null,
    photo: new Binary(Buffer.from([1, 2, 3])),
  });

  it('accepts a valid record', () => {
    expect(validate(good())).toEqual({ valid: true });
    const noOptional = good();
    delete noOptional.allergies;
    delete noOptional.weightKg;
    delete noOptional.photo;
    expect(validate(noOptional).valid).toBe(true);
  });

  it('rejects an unknown blood type with a described property failure', () => {
    const result = validate({ ...good(), bloodType: 'C+' });
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.details).toEqual({
      operatorName: '$jsonSchema',
      title: 'Patient record',
      schemaRulesNotSatisfied: [
        {
          operatorName: 'properties',
          propertiesNotSatisfied: [
            {
              propertyName: 'bloodType',
              description: 'ABO/Rh blood group',
              details: [
                {
                  operatorName: 'enum',
                  specifiedAs: { enum: ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'] },
                  reason: 'value was not found in enum',
                  consideredValue: 'C+',
                },
              ],
            },
          ],
        },
      ],
    });
  });

  it('rejects an allergy without severity and one with an unknown severity', () => {
    const missing = validate({ ...good(), allergies: [{ substance: 'latex' }] });
    expect(missing.valid).toBe(false);
    if (missing.valid) return;
    const property = ((missing.details.schemaRulesNotSatisfied as Doc[])[0].propertiesNotSatisfied as Doc[])[0];
    expect(property.propertyName).toBe('allergies');
    expect(property.details).toEqual([
      {
        operatorName: 'items',
        reason: 'At least one item did not match the sub-schema',
        itemIndex: 0,
        details: [{ operatorName: 'required', specifiedAs: { required: ['substance', 'severity'] }, missingProperties: ['severity'] }],
      },
    ]);

    expect(validate({ ...good(), allergies: [{ substance: 'latex', severity: 'deadly' }] }).valid).toBe(false);
  });

  it('rejects duplicate allergies, wrong id types, extra fields and missing required fields', () => {
    const allergy = { substance: 'latex', severity: 'mild' };
    expect(validate({ ...good(), allergies: [allergy, { severity: 'mild', substance: 'latex' }] }).valid).toBe(false);
    expect(validate({ ...good(), _id: 'P-1' }).valid).toBe(false);
    expect(validate({ ...good(), primaryPhysicianId: 'dr-who' }).valid).toBe(false);
    expect(validate({ ...good(), weightKg: 0 }).valid).toBe(false);
    expect(validate({ ...good(), name: { family: 'Lovelace', middle: 'King' } }).valid).toBe(false);

    const extra = validate({ ...good(), ssn: '123' });
    expect(extra.valid).toBe(false);
    if (!extra.valid) {
      expect(extra.details.schemaRulesNotSatisfied).toContainEqual({
        operatorName: 'additionalProperties',
        specifiedAs: { additionalProperties: false },
        additionalProperties: ['ssn'],
      });
    }

    const { birthDate: _dropped, ...withoutBirthDate } = good();
    const missing = validate(withoutBirthDate);
    expect(missing.valid).toBe(false);
    if (!missing.valid) {
      expect(missing.details.schemaRulesNotSatisfied).toContainEqual(
        expect.objectContaining({ operatorName: 'required', missingProperties: ['birthDate'] }),
      );
    }
  });

  it('never throws while validating odd documents', () => {
    const odd: Doc[] = [
      {},
      { name: null, allergies: null },
      { allergies: [null, 1, 'x', [], {}] },
      { _id: new ObjectId(), name: { given: [1, null, {}], family: '' }, bloodType: { '': [] } },
      Object.assign(Object.create(null), { bloodType: 'A+' }) as Doc,
    ];
    for (const doc of odd) {
      const result = validate(doc);
      expect(result.valid).toBe(false);
      if (!result.valid) expect((result.details.schemaRulesNotSatisfied as Doc[]).length).toBeGreaterThan(0);
    }
  });
});
