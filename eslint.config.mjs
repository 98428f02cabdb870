import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Layers (ARCHITECTURE.md): renderer → contract; hosts → transport → core → contract.
const noElectron = { name: 'electron', message: 'Only src-main/hosts/electron and the preload may import electron.' };

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'coverage/**', 'bench-data/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src-main/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^node:', message: 'The contract is pure TypeScript: no Node modules.' },
            { regex: '^\\.\\./(core|transport|hosts|preload|demo)', message: 'The contract imports nothing from src-main.' },
          ],
          paths: [noElectron],
        },
      ],
    },
  },
  {
    files: ['src-main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [{ regex: '(^|/)(hosts|transport|preload)(/|$)', message: 'core never imports a host or the transport.' }],
        },
      ],
    },
  },
  {
    files: ['src-main/transport/**/*.ts', 'src-main/demo/**/*.ts', 'src-main/hosts/cli/**/*.ts', 'src-main/hosts/server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            { regex: '^node:', message: 'The renderer runs in a browser sandbox.' },
            { regex: 'src-main/(?!contract/)', message: 'The renderer imports only src-main/contract.' },
          ],
        },
      ],
    },
  },
  {
    // contract/api.ts builds zod schemas at load; the page takes only its types (the CSP refuses
    // zod's code generation, and the schemas are the core's business).
    files: ['src-renderer/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: 'contract/api$', allowTypeImports: true, message: 'Import only types from contract/api in the renderer.' }] },
      ],
    },
  },
  // The Rules of React (hooks and the compiler's checks) for the UI.
  { files: ['src-renderer/**/*.{ts,tsx}'], ...reactHooks.configs.flat.recommended },
);
