// typescript-eslint's recommended type-aware rules over every TypeScript file we ship or test.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'data', 'test-output', 'coverage', 'bin', 'dist'] },
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
  {
    // The sandbox console's browser script: plain JavaScript with no build step, so it is
    // outside the TypeScript project; only the JavaScript rules apply, with browser globals.
    files: ['src/sandbox/console/assets/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'module',
      parserOptions: { projectService: false, project: null },
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'history', 'localStorage', 'fetch', 'URL', 'URLSearchParams', 'AbortController', 'Element', 'HTMLSelectElement', 'Option', 'setTimeout', 'clearTimeout'].map((g) => [g, 'readonly']),
      ),
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
    // The core holds every rule and knows nothing of Slack, queues, Redis, HTTP or the
    // environment: it can be tested and reused on its own (see docs/ARCHITECTURE.md).
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@slack/*'], message: 'src/core knows nothing of Slack: handlers/ parse and render.' },
            { group: ['bullmq', 'ioredis'], message: 'src/core reaches queues only through CoreEffects (jobs/ implements them).' },
            { group: ['node:http', 'node:https', 'http', 'https'], message: 'src/core knows nothing of HTTP: src/web/ parses requests.' },
            { group: ['prom-client', '**/metrics/**'], message: 'src/core counts only through CoreMetrics (src/metrics/ implements it).' },
            { group: ['**/config.js'], message: 'src/core is given its policy (CorePolicy), never the environment.' },
            { group: ['**/handlers/**', '**/jobs/**', '**/slack/**', '**/web/**', '**/sandbox/**'], message: 'Data flows one way: outer layers call src/core, never the reverse.' },
          ],
        },
      ],
    },
  },
  {
    // Plain Node scripts that must run before anything is built (scripts/build-dist.mjs is
    // what builds): outside the TypeScript project, so only the JavaScript rules apply.
    files: ['scripts/**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'module',
      parserOptions: { projectService: false, project: null },
      globals: Object.fromEntries(['process', 'console', 'fetch', 'setTimeout', 'clearTimeout', 'Buffer', 'URL'].map((g) => [g, 'readonly'])),
    },
  },
  {
    files: ['eslint.config.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
