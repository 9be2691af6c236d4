// Input validation for every object argument (class-validator decorators on input types). A
// failure is BAD_USER_INPUT listing each field's path from its argument and the problem; values
// are never echoed.
import { getNamedType, type GraphQLResolveInfo } from 'graphql';
import { validate, type ValidationError } from 'class-validator';
import { BadUserInputError, type FieldProblem } from '../errors/errors.js';

function problems(errors: ValidationError[], prefix: Array<string | number>): FieldProblem[] {
  return errors.flatMap((error) => {
    const path = [...prefix, /^\d+$/.test(error.property) ? Number(error.property) : error.property];
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...problems(error.children ?? [], path)];
  });
}

/** The argument whose input type is `argType`; none for @ArgsType classes (their fields are the arguments). */
function argumentPath(argType: unknown, info: GraphQLResolveInfo): Array<string | number> {
  const typeName = typeof argType === 'function' ? argType.name : undefined;
  const field = info.parentType.getFields()[info.fieldName];
  const argument = field?.args.find((arg) => getNamedType(arg.type).name === typeName);
  return argument ? [argument.name] : [];
}

/** The problems class-validator finds in an input object, with paths under `prefix`. */
export async function inputProblems(value: object, prefix: Array<string | number>): Promise<FieldProblem[]> {
  const errors = await validate(value, { forbidUnknownValues: false, validationError: { target: false, value: false } });
  return problems(errors, prefix);
}

/**
 * An argument's `validateFn` for inputs a service validates itself, with the checks only it can
 * make (against stored data), so that every problem is reported at once (inputProblems first).
 */
export const validatedByService = async (): Promise<void> => {};

/** A reason a person gives (cancelling, declining, correcting): trimmed, 3 to 500 characters, else BAD_USER_INPUT at `path`. */
export function reasonText(value: string, path: Array<string | number> = ['reason']): string {
  const trimmed = value.trim();
  if (trimmed.length < 3 || trimmed.length > 500) throw new BadUserInputError([{ path, message: 'must be 3 to 500 characters' }]);
  return trimmed;
}

/** type-graphql's `validateFn`. */
export async function validateInput(value: unknown, argType: unknown, resolverData: { info: GraphQLResolveInfo }): Promise<void> {
  if (value === null || typeof value !== 'object') return;
  const prefix = argumentPath(argType, resolverData.info);
  const items = Array.isArray(value) ? value : [value];
  const found: FieldProblem[] = [];
  for (const [index, item] of items.entries()) {
    if (item === null || typeof item !== 'object') continue;
    const errors = await validate(item, { forbidUnknownValues: false, validationError: { target: false, value: false } });
    found.push(...problems(errors, Array.isArray(value) ? [...prefix, index] : prefix));
  }
  if (found.length > 0) throw new BadUserInputError(found);
}
