import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports the database and Redis up', async () => {
    const response = await request(t.http).get('/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', checks: { database: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('answers unknown routes with a problem+json 404', async () => {
    const response = await request(t.http).get('/api/v1/no-such-thing').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: '/problems/route-not-found', status: 404, code: 'ROUTE_NOT_FOUND', instance: '/api/v1/no-such-thing' });
    expect(JSON.stringify(response.body)).not.toMatch(/at \w+ \(/);
  });
});
