/**
 * Well-known development credentials, shared by docker-compose.yml (as `${VAR:-default}`) and the
 * lanyard-dev chart's Secret. They protect nothing: both stacks run on a laptop. The production
 * charts never create a Secret and have no secret defaults.
 */
export const DEV_CREDENTIALS = {
  postgresPassword: 'lanyard',
  // 32 bytes, base64: Buffer.from('lanyard-dev-only-not-for-prod-32').toString('base64').
  keyEncryptionKey: 'bGFueWFyZC1kZXYtb25seS1ub3QtZm9yLXByb2QtMzI=',
  bootstrapAdminClientSecret: 'dev-bootstrap-secret-not-for-production',
  // Redis runs with --requirepass in both stacks; URL-safe, as it goes into REDIS_URL verbatim.
  redisPassword: 'dev-redis-password-not-for-production',
} as const;
