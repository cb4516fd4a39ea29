import { defineConfig } from 'drizzle-kit';

// `npm run db:generate -w @lanyard/db` writes a reviewed SQL migration into drizzle/ from the schema.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './drizzle',
  casing: 'snake_case',
});
