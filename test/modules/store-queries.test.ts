// Repositories are the only code of a module that builds store queries: services, resolvers,
// loaders and mappers hand them plain values. This reads every other file of the modules (the audit
// module aside, for now: its writer and spool build their own) with the TypeScript parser and fails on what builds or runs a query:
// the Prisma client or a transaction handle (`prisma.`, `tx.`, `$transaction`, `$queryRaw`), a query
// object's keys (`where`, `select`, `include`, `orderBy`, nested writes, MongoDB `$` operators), the
// `Prisma` namespace (its SQL fragments and input types), a MongoDB collection, or a value imported
// from the Prisma client or the MongoDB driver.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const MODULES = 'src/modules';
/** Owned elsewhere for now; to be held to the same rule once they are reworked. */
const NOT_YET = new Set(['audit']);
/** Where queries belong: repositories, and the collections' validators and indexes. */
const STORE_FILE = /\.(repository|collections)\.ts$/;

const STORE_HANDLES = new Set(['prisma', 'tx']);
const QUERY_KEYS = new Set([
  'where',
  'select',
  'include',
  'orderBy',
  'distinct',
  'cursor',
  'connect',
  'connectOrCreate',
  'createMany',
  'disconnect',
  'create',
  'upsert',
]);
const STORE_PACKAGES = /(^mongodb$)|(\/generated\/prisma\/)/;

function findings(source: string, file = 'snippet.ts'): string[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const report = (node: ts.Node, what: string) => {
    const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
    found.push(`${file}:${line + 1}: ${what}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node)) {
      const target = node.expression;
      const handle = ts.isIdentifier(target)
        ? target.text
        : ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword
          ? target.name.text
          : undefined;
      if (handle && STORE_HANDLES.has(handle)) report(node, `uses the store handle \`${handle}\``);
      if (node.name.text.startsWith('$')) report(node, `calls \`${node.name.text}\``);
      if (node.name.text === 'collection') report(node, 'opens a MongoDB collection');
    }
    if (ts.isQualifiedName(node) && ts.isIdentifier(node.left) && node.left.text === 'Prisma')
      report(node, `names the type \`Prisma.${node.right.text}\``);
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Prisma')
      report(node, `uses \`Prisma.${node.name.text}\``);
    if (
      (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))
    ) {
      const key = node.name.text;
      if (QUERY_KEYS.has(key) && ts.isPropertyAssignment(node) && ts.isObjectLiteralExpression(node.initializer))
        report(node, `builds a query object (\`${key}: {…}\`)`);
      if (key === 'where' || key.startsWith('$')) report(node, `builds a query object (\`${key}\`)`);
    }
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && STORE_PACKAGES.test(node.moduleSpecifier.text)) {
      const clause = node.importClause;
      const values =
        clause && !clause.isTypeOnly
          ? [
              ...(clause.name ? [clause.name.text] : []),
              ...(clause.namedBindings && ts.isNamedImports(clause.namedBindings)
                ? clause.namedBindings.elements.filter((element) => !element.isTypeOnly).map((element) => element.name.text)
                : []),
            ]
          : [];
      if (values.length > 0) report(node, `imports ${values.join(', ')} from ${node.moduleSpecifier.text} as values`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function moduleFiles(): string[] {
  return readdirSync(MODULES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !NOT_YET.has(entry.name))
    .flatMap((entry) =>
      readdirSync(join(MODULES, entry.name), { recursive: true, encoding: 'utf8' }).map((name) => join(MODULES, entry.name, name)),
    )
    .filter((path) => path.endsWith('.ts') && !path.endsWith('.test.ts') && !STORE_FILE.test(path));
}

describe('store queries', () => {
  it('are built by repositories only: no other file of a module builds or runs one', () => {
    const files = moduleFiles();
    expect(files.filter((path) => path.endsWith('.service.ts')).length).toBeGreaterThan(10);
    expect(files.flatMap((path) => findings(readFileSync(path, 'utf8'), path))).toEqual([]);
  });

  it('the check sees each kind of query a service could build', () => {
    const service = `
      import { Prisma } from '../../generated/prisma/client.js';
      import type { StaffRole } from '../../generated/prisma/client.js';
      import { ObjectId } from 'mongodb';
      export class LeakyService {
        async run(tx: unknown, role: StaffRole) {
          await this.prisma.user.findMany({ where: { role }, orderBy: { id: 'asc' } });
          await tx.appointment.updateMany({ data: { status: 'booked' } });
          await this.prisma.$transaction([]);
          const filter: Prisma.AppointmentWhereInput = {};
          const fragment = Prisma.sql\`AND 1 = 1\`;
          await this.db.collection('patient_records').updateOne({ _id: '1' }, { $set: { bloodType: 'O+' } });
          return this.repository.create({ id: '1', profile: { create: { firstName: 'A' } } });
        }
      }`;
    const kinds = findings(service).map((finding) => finding.replace(/^snippet\.ts:\d+: /, ''));
    expect(kinds).toEqual(
      expect.arrayContaining([
        'imports Prisma from ../../generated/prisma/client.js as values',
        'imports ObjectId from mongodb as values',
        'uses the store handle `prisma`',
        'builds a query object (`where: {…}`)',
        'builds a query object (`orderBy: {…}`)',
        'uses the store handle `tx`',
        'calls `$transaction`',
        'names the type `Prisma.AppointmentWhereInput`',
        'uses `Prisma.sql`',
        'opens a MongoDB collection',
        'builds a query object (`$set`)',
        'builds a query object (`create: {…}`)',
      ]),
    );
    expect(kinds.some((kind) => kind.includes('StaffRole'))).toBe(false);
    expect(
      findings(
        `export class CleanService { run() { return this.repository.page({ clinicIds: ['a'], startsIn: { from: new Date(), to: new Date() } }, 'asc'); } }`,
      ),
    ).toEqual([]);
  });
});
