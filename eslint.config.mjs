import nextCoreWebVitals from 'eslint-config-next/core-web-vitals'
import nextTypescript from 'eslint-config-next/typescript'

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // The catalog page shows images from any storage (local, bucket, CDN): plain <img> is intended.
      '@next/next/no-img-element': 'off',
    },
  },
  {
    // Long functions hide several concerns; tests may hold long tables of cases.
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
    ignores: ['tests/**', '**/*.spec.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 100 }] },
  },
  {
    ignores: [
      '.next/',
      'dist/',
      '.data/',
      'node_modules/',
      'payload-types.ts',
      'src/app/(payload)/admin/importMap.js',
      'migrations/*.ts',
      'next-env.d.ts',
    ],
  },
]

export default config
