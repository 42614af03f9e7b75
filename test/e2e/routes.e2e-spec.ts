import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import request from 'supertest';
import { PERMISSION_KEY, PUBLIC_KEY, ROLES_KEY } from '../../src/common/access.decorators.js';
import { declaredPermissions, type Permission } from '../../src/common/permissions.js';
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

  it("every signed-in route says what it does with @May: its @Roles are exactly that permission's roles", () => {
    const discovery = t.get(DiscoveryService);
    const scanner = t.get(MetadataScanner);
    const reflector = t.get(Reflector);
    const mismatches: string[] = [];
    const used = new Set<string>();
    for (const wrapper of discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name] as () => unknown;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        const targets = [handler, wrapper.metatype as () => unknown];
        if (reflector.getAllAndOverride(PUBLIC_KEY, targets)) continue;
        const route = `${wrapper.name}.${name}`;
        const permission = reflector.getAllAndOverride<Permission<never> | undefined>(PERMISSION_KEY, targets);
        const roles = reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, targets) ?? [];
        if (!permission) {
          mismatches.push(`${route}: no @May`);
          continue;
        }
        used.add(permission.name);
        if (declaredPermissions().get(permission.name) !== permission) mismatches.push(`${route}: ${permission.name} is not a declared permission`);
        if ([...roles].sort().join() !== [...permission.roles].sort().join()) {
          mismatches.push(`${route}: @Roles(${roles.join(', ')}) but ${permission.name} is (${permission.roles.join(', ')})`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(used.size).toBeGreaterThan(15);
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
    const unnamed = Object.entries(response.body.paths as Record<string, Record<string, { 'x-roles'?: string[]; 'x-permission'?: string }>>).flatMap(
      ([path, methods]) =>
        Object.entries(methods)
          .filter(([, op]) => !op['x-roles']?.includes('public') && !op['x-permission'])
          .map(([m]) => `${m} ${path}`),
    );
    expect(unnamed).toEqual([]);
    await request(t.http).get('/api/docs').expect(200);
  });
});
