// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'public/vendor/', 'coverage/', 'screenshots/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      'no-restricted-imports': 'off',
    },
  },
  {
    // analytics/ is pure: the import direction of design.md is enforced here, not only by review.
    files: ['analytics/**/*.ts'],
    ignores: ['analytics/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['express', 'kysely', 'better-sqlite3', 'pg', '../db/*', '../server/*'] }],
      'no-restricted-globals': ['error', { name: 'process', message: 'analytics/ must not read the environment.' }],
    },
  },
  {
    // db/ may use one module of analytics/: the calendar (analytics/time.ts, pure day arithmetic), so
    // the two layers count days one way (issue 19: shiftDay and addDays were the same function).
    files: ['db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['express', '../server/*', '../analytics/*', '!../analytics/time.ts', '../../server/*', '../../analytics/*', '!../../analytics/time.ts'] },
      ],
    },
  },
  {
    files: ['public/js/**/*.js', 'eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // supertest hands back response bodies as untyped JSON; the assertions are what check their shape.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-member-access': 'off', '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    files: ['public/js/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { window: 'readonly', document: 'readonly', history: 'readonly', location: 'readonly', URL: 'readonly' } },
  },
);
