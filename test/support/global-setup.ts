// vitest globalSetup: one Redis and one PostgreSQL server for the whole run.
// Each test then makes its own database or key prefix on them and removes it.
import type { TestProject } from 'vitest/node';
import { findOrStartPostgres, findOrStartRedis, type StartedService } from './services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    pgAdminUrl: string;
  }
}

let started: StartedService[] = [];

export async function setup(project: TestProject): Promise<void> {
  const [redis, postgres] = await Promise.all([findOrStartRedis(), findOrStartPostgres()]);
  started = [redis, postgres];
  project.provide('redisUrl', redis.url);
  project.provide('pgAdminUrl', postgres.url);
}

export function teardown(): void {
  for (const s of started) s.stop();
}
