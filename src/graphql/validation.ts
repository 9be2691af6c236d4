// Input validation for every object argument (class-validator decorators on input types). A
// failure is BAD_USER_INPUT listing each field's path and problem; values are never echoed.
import { validate, type ValidationError } from 'class-validator';
import { BadUserInputError, type FieldProblem } from '../errors/errors.js';

function problems(errors: ValidationError[], prefix: Array<string | number>): FieldProblem[] {
  return errors.flatMap((error) => {
    const path = [...prefix, /^\d+$/.test(error.property) ? Number(error.property) : error.property];
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...problems(error.children ?? [], path)];
  });
}

/** type-graphql's `validateFn`: object arguments are always named `input` in this schema. */
export async function validateInput(value: unknown): Promise<void> {
  if (value === null || typeof value !== 'object') return;
  const items = Array.isArray(value) ? value : [value];
  const found: FieldProblem[] = [];
  for (const [index, item] of items.entries()) {
    if (item === null || typeof item !== 'object') continue;
    const errors = await validate(item, { forbidUnknownValues: false, validationError: { target: false, value: false } });
    found.push(...problems(errors, Array.isArray(value) ? ['input', index] : ['input']));
  }
  if (found.length > 0) throw new BadUserInputError(found);
}
