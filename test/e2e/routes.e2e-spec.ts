import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import request from 'supertest';
import { PUBLIC_KEY, ROLES_KEY } from '../../src/auth/decorators.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Deny by default: every route declares who may call it, and the OpenAPI document says so. */
describe('route declarations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ runJobs: true });
  });
  afterAll(() => t.close());

  it('every controller method declares @Public() or @Roles()', () => {
    const discovery = t.get(DiscoveryService);
    const scanner = t.get(MetadataScanner);
    const reflector = t.get(Reflector);
    const undeclared: string[] = [];
    let routes = 0;
    for (const wrapper of discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name] as () => unknown;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        routes++;
        const targets = [handler, wrapper.metatype as () => unknown];
        const declared = reflector.getAllAndOverride(PUBLIC_KEY, targets) || (reflector.getAllAndOverride<string[]>(ROLES_KEY, targets)?.length ?? 0) > 0;
        if (!declared) undeclared.push(`${wrapper.name}.${name}`);
      }
    }
    expect(routes).toBeGreaterThan(15);
    expect(undeclared).toEqual([]);
  });

  it("serves the OpenAPI document with every operation's roles", async () => {
    const response = await request(t.http).get('/api/docs-json').expect(200);
    const operations = Object.entries(response.body.paths as Record<string, Record<string, { 'x-roles'?: string[] }>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, roles: op['x-roles'] })),
    );
    expect(operations.map((o) => o.route)).toEqual(
      expect.arrayContaining(['POST /api/v1/auth/login', 'GET /api/v1/staff', 'POST /api/v1/staff/import', 'GET /api/v1/audit-trail/verify', 'GET /health']),
    );
    expect(operations.filter((o) => !o.roles?.length)).toEqual([]);
    await request(t.http).get('/api/docs').expect(200);
  });
});
