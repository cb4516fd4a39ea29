// Flat config: typescript-eslint's recommended rules plus the few house rules that
// keep the boundaries in docs/architecture.md honest (nothing but packages/config reads process.env).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.cache/**', 'charts/**', 'cdk8s/imports/**', 'grafana/**', 'packages/db/drizzle/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', fetch: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', structuredClone: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', URLSearchParams: 'readonly', Response: 'readonly', Request: 'readonly', Headers: 'readonly', crypto: 'readonly', queueMicrotask: 'readonly', setImmediate: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Configuration is parsed once, in one place (docs/architecture.md "Config").
    files: ['packages/**/src/**/*.ts', 'services/**/src/**/*.ts', 'operator/src/**/*.ts'],
    ignores: ['packages/config/src/**', 'packages/testing/src/**', '**/src/bin/**', '**/src/main.ts', '**/src/server.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through @lanyard/config.' }],
    },
  },
  {
    // Protocol time (token iat/exp, expiry checks, rate-limit windows) comes from the injected clock
    // (@lanyard/clock), so tests move time instead of sleeping (docs/architecture.md "Time").
    files: ['services/api/src/**/*.ts', 'services/worker/src/**/*.ts'],
    // Command-line tools stamp their own log lines with the wall clock, as migrate does.
    ignores: ['**/src/bin/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Read "now" from the injected Clock.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Read "now" from the injected Clock.' },
      ],
    },
  },
  {
    // The demo SPA runs in browsers, as plain ES modules.
    files: ['examples/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'history', 'sessionStorage', 'crypto', 'fetch', 'btoa', 'atob', 'URL', 'URLSearchParams', 'TextEncoder'].map((g) => [g, 'readonly']),
      ),
    },
  },
  // Dependencies point inward (docs/architecture.md "Dependency boundaries"): services and the
  // operator use packages, never each other; packages never reach into services.
  ...[
    ['packages/**/*.ts', ['services', 'operator', 'cdk8s']],
    ['services/api/**/*.ts', ['services/worker', 'operator', 'cdk8s']],
    ['services/worker/**/*.ts', ['services/api', 'operator', 'cdk8s']],
    ['operator/**/*.ts', ['services', 'cdk8s']],
    ['cdk8s/**/*.ts', ['services', 'operator']],
  ].map(([files, forbidden]) => ({
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden.flatMap((dir) => [
            { group: [`**/${dir}/**`, `**/${dir}`], message: `Do not import from ${dir}/ here: dependencies point inward to packages/*.` },
          ]),
          paths: ['@lanyard/api', '@lanyard/worker', '@lanyard/operator', '@lanyard/cdk8s'].map((name) => ({ name, message: 'Services, operator and cdk8s never import each other.' })),
        },
      ],
    },
  })),
  {
    files: ['**/test/**/*.ts', '**/bench/**/*.ts', 'scripts/**/*.ts', '**/src/bin/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
