import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeOnly = ['node:*', 'fs', 'path', 'os', 'child_process', 'better-sqlite3', 'ws', 'ccxt'];

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'out',
      'dist',
      'test-results',
      'playwright-report',
      'resources/schemas',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    // The contract is plain TypeScript: no Node, DOM or Electron.
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [...nodeOnly, 'electron', 'react', 'react-dom', '**/core/**', '**/renderer/**'],
        },
      ],
    },
  },
  {
    // The engine and the headless host run without the Electron binary: importing it would try to download it.
    files: ['src/core/**', 'src/server/**', 'src/cli/**', 'scripts/**', 'tests/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['electron', '**/renderer/**', '**/main/index*'] },
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...nodeOnly, 'electron', '**/core/**', '**/server/**', '**/main/**'] },
      ],
    },
  },
  {
    files: ['src/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...nodeOnly, '**/core/**', '**/renderer/**'] },
      ],
    },
  },
);
