import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const serverOnlyImport = {
  group: ['@/server/*', '!@/server/contracts', '!@/server/contracts/*', '**/server/*', '!**/server/contracts', '!**/server/contracts/*'],
  allowTypeImports: true,
  message: 'app/ and components/ may import only types from server/ (values only from server/contracts).',
};

// Test code (e2e/, any testing/ folder) never ships in the product: only tests, testing/ helpers, e2e/ and bench/ may import it.
const testOnlyImport = {
  group: ['**/e2e/*', '**/e2e/**', '**/testing/*', '**/testing/**'],
  message: 'product code may not import test code (e2e/ or a testing/ folder); tests and testing/ helpers may.',
};
const testFiles = ['**/*.test.ts', '**/*.itest.ts', '**/*.spec.ts', '**/testing/**', 'e2e/**', 'bench/**'];

export default tseslint.config(
  { ignores: ['node_modules/', '.next/', 'data/', 'test-results/', 'playwright-report/', 'drizzle/', 'next-env.d.ts', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-control-regex': 'off',
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use a const array and a union type.' }],
    },
  },
  {
    files: ['server/**/*.ts', 'app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}'],
    ignores: testFiles,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [testOnlyImport] }] },
  },
  {
    files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}'],
    ignores: testFiles,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [serverOnlyImport, testOnlyImport] }] },
  },
  {
    files: ['app/**/*.test.{ts,tsx}', 'components/**/*.test.{ts,tsx}', 'app/**/testing/**', 'components/**/testing/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [serverOnlyImport] }] },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
