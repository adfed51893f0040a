// typescript-eslint's recommended type-aware rules over every TypeScript file we ship or test.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'data', 'test-output', 'coverage', 'bin'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Layers: data flows Slack → handlers → core → store. Nothing under src/ reaches up into
  // the Slack listeners but the composition root, which wires them in.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/app.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/handlers', '**/handlers/**'], message: 'Only src/app.ts wires handlers/ in; pass what you need in instead.' }] },
      ],
    },
  },
  {
    files: ['eslint.config.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
