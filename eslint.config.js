// Lint (issue #12): typescript-eslint with type information, no import cycles, and the module
// boundaries of docs/architecture.md ("How a module looks"): a module uses another module's service,
// never its tables or pages, and shared infrastructure imports no domain module.
import fs from 'node:fs';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// Shared code; the web plugin (src/web/plugin.ts) is the exception: it registers every module's pages.
const SHARED = ['server/**', 'db/**', 'infra/**', 'config/**', 'web/!(plugin).ts'];
const domainModules = fs
  .readdirSync('src', { withFileTypes: true })
  .filter((d) => d.isDirectory() && !['server', 'db', 'infra', 'config', 'temporal', 'web'].includes(d.name))
  .map((d) => d.name);

const boundaryZones = [
  // Another module's tables and pages are its own.
  // (A module's own tables may reference another's for a foreign key.)
  ...domainModules.flatMap((m) =>
    domainModules
      .filter((o) => o !== m)
      .flatMap((o) => [
        { target: `./src/${m}/**/!(tables).ts`, from: `./src/${o}/tables.ts`, message: `use the ${o} service, not its tables` },
        { target: `./src/${m}`, from: `./src/${o}/pages`, message: `a module renders its own pages only` },
      ]),
  ),
  // Shared infrastructure knows no domain.
  ...SHARED.flatMap((s) =>
    domainModules.map((m) => ({ target: `./src/${s}`, from: `./src/${m}`, message: 'shared code imports no domain module' })),
  ),
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'coverage/**', 'migrations/**', 'test/screenshots/**', 'src/web/assets/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  // Lets import-x parse TypeScript files (its cycle and boundary checks read them).
  importX.flatConfigs.typescript,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: boundaryZones }],
      // Fastify plugins and hooks are async by contract, with or without an await inside.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Prettier wraps code at 140; what it cannot wrap (a long message or SQL string) is left to the author.
      'max-len': ['error', { code: 140, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/calendar/data/**'],
    rules: { 'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }] },
  },
  {
    // Tests read JSON answers (`res.json()` is `any`): checking every access would add casts, not safety.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // `res.json() as T` reads better in a test than `res.json<T>()`.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  { files: ['**/*.mjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },
);
