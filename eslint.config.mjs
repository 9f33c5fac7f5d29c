import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const serverOnlyImport = {
  group: ['@/server/*', '!@/server/contracts', '!@/server/contracts/*', '**/server/*', '!**/server/contracts', '!**/server/contracts/*'],
  allowTypeImports: true,
  message: 'app/ and components/ may import only types from server/ (values only from server/contracts).',
};

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
    files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [serverOnlyImport] }] },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
